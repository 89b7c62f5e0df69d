-- The quarantined share of rows per export date and source kind (cad / heart),
-- for the data-quality report's trend chart: rows read and rows quarantined summed
-- over the loaded files of that kind with that export date (the as-of date in the
-- file name). Files without an export date or that could not be read are left out.
SELECT
    export_as_of, kind,
    count(*) AS files,
    sum(rows_read) AS rows_read,
    sum(rows_quarantined) AS rows_quarantined
FROM audit.load_audit
WHERE status = 'loaded' AND export_as_of IS NOT NULL AND kind IS NOT NULL
GROUP BY export_as_of, kind
ORDER BY export_as_of, kind;
