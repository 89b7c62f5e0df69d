-- Row-level checks on typed HEART rows, run inside DuckDB over every row; one
-- output row per failed check (file, row, column, check, value as written, why).
-- $units, $contact_modes, $outcomes: the contract's allowed codes (pipeline/ingest/contract.py).
-- $clock: the run's clock (TIMESTAMPTZ); a time more than a day after it is future_time.
-- Needs staging.cad_incidents (validate.build_cad) for the checks across sources.
-- A row repeating an earlier row of its file exactly is not checked: it is a
-- duplicate (audit.duplicate_rows), counted once through that earlier row.
CREATE OR REPLACE TABLE quarantine.heart_failures AS
WITH typed AS (SELECT * FROM heart_rows_typed WHERE duplicate_of IS NULL),
-- Response ids on more than one (distinct) row of the same file, with those rows.
repeated_ids AS (
    SELECT file_id, response_id, list(source_row ORDER BY source_row) AS source_rows
    FROM typed
    WHERE response_id IS NOT NULL
    GROUP BY file_id, response_id
    HAVING count(*) > 1
),
failures AS (
    -- Lines that are not a record of the header's shape, and rows with no values (raw.malformed_rows).
    SELECT file_id, source_file, source_row, 'row' AS column_name, 'malformed_row' AS check_name,
        NULL::VARCHAR AS value, problem AS message
    FROM raw.malformed_rows WHERE kind = 'heart'
    UNION ALL
    SELECT file_id, source_file, source_row, 'response_id', 'missing_required',
        raw_text.response_id, 'the response id is empty'
    FROM typed WHERE response_id IS NULL
    UNION ALL
    -- One response id, several different rows in one export: which is right is not
    -- known, so none is used until the export is fixed.
    SELECT t.file_id, t.source_file, t.source_row, 'response_id', 'duplicate_id', t.raw_text.response_id,
        'the same response id is on rows ' || array_to_string(d.source_rows, ', ') || ' of ' || t.source_file
        || ' with different values; none of them is used until the export is corrected'
    FROM typed AS t
    JOIN repeated_ids AS d ON d.file_id = t.file_id AND d.response_id = t.response_id
    UNION ALL
    SELECT file_id, source_file, source_row, 'unit', 'missing_required', raw_text.unit, 'the HEART unit is empty'
    FROM typed WHERE clean_text(raw_text.unit) IS NULL
    UNION ALL
    SELECT file_id, source_file, source_row, 'received_at', 'missing_required', raw_text.received_at,
        'the time the request reached HEART is empty'
    FROM typed WHERE clean_text(raw_text.received_at) IS NULL
    UNION ALL
    SELECT file_id, source_file, source_row, 'contact_mode', 'missing_required', raw_text.contact_mode,
        'the contact mode is empty'
    FROM typed WHERE clean_text(raw_text.contact_mode) IS NULL
    UNION ALL
    -- A time given as a date column and a time column that does not add up (raw.row_checks).
    SELECT rc.file_id, rc.source_file, rc.source_row, rc.field, rc.check_name, rc.value,
        CASE rc.check_name
            WHEN 'inconsistent_date_time' THEN 'the date column carries a time of day other than midnight besides the time column''s; which is the real time is not known'
            ELSE 'the date or the time reads as two different values under the profile''s formats (e.g. day and month swapped); give one format'
        END
    FROM raw.row_checks AS rc
    SEMI JOIN typed ON typed.file_id = rc.file_id AND typed.source_row = rc.source_row
    WHERE rc.kind = 'heart'
    UNION ALL
    SELECT file_id, source_file, source_row, f.field, 'unparseable_timestamp', f.raw, 'not a valid date and time in the profile''s formats'
    FROM (
        -- list_filter before unnest: a lateral UNNEST over every row is ~10x slower.
        SELECT file_id, source_file, source_row, unnest(list_filter([
        {'field': 'received_at', 'raw': raw_text.received_at, 'parsed': parsed_local.received_at},
        {'field': 'dispatched_at', 'raw': raw_text.dispatched_at, 'parsed': parsed_local.dispatched_at},
        {'field': 'arrived_at', 'raw': raw_text.arrived_at, 'parsed': parsed_local.arrived_at},
        {'field': 'cleared_at', 'raw': raw_text.cleared_at, 'parsed': parsed_local.cleared_at},
        {'field': 'followup_due_at', 'raw': raw_text.followup_due_at, 'parsed': parsed_local.followup_due_at},
        {'field': 'followup_done_at', 'raw': raw_text.followup_done_at, 'parsed': parsed_local.followup_done_at}
    ], lambda t: trim(t.raw) <> '' AND t.parsed IS NULL)) AS f
        FROM typed
    )
    UNION ALL
    SELECT file_id, source_file, source_row, 'unit', 'unknown_code', raw_text.unit,
        'unit not in the profile''s lookup or not one of ' || array_to_string($units, ', ')
    FROM typed WHERE unit_unknown OR (unit IS NOT NULL AND NOT list_contains($units, unit))
    UNION ALL
    SELECT file_id, source_file, source_row, 'contact_mode', 'unknown_code', raw_text.contact_mode,
        'contact mode not in the profile''s lookup or not one of ' || array_to_string($contact_modes, ', ')
    FROM typed
    WHERE contact_mode_unknown OR (contact_mode IS NOT NULL AND NOT list_contains($contact_modes, contact_mode))
    UNION ALL
    SELECT file_id, source_file, source_row, 'outcome', 'unknown_code', raw_text.outcome,
        'outcome not in the profile''s lookup or not one of ' || array_to_string($outcomes, ', ')
    FROM typed WHERE outcome_unknown OR (outcome IS NOT NULL AND NOT list_contains($outcomes, outcome))
    UNION ALL
    -- Yes/no answers the profile's [booleans] tokens do not cover.
    SELECT file_id, source_file, source_row, f.field, 'invalid_boolean', f.raw, 'not one of the profile''s yes/no tokens'
    FROM (
        -- list_filter before unnest: a lateral UNNEST over every row is ~10x slower.
        SELECT file_id, source_file, source_row, unnest(list_filter([
        {'field': 'resolved_without_in_person', 'raw': raw_text.resolved_without_in_person,
         'parsed': resolved_without_in_person},
        {'field': 'police_requested', 'raw': raw_text.police_requested, 'parsed': police_requested},
        {'field': 'felt_safe', 'raw': raw_text.felt_safe, 'parsed': felt_safe}
    ], lambda t: trim(t.raw) <> '' AND t.parsed IS NULL)) AS f
        FROM typed
    )
    UNION ALL
    -- Time order: received <= dispatched <= arrived <= cleared; follow-ups after the request.
    SELECT file_id, source_file, source_row, f.field, 'time_order', f.raw, f.field || ' is before ' || f.previous_field
    FROM (
        -- list_filter before unnest: a lateral UNNEST over every row is ~10x slower.
        SELECT file_id, source_file, source_row, unnest(list_filter([
        {'field': 'dispatched_at', 'raw': raw_text.dispatched_at, 'at': dispatched_at,
         'previous_field': 'received_at', 'previous_at': received_at},
        {'field': 'arrived_at', 'raw': raw_text.arrived_at, 'at': arrived_at,
         'previous_field': CASE WHEN dispatched_at IS NOT NULL THEN 'dispatched_at' ELSE 'received_at' END,
         'previous_at': coalesce(dispatched_at, received_at)},
        {'field': 'cleared_at', 'raw': raw_text.cleared_at, 'at': cleared_at,
         'previous_field': CASE WHEN arrived_at IS NOT NULL THEN 'arrived_at'
                                WHEN dispatched_at IS NOT NULL THEN 'dispatched_at' ELSE 'received_at' END,
         'previous_at': coalesce(arrived_at, dispatched_at, received_at)},
        {'field': 'followup_due_at', 'raw': raw_text.followup_due_at, 'at': followup_due_at,
         'previous_field': 'received_at', 'previous_at': received_at},
        {'field': 'followup_done_at', 'raw': raw_text.followup_done_at, 'at': followup_done_at,
         'previous_field': 'received_at', 'previous_at': received_at}
    ], lambda t: t.at < t.previous_at)) AS f
        FROM typed
    )
    UNION ALL
    -- Across sources: HEART cannot be dispatched or arrive, nor a follow-up fall due or
    -- be done, before the linked CAD incident's call was received (its accepted, newest
    -- version in staging.cad_incidents). Re-checked on every run, so a CAD export that
    -- arrives later is checked against the HEART rows already loaded.
    SELECT file_id, source_file, source_row, f.field, 'time_order', f.raw,
        f.field || ' (HEART log) is before the call was received for CAD incident ' || incident_id
        || ' (CAD export ' || cad_file || ', row ' || cad_row || ')'
    FROM (
        SELECT t.file_id, t.source_file, t.source_row, i.incident_id, i.source_file AS cad_file,
            i.source_row AS cad_row, unnest(list_filter([
        {'field': 'dispatched_at', 'raw': t.raw_text.dispatched_at, 'at': t.dispatched_at,
         'call_at': i.received_at},
        {'field': 'arrived_at', 'raw': t.raw_text.arrived_at, 'at': t.arrived_at,
         'call_at': i.received_at},
        {'field': 'followup_due_at', 'raw': t.raw_text.followup_due_at, 'at': t.followup_due_at,
         'call_at': i.received_at},
        {'field': 'followup_done_at', 'raw': t.raw_text.followup_done_at, 'at': t.followup_done_at,
         'call_at': i.received_at}
    ], lambda x: x.at < x.call_at)) AS f
        FROM typed AS t
        JOIN staging.cad_incidents AS i ON i.incident_id = t.cad_incident_id
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
        {'field': 'arrived_at', 'raw': raw_text.arrived_at, 'at': arrived_at},
        {'field': 'cleared_at', 'raw': raw_text.cleared_at, 'at': cleared_at},
        {'field': 'followup_due_at', 'raw': raw_text.followup_due_at, 'at': followup_due_at},
        {'field': 'followup_done_at', 'raw': raw_text.followup_done_at, 'at': followup_done_at}
    ], lambda t: t.at > CAST($clock AS TIMESTAMPTZ) + INTERVAL 1 DAY)) AS f
        FROM typed
    )
)
SELECT 'heart' AS kind, * FROM failures;
