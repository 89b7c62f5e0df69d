-- The zones the loaded files' times were read in, per profile: files and rows read in each.
SELECT profile, timezone, count(*) AS files, sum(rows_read) AS rows_read
FROM audit.file_loads
WHERE status = 'loaded'
GROUP BY profile, timezone
ORDER BY profile, timezone;
