-- What one attached database holds: every table, view, column and macro with
-- its comment (and each column's type). The snapshot must list exactly what the
-- working file lists, comments included; temp objects live in the `temp`
-- catalog and are neither listed nor copied.
SELECT 'table' AS kind, schema_name, table_name AS object_name, '' AS column_name, '' AS data_type,
       coalesce(comment, '') AS comment
FROM duckdb_tables()
WHERE database_name = $database AND NOT temporary
UNION ALL
SELECT 'view', schema_name, view_name, '', '', coalesce(comment, '')
FROM duckdb_views()
WHERE database_name = $database AND NOT internal AND NOT temporary
UNION ALL
SELECT 'column', schema_name, table_name, column_name, data_type, coalesce(comment, '')
FROM duckdb_columns()
WHERE database_name = $database AND NOT internal
UNION ALL
SELECT 'macro', schema_name, function_name, '', function_type, coalesce(comment, '')
FROM duckdb_functions()
WHERE database_name = $database AND NOT internal
ORDER BY ALL;
