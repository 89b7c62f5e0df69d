-- Which CAD rows this run types and checks (the temp view cad_raw_scope):
--   * every row of the files to validate (cad_files_to_validate): files not validated
--     before, and files whose inputs (validate/file_inputs.sql) or the validator
--     ($validator) changed since; a file validated before and no longer loaded is
--     listed with inputs NULL, so its rows are removed and not replaced;
--   * rows of other files whose checks depend on the run's clock ($clock), so that a
--     run gives what a full rebuild with the same clock gives: rows quarantined as
--     future_time (a later clock may accept them), and accepted rows with a time more
--     than a day after this clock (an earlier clock quarantines them).
-- Every other check depends only on the row and its own file (exact repeats and
-- malformed lines are found within one file), so the rows of files validated before
-- keep their outcome.
CREATE OR REPLACE TEMP TABLE cad_files_to_validate AS
SELECT i.file_id, i.inputs
FROM file_inputs AS i
LEFT JOIN audit.validated_files AS v ON v.file_id = i.file_id AND v.kind = 'cad'
WHERE i.kind = 'cad' AND (v.inputs IS DISTINCT FROM i.inputs OR v.validator IS DISTINCT FROM $validator)
UNION ALL
SELECT v.file_id, NULL
FROM audit.validated_files AS v
WHERE v.kind = 'cad' AND v.file_id NOT IN (SELECT file_id FROM file_inputs WHERE kind = 'cad');

CREATE OR REPLACE TEMP TABLE cad_rows_to_recheck AS
SELECT DISTINCT file_id, source_row
FROM (
    SELECT file_id, source_row FROM quarantine.cad_failures WHERE check_name = 'future_time'
    UNION ALL
    SELECT file_id, source_row
    FROM staging.cad_rows
    WHERE received_at > CAST($clock AS TIMESTAMPTZ) + INTERVAL 1 DAY
        OR dispatched_at > CAST($clock AS TIMESTAMPTZ) + INTERVAL 1 DAY
        OR enroute_at > CAST($clock AS TIMESTAMPTZ) + INTERVAL 1 DAY
        OR arrived_at > CAST($clock AS TIMESTAMPTZ) + INTERVAL 1 DAY
        OR cleared_at > CAST($clock AS TIMESTAMPTZ) + INTERVAL 1 DAY
)
WHERE file_id NOT IN (SELECT file_id FROM cad_files_to_validate);

CREATE OR REPLACE TEMP VIEW cad_raw_scope AS
SELECT r.* FROM raw.cad_rows AS r SEMI JOIN cad_files_to_validate AS v USING (file_id)
UNION ALL
SELECT r.* FROM raw.cad_rows AS r SEMI JOIN cad_rows_to_recheck AS k USING (file_id, source_row);

-- The local times to resolve (staging/local_hours.sql).
CREATE OR REPLACE TEMP VIEW scope_local_times AS
SELECT file_id, unnest([received_at_local, dispatched_at_local, enroute_at_local, arrived_at_local,
                        cleared_at_local]) AS local_ts
FROM cad_raw_scope;
