-- Every table, view and column of the warehouse's layers ($schemas) with no comment
-- or a blank one: schema.table, or schema.table.column. Empty when the warehouse
-- explains itself (the asset check every_table_and_column_commented).
WITH objects AS (
    SELECT schema_name, table_name, comment FROM duckdb_tables()
    WHERE database_name = current_database() AND NOT temporary
    UNION ALL
    SELECT schema_name, view_name, comment FROM duckdb_views()
    WHERE database_name = current_database() AND NOT temporary AND NOT internal
),
missing AS (
    SELECT schema_name, table_name, -1 AS column_index, schema_name || '.' || table_name AS name
    FROM objects
    WHERE list_contains($schemas, schema_name) AND coalesce(trim(comment), '') = ''
    UNION ALL
    SELECT schema_name, table_name, column_index, schema_name || '.' || table_name || '.' || column_name
    FROM duckdb_columns()
    WHERE database_name = current_database() AND list_contains($schemas, schema_name)
        AND coalesce(trim(comment), '') = ''
)
SELECT name FROM missing
ORDER BY list_position($schemas, schema_name), table_name, column_index;
