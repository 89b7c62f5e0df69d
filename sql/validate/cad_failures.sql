-- Row-level checks on typed CAD rows, run inside DuckDB over every row.
-- One output row per failed check: which file and row, which column, which
-- check, the value as the file wrote it, and a sentence saying what is wrong.
-- A row with any failure is quarantined (kept out of the canonical tables).
-- $disciplines: the contract's allowed discipline codes (pipeline/ingest/contract.py).
-- $clock: the run's clock (TIMESTAMPTZ); a time more than a day after it is future_time.
-- A row repeating an earlier row of its file exactly is not checked: it is a
-- duplicate (audit.duplicate_rows), counted once through that earlier row.
CREATE OR REPLACE TABLE quarantine.cad_failures AS
WITH typed AS (SELECT * FROM cad_rows_typed WHERE duplicate_of IS NULL),
failures AS (
    -- Lines that are not a record of the header's shape, and rows with no values (raw.malformed_rows).
    SELECT file_id, source_file, source_row, 'row' AS column_name, 'malformed_row' AS check_name,
        NULL::VARCHAR AS value, problem AS message
    FROM raw.malformed_rows WHERE kind = 'cad'
    UNION ALL
    -- Required values.
    SELECT file_id, source_file, source_row, 'incident_id', 'missing_required',
        raw_text.incident_id, 'the incident id is empty'
    FROM typed WHERE incident_id IS NULL
    UNION ALL
    SELECT file_id, source_file, source_row, 'received_at', 'missing_required', raw_text.received_at,
        'the call-received time is empty'
    FROM typed WHERE clean_text(raw_text.received_at) IS NULL
    UNION ALL
    SELECT file_id, source_file, source_row, 'discipline', 'missing_required', raw_text.discipline,
        'a unit is named but its discipline is empty'
    FROM typed WHERE unit_id IS NOT NULL AND clean_text(raw_text.discipline) IS NULL
    UNION ALL
    -- A time given as a date column and a time column that does not add up (raw.row_checks).
    SELECT rc.file_id, rc.source_file, rc.source_row, rc.field, rc.check_name, rc.value,
        CASE rc.check_name
            WHEN 'inconsistent_date_time' THEN 'the date column carries a time of day other than midnight besides the time column''s; which is the real time is not known'
            ELSE 'the date or the time reads as two different values under the profile''s formats (e.g. day and month swapped); give one format'
        END
    FROM raw.row_checks AS rc
    SEMI JOIN typed ON typed.file_id = rc.file_id AND typed.source_row = rc.source_row
    WHERE rc.kind = 'cad'
    UNION ALL
    -- Times the profile's formats cannot read.
    SELECT file_id, source_file, source_row, f.field, 'unparseable_timestamp', f.raw, 'not a valid date and time in the profile''s formats'
    FROM (
        -- list_filter before unnest: a lateral UNNEST over every row is ~10x slower.
        SELECT file_id, source_file, source_row, unnest(list_filter([
        {'field': 'received_at', 'raw': raw_text.received_at, 'parsed': parsed_local.received_at},
        {'field': 'dispatched_at', 'raw': raw_text.dispatched_at, 'parsed': parsed_local.dispatched_at},
        {'field': 'enroute_at', 'raw': raw_text.enroute_at, 'parsed': parsed_local.enroute_at},
        {'field': 'arrived_at', 'raw': raw_text.arrived_at, 'parsed': parsed_local.arrived_at},
        {'field': 'cleared_at', 'raw': raw_text.cleared_at, 'parsed': parsed_local.cleared_at}
    ], lambda t: trim(t.raw) <> '' AND t.parsed IS NULL)) AS f
        FROM typed
    )
    UNION ALL
    SELECT file_id, source_file, source_row, 'priority', 'unparseable_number', raw_text.priority,
        'the priority is not a whole number'
    FROM typed WHERE clean_text(raw_text.priority) IS NOT NULL AND priority IS NULL
    UNION ALL
    -- Codes the profile's lookup does not know, and disciplines outside the contract.
    SELECT file_id, source_file, source_row, 'discipline', 'unknown_code', raw_text.discipline,
        'discipline code not in the profile''s lookup or not one of ' || array_to_string($disciplines, ', ')
    FROM typed
    WHERE discipline_unknown OR (discipline IS NOT NULL AND NOT list_contains($disciplines, discipline))
    UNION ALL
    SELECT file_id, source_file, source_row, 'initial_call_type', 'unknown_code', raw_text.initial_call_type,
        'call type not in the profile''s lookup'
    FROM typed WHERE initial_call_type_unknown
    UNION ALL
    SELECT file_id, source_file, source_row, 'final_call_type', 'unknown_code', raw_text.final_call_type,
        'call type not in the profile''s lookup'
    FROM typed WHERE final_call_type_unknown
    UNION ALL
    SELECT file_id, source_file, source_row, 'disposition', 'unknown_code', raw_text.disposition,
        'disposition not in the profile''s lookup'
    FROM typed WHERE disposition_unknown
    UNION ALL
    -- Time order: received <= dispatched <= en route <= arrived <= cleared.
    -- Each time is compared with the latest earlier time that is present.
    SELECT file_id, source_file, source_row, f.field, 'time_order', f.raw, f.field || ' is before ' || f.previous_field
    FROM (
        -- list_filter before unnest: a lateral UNNEST over every row is ~10x slower.
        SELECT file_id, source_file, source_row, unnest(list_filter([
        {'field': 'dispatched_at', 'raw': raw_text.dispatched_at, 'at': dispatched_at,
         'previous_field': 'received_at', 'previous_at': received_at},
        {'field': 'enroute_at', 'raw': raw_text.enroute_at, 'at': enroute_at,
         'previous_field': CASE WHEN dispatched_at IS NOT NULL THEN 'dispatched_at' ELSE 'received_at' END,
         'previous_at': coalesce(dispatched_at, received_at)},
        {'field': 'arrived_at', 'raw': raw_text.arrived_at, 'at': arrived_at,
         'previous_field': CASE WHEN enroute_at IS NOT NULL THEN 'enroute_at'
                                WHEN dispatched_at IS NOT NULL THEN 'dispatched_at' ELSE 'received_at' END,
         'previous_at': coalesce(enroute_at, dispatched_at, received_at)},
        {'field': 'cleared_at', 'raw': raw_text.cleared_at, 'at': cleared_at,
         'previous_field': CASE WHEN arrived_at IS NOT NULL THEN 'arrived_at'
                                WHEN enroute_at IS NOT NULL THEN 'enroute_at'
                                WHEN dispatched_at IS NOT NULL THEN 'dispatched_at' ELSE 'received_at' END,
         'previous_at': coalesce(arrived_at, enroute_at, dispatched_at, received_at)}
    ], lambda t: t.at < t.previous_at)) AS f
        FROM typed
    )
    UNION ALL
    -- Times later than the run's clock plus one day: a mistyped year, or a clock set wrong.
    SELECT file_id, source_file, source_row, f.field, 'future_time', f.raw,
        f.field || ' is more than a day after this run''s clock ('
        || strftime(CAST($clock AS TIMESTAMPTZ) AT TIME ZONE 'UTC', '%Y-%m-%d %H:%M') || ' UTC)'
    FROM (
        SELECT file_id, source_file, source_row, unnest(list_filter([
        {'field': 'received_at', 'raw': raw_text.received_at, 'at': received_at},
        {'field': 'dispatched_at', 'raw': raw_text.dispatched_at, 'at': dispatched_at},
        {'field': 'enroute_at', 'raw': raw_text.enroute_at, 'at': enroute_at},
        {'field': 'arrived_at', 'raw': raw_text.arrived_at, 'at': arrived_at},
        {'field': 'cleared_at', 'raw': raw_text.cleared_at, 'at': cleared_at}
    ], lambda t: t.at > CAST($clock AS TIMESTAMPTZ) + INTERVAL 1 DAY)) AS f
        FROM typed
    )
)
SELECT 'cad' AS kind, * FROM failures;
