-- Row-level checks on the typed CAD rows of this run (cad_rows_typed), run inside DuckDB.
-- One output row per failed check: which file and row, which column, which check, the
-- value as the file wrote it, and a sentence saying what is wrong. A row with any
-- failure is quarantined (kept out of the canonical tables). Appended to
-- quarantine.cad_failures, whose rows of the same rows validate/cad_forget.sql removed.
-- $disciplines: the contract's allowed discipline codes (pipeline/ingest/contract.py).
-- $clock: the run's clock (TIMESTAMPTZ); a time more than a day after it is future_time.
-- A row repeating an earlier row of its file exactly is not checked: it is a
-- duplicate (audit.duplicate_rows), counted once through that earlier row.
-- The checks read the typed values and flags; the value each failure quotes is looked
-- up in raw afterwards (by file and row, the failing rows only), so the typed rows
-- need not carry every row's text.
INSERT INTO quarantine.cad_failures BY NAME
-- NOT MATERIALIZED: read by every check below; a materialized copy of the typed rows cost
-- ~450 MB on 2M rows.
WITH typed AS NOT MATERIALIZED (SELECT * FROM cad_rows_typed WHERE duplicate_of IS NULL),
found AS (
    -- Required values.
    SELECT file_id, source_file, source_row, 'incident_id' AS column_name, 'missing_required' AS check_name,
        'the incident id is empty' AS message
    FROM typed WHERE incident_id IS NULL
    UNION ALL
    SELECT file_id, source_file, source_row, 'received_at', 'missing_required', 'the call-received time is empty'
    FROM typed WHERE NOT written.received_at
    UNION ALL
    SELECT file_id, source_file, source_row, 'discipline', 'missing_required',
        'a unit is named but its discipline is empty'
    FROM typed WHERE unit_id IS NOT NULL AND NOT written.discipline
    UNION ALL
    -- Times the profile's formats cannot read.
    SELECT file_id, source_file, source_row, f.field, 'unparseable_timestamp',
        'not a valid date and time in the profile''s formats'
    FROM (
        -- list_filter before unnest: a lateral UNNEST over every row is ~10x slower.
        SELECT file_id, source_file, source_row, unnest(list_filter([
        {'field': 'received_at', 'bad': unreadable.received_at},
        {'field': 'dispatched_at', 'bad': unreadable.dispatched_at},
        {'field': 'enroute_at', 'bad': unreadable.enroute_at},
        {'field': 'arrived_at', 'bad': unreadable.arrived_at},
        {'field': 'cleared_at', 'bad': unreadable.cleared_at}
    ], lambda t: t.bad)) AS f
        FROM typed
    )
    UNION ALL
    SELECT file_id, source_file, source_row, 'priority', 'unparseable_number', 'the priority is not a whole number'
    FROM typed WHERE unreadable.priority
    UNION ALL
    -- Codes the profile's lookup does not know, and disciplines outside the contract.
    SELECT file_id, source_file, source_row, 'discipline', 'unknown_code',
        'discipline code not in the profile''s lookup or not one of ' || array_to_string($disciplines, ', ')
    FROM typed
    WHERE discipline_unknown OR (discipline IS NOT NULL AND NOT list_contains($disciplines, discipline))
    UNION ALL
    SELECT file_id, source_file, source_row, 'initial_call_type', 'unknown_code', 'call type not in the profile''s lookup'
    FROM typed WHERE initial_call_type_unknown
    UNION ALL
    SELECT file_id, source_file, source_row, 'final_call_type', 'unknown_code', 'call type not in the profile''s lookup'
    FROM typed WHERE final_call_type_unknown
    UNION ALL
    SELECT file_id, source_file, source_row, 'disposition', 'unknown_code', 'disposition not in the profile''s lookup'
    FROM typed WHERE disposition_unknown
    UNION ALL
    -- Time order: received <= dispatched <= en route <= arrived <= cleared.
    -- Each time is compared with the latest earlier time that is present.
    SELECT file_id, source_file, source_row, f.field, 'time_order', f.field || ' is before ' || f.previous_field
    FROM (
        -- list_filter before unnest: a lateral UNNEST over every row is ~10x slower.
        SELECT file_id, source_file, source_row, unnest(list_filter([
        {'field': 'dispatched_at', 'at': dispatched_at,
         'previous_field': 'received_at', 'previous_at': received_at},
        {'field': 'enroute_at', 'at': enroute_at,
         'previous_field': CASE WHEN dispatched_at IS NOT NULL THEN 'dispatched_at' ELSE 'received_at' END,
         'previous_at': coalesce(dispatched_at, received_at)},
        {'field': 'arrived_at', 'at': arrived_at,
         'previous_field': CASE WHEN enroute_at IS NOT NULL THEN 'enroute_at'
                                WHEN dispatched_at IS NOT NULL THEN 'dispatched_at' ELSE 'received_at' END,
         'previous_at': coalesce(enroute_at, dispatched_at, received_at)},
        {'field': 'cleared_at', 'at': cleared_at,
         'previous_field': CASE WHEN arrived_at IS NOT NULL THEN 'arrived_at'
                                WHEN enroute_at IS NOT NULL THEN 'enroute_at'
                                WHEN dispatched_at IS NOT NULL THEN 'dispatched_at' ELSE 'received_at' END,
         'previous_at': coalesce(arrived_at, enroute_at, dispatched_at, received_at)}
    ], lambda t: t.at < t.previous_at)) AS f
        FROM typed
    )
    UNION ALL
    -- Times later than the run's clock plus one day: a mistyped year, or a clock set wrong.
    -- (validate/cad_scope.sql re-checks these rows on every run, whatever their file.)
    SELECT file_id, source_file, source_row, f.field, 'future_time',
        f.field || ' is more than a day after this run''s clock ('
        || strftime(CAST($clock AS TIMESTAMPTZ) AT TIME ZONE 'UTC', '%Y-%m-%d %H:%M') || ' UTC)'
    FROM (
        SELECT file_id, source_file, source_row, unnest(list_filter([
        {'field': 'received_at', 'at': received_at},
        {'field': 'dispatched_at', 'at': dispatched_at},
        {'field': 'enroute_at', 'at': enroute_at},
        {'field': 'arrived_at', 'at': arrived_at},
        {'field': 'cleared_at', 'at': cleared_at}
    ], lambda t: t.at > CAST($clock AS TIMESTAMPTZ) + INTERVAL 1 DAY)) AS f
        FROM typed
    )
),
-- The value each failure is about, as the file wrote it: from the failing row in raw.
quoted AS (
    SELECT found.*,
        CASE found.column_name
            WHEN 'incident_id' THEN r.incident_id WHEN 'received_at' THEN r.received_at
            WHEN 'initial_call_type' THEN r.initial_call_type WHEN 'final_call_type' THEN r.final_call_type
            WHEN 'priority' THEN r.priority WHEN 'beat' THEN r.beat WHEN 'disposition' THEN r.disposition
            WHEN 'unit_id' THEN r.unit_id WHEN 'discipline' THEN r.discipline
            WHEN 'dispatched_at' THEN r.dispatched_at WHEN 'enroute_at' THEN r.enroute_at
            WHEN 'arrived_at' THEN r.arrived_at WHEN 'cleared_at' THEN r.cleared_at
        END AS value
    FROM found
    JOIN cad_raw_scope AS r USING (file_id, source_row)
)
SELECT 'cad' AS kind, file_id, source_file, source_row, column_name, check_name, value, message
FROM quoted
UNION ALL
-- Lines that are not a record of the header's shape, and rows with no values (raw.malformed_rows).
SELECT 'cad', m.file_id, m.source_file, m.source_row, 'row', 'malformed_row', NULL, m.problem
FROM raw.malformed_rows AS m
SEMI JOIN cad_files_to_validate AS v USING (file_id)
WHERE m.kind = 'cad'
UNION ALL
-- A time given as a date column and a time column that does not add up (raw.row_checks).
SELECT 'cad', rc.file_id, rc.source_file, rc.source_row, rc.field, rc.check_name, rc.value,
    CASE rc.check_name
        WHEN 'inconsistent_date_time' THEN 'the date column carries a time of day other than midnight besides the time column''s; which is the real time is not known'
        ELSE 'the date or the time reads as two different values under the profile''s formats (e.g. day and month swapped); give one format'
    END
FROM raw.row_checks AS rc
SEMI JOIN typed ON typed.file_id = rc.file_id AND typed.source_row = rc.source_row
WHERE rc.kind = 'cad';
