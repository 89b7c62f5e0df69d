-- The most frequent quarantine reasons (column and check), with the rows they hit
-- and one example of an offending value, e.g. to fix a profile's lookup.
SELECT
    kind, column_name, check_name,
    count(*) AS failures,
    count(DISTINCT (file_id, source_row)) AS rows_affected,
    min(value) AS example_value
FROM quarantine.rows
GROUP BY kind, column_name, check_name
ORDER BY failures DESC, kind, column_name, check_name
LIMIT $limit;
