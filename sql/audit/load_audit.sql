-- Per file: rows read, accepted, quarantined, duplicate, and whether they reconcile
-- (read = accepted + quarantined + duplicate). Unreadable files appear with their reason.
CREATE OR REPLACE TABLE audit.load_audit AS
WITH accepted AS (
    SELECT file_id, count(*) AS n FROM staging.cad_rows GROUP BY file_id
    UNION ALL
    SELECT file_id, count(*) FROM staging.heart_rows GROUP BY file_id
),
quarantined AS (
    SELECT file_id, count(DISTINCT source_row) AS n FROM quarantine.cad_failures GROUP BY file_id
    UNION ALL
    SELECT file_id, count(DISTINCT source_row) FROM quarantine.heart_failures GROUP BY file_id
),
duplicates AS (
    SELECT file_id, count(*) AS n FROM audit.duplicate_rows GROUP BY file_id
)
SELECT
    f.file_id, f.file_name, f.profile, f.kind, f.export_as_of, f.load_seq, f.loaded_at, f.status, f.error,
    f.rows_read,
    coalesce(a.n, 0) AS rows_accepted,
    coalesce(q.n, 0) AS rows_quarantined,
    coalesce(d.n, 0) AS rows_duplicate,
    f.rows_read = coalesce(a.n, 0) + coalesce(q.n, 0) + coalesce(d.n, 0) AS reconciles
FROM audit.file_loads AS f
LEFT JOIN accepted AS a USING (file_id)
LEFT JOIN quarantined AS q USING (file_id)
LEFT JOIN duplicates AS d USING (file_id)
ORDER BY f.load_seq;

-- Every failed check, both sources, for people: the quarantine as one table.
CREATE OR REPLACE VIEW quarantine.rows AS
SELECT * FROM quarantine.cad_failures
UNION ALL
SELECT * FROM quarantine.heart_failures;
