-- `.tables [schema]` in the `heart sql` prompt: every table and view of the
-- warehouse ($schema = '' for all), with its approximate rows and its comment.
SELECT schema_name AS schema, table_name AS name, 'table' AS type, estimated_size AS approx_rows,
    coalesce(comment, '') AS comment
FROM duckdb_tables() WHERE NOT internal AND NOT temporary AND ($schema = '' OR lower(schema_name) = lower($schema))
UNION ALL
SELECT schema_name, view_name, 'view', NULL, coalesce(comment, '')
FROM duckdb_views() WHERE NOT internal AND NOT temporary AND ($schema = '' OR lower(schema_name) = lower($schema))
ORDER BY schema, name;
