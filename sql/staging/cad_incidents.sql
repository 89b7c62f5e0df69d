-- Canonical CAD incidents: one row per incident id, from the newest export that
-- has an accepted row for it (export as-of date, then load order), and within
-- that export its last row. A re-exported incident updates, never duplicates.
CREATE OR REPLACE TABLE staging.cad_incidents AS
WITH exports AS (
    SELECT incident_id, count(DISTINCT file_id) AS exports_seen FROM staging.cad_rows GROUP BY incident_id
),
ranked AS (
    SELECT r.*, e.exports_seen,
        row_number() OVER (
            PARTITION BY r.incident_id
            ORDER BY r.export_as_of DESC NULLS LAST, r.load_seq DESC, r.source_row DESC
        ) AS version_rank
    FROM staging.cad_rows AS r
    JOIN exports AS e USING (incident_id)
)
SELECT
    incident_id, received_at, initial_call_type, initial_call_type_label, final_call_type,
    final_call_type_label, priority, beat, disposition, disposition_label,
    profile, timezone, exports_seen,
    file_id AS source_file_id, source_file, source_row
FROM ranked
WHERE version_rank = 1;

-- Unit assignments of each incident, taken whole from the export that supplied
-- the incident's winning version (the newest export's picture of the incident).
CREATE OR REPLACE TABLE staging.cad_unit_assignments AS
SELECT
    r.incident_id, r.unit_id, r.discipline, r.dispatched_at, r.enroute_at, r.arrived_at, r.cleared_at,
    r.file_id AS source_file_id, r.source_file, r.source_row
FROM staging.cad_rows AS r
JOIN staging.cad_incidents AS i ON i.incident_id = r.incident_id AND i.source_file_id = r.file_id
WHERE r.unit_id IS NOT NULL;
