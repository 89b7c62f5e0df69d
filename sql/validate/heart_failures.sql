-- Row-level checks on the typed HEART rows of this run (heart_rows_typed), run inside
-- DuckDB; one output row per failed check (file, row, column, check, value as written,
-- why). Appended to quarantine.heart_failures, whose rows of the same rows
-- validate/heart_forget.sql removed.
-- $units, $contact_modes, $outcomes: the contract's allowed codes (pipeline/ingest/contract.py).
-- $clock: the run's clock (TIMESTAMPTZ); a time more than a day after it is future_time.
-- Needs staging.cad_incidents (validate.build_cad) for the checks across sources.
-- A row repeating an earlier row of its file exactly is not checked: it is a
-- duplicate (audit.duplicate_rows), counted once through that earlier row.
-- The checks read the typed values and flags; the value each failure quotes is looked
-- up in raw afterwards (by file and row, the failing rows only).
INSERT INTO quarantine.heart_failures BY NAME
-- NOT MATERIALIZED: read by every check below; a materialized copy of the typed rows cost
-- ~450 MB on 2M rows.
WITH typed AS NOT MATERIALIZED (SELECT * FROM heart_rows_typed WHERE duplicate_of IS NULL),
-- Response ids on more than one (distinct) row of the same file, with those rows.
-- (validate/heart_scope.sql types every row of a file with the response id of a row it types.)
repeated_ids AS (
    SELECT file_id, response_id, list(source_row ORDER BY source_row) AS source_rows
    FROM typed
    WHERE response_id IS NOT NULL
    GROUP BY file_id, response_id
    HAVING count(*) > 1
),
found AS (
    SELECT file_id, source_file, source_row, 'response_id' AS column_name, 'missing_required' AS check_name,
        'the response id is empty' AS message
    FROM typed WHERE response_id IS NULL
    UNION ALL
    -- One response id, several different rows in one export: which is right is not
    -- known, so none is used until the export is fixed.
    SELECT t.file_id, t.source_file, t.source_row, 'response_id', 'duplicate_id',
        'the same response id is on rows ' || array_to_string(d.source_rows, ', ') || ' of ' || t.source_file
        || ' with different values; none of them is used until the export is corrected'
    FROM typed AS t
    JOIN repeated_ids AS d ON d.file_id = t.file_id AND d.response_id = t.response_id
    UNION ALL
    SELECT file_id, source_file, source_row, 'unit', 'missing_required', 'the HEART unit is empty'
    FROM typed WHERE NOT written.unit
    UNION ALL
    SELECT file_id, source_file, source_row, 'received_at', 'missing_required',
        'the time the request reached HEART is empty'
    FROM typed WHERE NOT written.received_at
    UNION ALL
    SELECT file_id, source_file, source_row, 'contact_mode', 'missing_required', 'the contact mode is empty'
    FROM typed WHERE NOT written.contact_mode
    UNION ALL
    SELECT file_id, source_file, source_row, f.field, 'unparseable_timestamp',
        'not a valid date and time in the profile''s formats'
    FROM (
        -- list_filter before unnest: a lateral UNNEST over every row is ~10x slower.
        SELECT file_id, source_file, source_row, unnest(list_filter([
        {'field': 'received_at', 'bad': unreadable.received_at},
        {'field': 'dispatched_at', 'bad': unreadable.dispatched_at},
        {'field': 'arrived_at', 'bad': unreadable.arrived_at},
        {'field': 'cleared_at', 'bad': unreadable.cleared_at},
        {'field': 'followup_due_at', 'bad': unreadable.followup_due_at},
        {'field': 'followup_done_at', 'bad': unreadable.followup_done_at}
    ], lambda t: t.bad)) AS f
        FROM typed
    )
    UNION ALL
    SELECT file_id, source_file, source_row, 'unit', 'unknown_code',
        'unit not in the profile''s lookup or not one of ' || array_to_string($units, ', ')
    FROM typed WHERE unit_unknown OR (unit IS NOT NULL AND NOT list_contains($units, unit))
    UNION ALL
    SELECT file_id, source_file, source_row, 'contact_mode', 'unknown_code',
        'contact mode not in the profile''s lookup or not one of ' || array_to_string($contact_modes, ', ')
    FROM typed
    WHERE contact_mode_unknown OR (contact_mode IS NOT NULL AND NOT list_contains($contact_modes, contact_mode))
    UNION ALL
    SELECT file_id, source_file, source_row, 'outcome', 'unknown_code',
        'outcome not in the profile''s lookup or not one of ' || array_to_string($outcomes, ', ')
    FROM typed WHERE outcome_unknown OR (outcome IS NOT NULL AND NOT list_contains($outcomes, outcome))
    UNION ALL
    -- Yes/no answers the profile's [booleans] tokens do not cover.
    SELECT file_id, source_file, source_row, f.field, 'invalid_boolean', 'not one of the profile''s yes/no tokens'
    FROM (
        -- list_filter before unnest: a lateral UNNEST over every row is ~10x slower.
        SELECT file_id, source_file, source_row, unnest(list_filter([
        {'field': 'resolved_without_in_person', 'bad': unreadable.resolved_without_in_person},
        {'field': 'police_requested', 'bad': unreadable.police_requested},
        {'field': 'felt_safe', 'bad': unreadable.felt_safe}
    ], lambda t: t.bad)) AS f
        FROM typed
    )
    UNION ALL
    -- Time order: received <= dispatched <= arrived <= cleared; follow-ups after the request.
    SELECT file_id, source_file, source_row, f.field, 'time_order', f.field || ' is before ' || f.previous_field
    FROM (
        -- list_filter before unnest: a lateral UNNEST over every row is ~10x slower.
        SELECT file_id, source_file, source_row, unnest(list_filter([
        {'field': 'dispatched_at', 'at': dispatched_at,
         'previous_field': 'received_at', 'previous_at': received_at},
        {'field': 'arrived_at', 'at': arrived_at,
         'previous_field': CASE WHEN dispatched_at IS NOT NULL THEN 'dispatched_at' ELSE 'received_at' END,
         'previous_at': coalesce(dispatched_at, received_at)},
        {'field': 'cleared_at', 'at': cleared_at,
         'previous_field': CASE WHEN arrived_at IS NOT NULL THEN 'arrived_at'
                                WHEN dispatched_at IS NOT NULL THEN 'dispatched_at' ELSE 'received_at' END,
         'previous_at': coalesce(arrived_at, dispatched_at, received_at)},
        {'field': 'followup_due_at', 'at': followup_due_at,
         'previous_field': 'received_at', 'previous_at': received_at},
        {'field': 'followup_done_at', 'at': followup_done_at,
         'previous_field': 'received_at', 'previous_at': received_at}
    ], lambda t: t.at < t.previous_at)) AS f
        FROM typed
    )
    UNION ALL
    -- Across sources: HEART cannot be dispatched or arrive, nor a follow-up fall due or
    -- be done, before the linked CAD incident's call was received (its accepted, newest
    -- version in staging.cad_incidents). When a CAD incident changes, the HEART rows
    -- linked to it are checked again (validate/heart_scope.sql), so a CAD export that
    -- arrives later is checked against the HEART rows already loaded.
    -- The message names the CAD export, never the incident id or its row: messages are grouped and shown
    -- on the data-quality page, and an id is record text (a log may put anything there). The incident is
    -- the HEART row's cad_incident_id (raw.heart_rows at this row's file_id and source_row).
    SELECT file_id, source_file, source_row, f.field, 'time_order',
        f.field || ' (HEART log) is before the call of its CAD incident was received (CAD export ' || cad_file || ')'
    FROM (
        SELECT t.file_id, t.source_file, t.source_row, i.incident_id, i.source_file AS cad_file,
            i.source_row AS cad_row, unnest(list_filter([
        {'field': 'dispatched_at', 'at': t.dispatched_at, 'call_at': i.received_at},
        {'field': 'arrived_at', 'at': t.arrived_at, 'call_at': i.received_at},
        {'field': 'followup_due_at', 'at': t.followup_due_at, 'call_at': i.received_at},
        {'field': 'followup_done_at', 'at': t.followup_done_at, 'call_at': i.received_at}
    ], lambda x: x.at < x.call_at)) AS f
        FROM typed AS t
        JOIN staging.cad_incidents AS i ON i.incident_id = t.cad_incident_id
    )
    UNION ALL
    -- Times later than the run's clock plus one day: a mistyped year, or a clock set wrong.
    -- (validate/heart_scope.sql re-checks these rows on every run, whatever their file.)
    SELECT file_id, source_file, source_row, f.field, 'future_time',
        f.field || ' is more than a day after this run''s clock ('
        || strftime(CAST($clock AS TIMESTAMPTZ) AT TIME ZONE 'UTC', '%Y-%m-%d %H:%M') || ' UTC)'
    FROM (
        SELECT file_id, source_file, source_row, unnest(list_filter([
        {'field': 'received_at', 'at': received_at},
        {'field': 'dispatched_at', 'at': dispatched_at},
        {'field': 'arrived_at', 'at': arrived_at},
        {'field': 'cleared_at', 'at': cleared_at},
        {'field': 'followup_due_at', 'at': followup_due_at},
        {'field': 'followup_done_at', 'at': followup_done_at}
    ], lambda t: t.at > CAST($clock AS TIMESTAMPTZ) + INTERVAL 1 DAY)) AS f
        FROM typed
    )
),
-- The value each failure is about, as the file wrote it: from the failing row in raw.
quoted AS (
    SELECT found.*,
        CASE found.column_name
            WHEN 'response_id' THEN r.response_id WHEN 'cad_incident_id' THEN r.cad_incident_id
            WHEN 'unit' THEN r.unit WHEN 'team' THEN r.team WHEN 'received_at' THEN r.received_at
            WHEN 'dispatched_at' THEN r.dispatched_at WHEN 'arrived_at' THEN r.arrived_at
            WHEN 'cleared_at' THEN r.cleared_at WHEN 'contact_mode' THEN r.contact_mode
            WHEN 'resolved_without_in_person' THEN r.resolved_without_in_person
            WHEN 'police_requested' THEN r.police_requested WHEN 'felt_safe' THEN r.felt_safe
            WHEN 'outcome' THEN r.outcome WHEN 'referrals' THEN r.referrals WHEN 'person_key' THEN r.person_key
            WHEN 'followup_due_at' THEN r.followup_due_at WHEN 'followup_done_at' THEN r.followup_done_at
        END AS value
    FROM found
    JOIN heart_raw_scope AS r USING (file_id, source_row)
)
SELECT 'heart' AS kind, file_id, source_file, source_row, column_name, check_name, value, message
FROM quoted
UNION ALL
-- Lines that are not a record of the header's shape, and rows with no values (raw.malformed_rows).
SELECT 'heart', m.file_id, m.source_file, m.source_row, 'row', 'malformed_row', NULL, m.problem
FROM raw.malformed_rows AS m
SEMI JOIN heart_files_to_validate AS v USING (file_id)
WHERE m.kind = 'heart'
UNION ALL
-- A time given as a date column and a time column that does not add up (raw.row_checks).
SELECT 'heart', rc.file_id, rc.source_file, rc.source_row, rc.field, rc.check_name, rc.value,
    CASE rc.check_name
        WHEN 'inconsistent_date_time' THEN 'the date column carries a time of day other than midnight besides the time column''s; which is the real time is not known'
        ELSE 'the date or the time reads as two different values under the profile''s formats (e.g. day and month swapped); give one format'
    END
FROM raw.row_checks AS rc
SEMI JOIN typed ON typed.file_id = rc.file_id AND typed.source_row = rc.source_row
WHERE rc.kind = 'heart';
