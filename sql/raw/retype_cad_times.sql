-- Re-parse the local times of files loaded under an older version of their profile,
-- from the text raw kept, with the profile's current formats: one format list per time
-- field ($received_at ...), NULL when the profile does not map the field. Same
-- expression as at load (ingest._field_expressions): try_strptime(trim(text), formats).
UPDATE raw.cad_rows SET
    received_at_local = CASE WHEN $received_at IS NULL THEN NULL
        ELSE try_strptime(trim(received_at), $received_at)::TIMESTAMP END,
    dispatched_at_local = CASE WHEN $dispatched_at IS NULL THEN NULL
        ELSE try_strptime(trim(dispatched_at), $dispatched_at)::TIMESTAMP END,
    enroute_at_local = CASE WHEN $enroute_at IS NULL THEN NULL
        ELSE try_strptime(trim(enroute_at), $enroute_at)::TIMESTAMP END,
    arrived_at_local = CASE WHEN $arrived_at IS NULL THEN NULL
        ELSE try_strptime(trim(arrived_at), $arrived_at)::TIMESTAMP END,
    cleared_at_local = CASE WHEN $cleared_at IS NULL THEN NULL
        ELSE try_strptime(trim(cleared_at), $cleared_at)::TIMESTAMP END
WHERE list_contains($file_ids, file_id);
