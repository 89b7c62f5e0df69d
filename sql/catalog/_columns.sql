-- Every column of the tables and views of the warehouse's layers ($schemas), with
-- its type and comment, in layer order and then table order, columns as defined.
SELECT schema_name, table_name, column_name, data_type, comment
FROM duckdb_columns()
WHERE database_name = current_database() AND list_contains($schemas, schema_name)
ORDER BY list_position($schemas, schema_name), table_name, column_index;
