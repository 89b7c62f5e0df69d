-- Rows in one table; $table is a fully qualified, quoted name (query_table binds it as a value).
SELECT count(*) AS row_count FROM query_table($table);
