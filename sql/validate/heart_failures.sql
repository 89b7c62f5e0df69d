-- Row-level checks on typed HEART rows, run inside DuckDB over every row; one
-- output row per failed check (file, row, column, check, value as written, why).
-- $units, $contact_modes, $outcomes: the contract's allowed codes (pipeline/contract.py).
CREATE OR REPLACE TABLE quarantine.heart_failures AS
WITH typed AS (SELECT * FROM heart_rows_typed),
failures AS (
    SELECT file_id, source_file, source_row, 'response_id' AS column_name, 'missing_required' AS check_name,
        raw_text.response_id AS value, 'the response id is empty' AS message
    FROM typed WHERE response_id IS NULL
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
)
SELECT 'heart' AS kind, * FROM failures;
