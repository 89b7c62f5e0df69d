-- One attached database's file and its storage format as DuckDB names it ('v1.4.0+': readable by
-- DuckDB 1.4.0 and later); path is NULL for an in-memory database.
SELECT path, tags['storage_version'] AS storage_version
FROM duckdb_databases()
WHERE database_name = $database;
