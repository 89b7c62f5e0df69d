-- The quarantine reasons of one source ($kind: 'cad' or 'heart'), for the paragraph
-- `heart run` prints when that source's quarantined share blocks the run: per
-- column and check, the rows they hit, the source profiles of those rows' files,
-- and one example value only for the contract's fixed-code columns
-- ($code_columns, 'kind.column') and unreadable times; any other column may
-- hold personal details, so its values are never returned.
SELECT
    q.column_name, q.check_name,
    count(DISTINCT (q.file_id, q.source_row)) AS rows_affected,
    list_sort(list_distinct(list(f.profile) FILTER (WHERE f.profile IS NOT NULL))) AS profiles,
    CASE
        WHEN list_contains($code_columns, q.kind || '.' || q.column_name) OR q.check_name = 'unparseable_timestamp'
            THEN min(q.value)
    END AS example_value
FROM quarantine.rows AS q
LEFT JOIN audit.file_loads AS f ON f.file_id = q.file_id
WHERE q.kind = $kind
GROUP BY q.kind, q.column_name, q.check_name
ORDER BY rows_affected DESC, q.column_name, q.check_name
LIMIT $limit;
