-- The base tables of one attached database, to count their rows.
SELECT schema_name, table_name
FROM duckdb_tables()
WHERE database_name = $database AND NOT temporary
ORDER BY ALL;
