-- The most frequent quarantine reasons (column and check) of one source ($kind: 'cad' or
-- 'heart') or of every source ($kind NULL), with the rows they hit, the source profiles of
-- those rows' files and how many distinct values failed; for the run summary and the
-- paragraph `heart run` prints when a source's quarantined share blocks the run.
-- One example value (the smallest) is returned only for the contract's code columns
-- ($code_columns, 'kind.column') and unreadable times: any other column may hold personal
-- details, so its values never leave the warehouse. Whether even that example may be
-- quoted is decided by the one rule in pipeline/disclosure/redaction.py (quotable).
SELECT
    q.kind, q.column_name, q.check_name,
    count(*) AS failures,
    count(DISTINCT (q.file_id, q.source_row)) AS rows_affected,
    count(DISTINCT q.value) AS distinct_values,
    list_sort(list_distinct(list(f.profile) FILTER (WHERE f.profile IS NOT NULL))) AS profiles,
    CASE
        WHEN list_contains($code_columns, q.kind || '.' || q.column_name) OR q.check_name = 'unparseable_timestamp'
            THEN min(q.value)
    END AS example_value
FROM quarantine.rows AS q
LEFT JOIN audit.file_loads AS f ON f.file_id = q.file_id
WHERE $kind IS NULL OR q.kind = $kind
GROUP BY q.kind, q.column_name, q.check_name
ORDER BY rows_affected DESC, failures DESC, q.kind, q.column_name, q.check_name
LIMIT $limit;
