-- Quarantine reasons (source kind, column, check, message) with the rows and files
-- they hit, for the data-quality report. A row failing several checks counts under
-- each. An example value is returned only for fixed-code columns ($code_columns:
-- 'kind.column' names of the contract's code fields) and for unreadable times; any
-- other column may hold personal details, so its values never leave the warehouse. Whether
-- the example may be quoted is pipeline/disclosure/redaction.py's rule (quotable).
SELECT
    kind, column_name, check_name, message,
    count(*) AS failures,
    count(DISTINCT (file_id, source_row)) AS rows_affected,
    count(DISTINCT file_id) AS files,
    count(DISTINCT value) AS distinct_values,
    CASE
        WHEN list_contains($code_columns, kind || '.' || column_name) OR check_name = 'unparseable_timestamp'
            THEN min(value)
    END AS example_value
FROM quarantine.rows
GROUP BY kind, column_name, check_name, message
ORDER BY rows_affected DESC, kind, column_name, check_name, message;
