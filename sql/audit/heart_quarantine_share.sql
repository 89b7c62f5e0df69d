-- Rows read and rows quarantined over every heart row loaded, for the asset check
-- that blocks downstream assets when the quarantined share passes the limit.
SELECT
    (SELECT count(*) FROM raw.heart_rows) AS rows_read,
    (SELECT count(DISTINCT (file_id, source_row)) FROM quarantine.heart_failures) AS rows_quarantined;
