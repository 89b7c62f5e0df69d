-- The week's export files: for each source (CAD, HEART log), the export(s)
-- with the earliest date on or after the Monday the week ends, i.e. the first
-- export that could hold the whole week (the sample city exports every Monday;
-- a department exporting fortnightly gets the fortnight's file for both weeks).
-- With rows read / accepted / quarantined per file.
WITH week_export AS (
    SELECT kind, min(export_as_of) AS export_as_of
    FROM audit.load_audit
    WHERE export_as_of >= $week_start + INTERVAL 7 DAY
    GROUP BY kind
)
SELECT a.file_id, a.file_name, a.kind, a.profile, a.export_as_of, a.status, a.error,
       a.rows_read, a.rows_accepted, a.rows_quarantined, a.reconciles
FROM audit.load_audit AS a
JOIN week_export AS w USING (kind, export_as_of)
ORDER BY a.kind, a.file_name;
