-- The incidents this run's CAD validation touched: every incident that had (cad_touched,
-- validate/cad_touched.sql) or has an accepted row among the rows validated, for the
-- canonical tables below and for anything downstream that follows only what changed.
-- Added to, not replaced: the ids stay until the marts have rebuilt them (pipeline/marts.py empties
-- the table after a successful build), so a run stopped by a blocking check between validation
-- and the marts does not lose its changes to the next run.
INSERT INTO staging.changed_incidents
SELECT incident_id FROM (
    SELECT incident_id FROM cad_touched WHERE incident_id IS NOT NULL
    UNION
    SELECT incident_id FROM staging.cad_rows SEMI JOIN cad_files_to_validate USING (file_id)
    UNION
    SELECT incident_id FROM staging.cad_rows SEMI JOIN cad_rows_to_recheck USING (file_id, source_row)
)
EXCEPT
SELECT incident_id FROM staging.changed_incidents;

-- Canonical CAD incidents: one row per incident id, from the newest export that
-- has an accepted row for it (export as-of date, then load order), and within
-- that export its last row. A re-exported incident updates, never duplicates.
-- Only the changed incidents are rebuilt, each from all its accepted rows.
DELETE FROM staging.cad_incidents WHERE incident_id IN (SELECT incident_id FROM staging.changed_incidents);
INSERT INTO staging.cad_incidents BY NAME
-- One window pass (exports seen, version rank) over the changed incidents' rows: a
-- separate count per incident joined back held twice the memory on 2M rows.
WITH ranked AS (
    SELECT *,
        count(DISTINCT file_id) OVER (PARTITION BY incident_id) AS exports_seen,
        row_number() OVER (
            PARTITION BY incident_id
            ORDER BY export_as_of DESC NULLS LAST, load_seq DESC, source_row DESC
        ) AS version_rank
    FROM staging.cad_rows
    WHERE incident_id IN (SELECT incident_id FROM staging.changed_incidents)
)
SELECT
    incident_id, received_at, initial_call_type, initial_call_type_label, final_call_type,
    final_call_type_label, priority, beat, block_key, disposition, disposition_label,
    profile, timezone, exports_seen,
    file_id AS source_file_id, source_file, source_row
FROM ranked
WHERE version_rank = 1;

-- Unit assignments of each incident, taken whole from the export that supplied the
-- incident's winning version (the newest export's picture of the incident).
DELETE FROM staging.cad_unit_assignments
WHERE incident_id IN (SELECT incident_id FROM staging.changed_incidents);
INSERT INTO staging.cad_unit_assignments BY NAME
SELECT
    r.incident_id, r.unit_id, r.discipline, r.dispatched_at, r.enroute_at, r.arrived_at, r.cleared_at,
    r.file_id AS source_file_id, r.source_file, r.source_row
FROM staging.cad_rows AS r
JOIN staging.cad_incidents AS i ON i.incident_id = r.incident_id AND i.source_file_id = r.file_id
WHERE r.unit_id IS NOT NULL AND r.incident_id IN (SELECT incident_id FROM staging.changed_incidents);
