-- Which HEART rows this run types and checks (the temp view heart_raw_scope):
--   * every row of the files to validate (heart_files_to_validate): files not validated
--     before, and files whose inputs (validate/file_inputs.sql) or the validator
--     ($validator) changed since; a file validated before and no longer loaded is
--     listed with inputs NULL, so its rows are removed and not replaced;
--   * rows of other files whose checks depend on something outside their file:
--     - the run's clock ($clock): rows quarantined as future_time, and accepted rows
--       with a time more than a day after this clock;
--     - staging.cad_incidents: rows naming a CAD incident this run's CAD validation
--       added, changed or removed (staging.changed_incidents), for the time_order check
--       across sources;
--   * with each such row, every row of its file with the same response id, so the
--     duplicate_id check (one id on several different rows of one file) sees them all.
-- Exact repeats are found within one file too; a repeat is never re-checked on its own.
CREATE OR REPLACE TEMP TABLE heart_files_to_validate AS
SELECT i.file_id, i.inputs
FROM file_inputs AS i
LEFT JOIN audit.validated_files AS v ON v.file_id = i.file_id AND v.kind = 'heart'
WHERE i.kind = 'heart' AND (v.inputs IS DISTINCT FROM i.inputs OR v.validator IS DISTINCT FROM $validator)
UNION ALL
SELECT v.file_id, NULL
FROM audit.validated_files AS v
WHERE v.kind = 'heart' AND v.file_id NOT IN (SELECT file_id FROM file_inputs WHERE kind = 'heart');

CREATE OR REPLACE TEMP TABLE heart_rows_to_recheck AS
WITH seeds AS (
    SELECT file_id, source_row FROM quarantine.heart_failures WHERE check_name = 'future_time'
    UNION
    SELECT file_id, source_row
    FROM staging.heart_rows
    WHERE received_at > CAST($clock AS TIMESTAMPTZ) + INTERVAL 1 DAY
        OR dispatched_at > CAST($clock AS TIMESTAMPTZ) + INTERVAL 1 DAY
        OR arrived_at > CAST($clock AS TIMESTAMPTZ) + INTERVAL 1 DAY
        OR cleared_at > CAST($clock AS TIMESTAMPTZ) + INTERVAL 1 DAY
        OR followup_due_at > CAST($clock AS TIMESTAMPTZ) + INTERVAL 1 DAY
        OR followup_done_at > CAST($clock AS TIMESTAMPTZ) + INTERVAL 1 DAY
    UNION
    SELECT r.file_id, r.source_row
    FROM raw.heart_rows AS r
    WHERE clean_text(r.cad_incident_id) IN (SELECT incident_id FROM staging.changed_incidents)
        AND NOT EXISTS (
            SELECT 1 FROM audit.duplicate_rows AS d
            WHERE d.kind = 'heart' AND d.file_id = r.file_id AND d.source_row = r.source_row
        )
),
outside AS (SELECT * FROM seeds WHERE file_id NOT IN (SELECT file_id FROM heart_files_to_validate)),
same_id AS (
    SELECT DISTINCT r.file_id, clean_text(r.response_id) AS response_id
    FROM raw.heart_rows AS r
    SEMI JOIN outside AS o USING (file_id, source_row)
    WHERE clean_text(r.response_id) IS NOT NULL
)
SELECT file_id, source_row FROM outside
UNION
SELECT r.file_id, r.source_row
FROM raw.heart_rows AS r
JOIN same_id AS s ON s.file_id = r.file_id AND s.response_id = clean_text(r.response_id);

CREATE OR REPLACE TEMP VIEW heart_raw_scope AS
SELECT r.* FROM raw.heart_rows AS r SEMI JOIN heart_files_to_validate AS v USING (file_id)
UNION ALL
SELECT r.* FROM raw.heart_rows AS r SEMI JOIN heart_rows_to_recheck AS k USING (file_id, source_row);

-- The local times to resolve (staging/local_hours.sql).
CREATE OR REPLACE TEMP VIEW scope_local_times AS
SELECT file_id, unnest([received_at_local, dispatched_at_local, arrived_at_local, cleared_at_local,
                        followup_due_at_local, followup_done_at_local]) AS local_ts
FROM heart_raw_scope;
