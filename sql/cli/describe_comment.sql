-- `.describe`: the comment of one table or view, if it has one.
SELECT comment FROM duckdb_tables() WHERE schema_name = $schema AND table_name = $table AND comment IS NOT NULL
UNION ALL
SELECT comment FROM duckdb_views() WHERE schema_name = $schema AND view_name = $table AND comment IS NOT NULL;
