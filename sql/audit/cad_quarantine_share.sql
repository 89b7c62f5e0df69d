-- Rows read and rows quarantined over every cad row loaded, for the asset check
-- that blocks downstream assets when the quarantined share passes the limit.
-- Rows read include the malformed ones (raw.malformed_rows), which are quarantined.
SELECT
    (SELECT count(*) FROM raw.cad_rows) + (SELECT count(*) FROM raw.malformed_rows WHERE kind = 'cad') AS rows_read,
    (SELECT count(DISTINCT (file_id, source_row)) FROM quarantine.cad_failures) AS rows_quarantined;
