-- `.describe`: one table's columns in order, with type, nullability and comment.
SELECT column_name AS column, data_type AS type, is_nullable AS nullable, coalesce(comment, '') AS comment
FROM duckdb_columns()
WHERE schema_name = $schema AND table_name = $table
ORDER BY column_index;
