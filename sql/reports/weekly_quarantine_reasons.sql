-- Rows quarantined from the week's export files ($file_ids, from
-- weekly_files.sql), by source, column and check. Counts only: no quarantined
-- value is shown.
SELECT kind, column_name, check_name, count(*) AS rows_quarantined
FROM quarantine.rows
WHERE list_contains($file_ids, file_id)
GROUP BY ALL
ORDER BY rows_quarantined DESC, kind, column_name, check_name;
