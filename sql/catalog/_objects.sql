-- Every table and view of the warehouse's layers ($schemas, in layer order), with
-- its comment: for pipeline/warehouse/catalog.py (applying comments, the data dictionary).
-- Only the warehouse file's own objects: no TEMP tables, no attached databases.
SELECT schema_name, table_name, kind, comment
FROM (
    SELECT schema_name, table_name, 'table' AS kind, comment
    FROM duckdb_tables()
    WHERE database_name = current_database() AND NOT temporary
    UNION ALL
    SELECT schema_name, view_name, 'view', comment
    FROM duckdb_views()
    WHERE database_name = current_database() AND NOT temporary AND NOT internal
)
WHERE list_contains($schemas, schema_name)
ORDER BY list_position($schemas, schema_name), table_name;
