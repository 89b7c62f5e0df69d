-- The rows of every base table of the working file and of the copy, for the check
-- sql/checks/published/copy_matches_working.sql. A temp table: it lives in this session's
-- `temp` catalog, so it is neither in the working file nor in the copy. DuckDB counts the
-- rows of a table it is given by name only one table at a time (query_table wants a
-- constant), so publish.py adds each table's count with count_rows.sql.
CREATE OR REPLACE TEMP TABLE published_row_counts (
    database_name VARCHAR, schema_name VARCHAR, table_name VARCHAR, row_count BIGINT
);
