-- Add one table's row count to published_row_counts (row_counts.sql); $table is the fully
-- qualified, quoted name (query_table binds it as a value).
INSERT INTO published_row_counts
SELECT $database, $schema, $table_name, count(*) FROM query_table($table);
