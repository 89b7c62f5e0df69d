-- `.describe [schema.]table`: the tables or views with that name (case-insensitive;
-- $schema = '' matches any schema), so the prompt can ask which one is meant.
SELECT DISTINCT schema_name, table_name
FROM duckdb_columns()
WHERE NOT internal AND lower(table_name) = lower($table) AND ($schema = '' OR lower(schema_name) = lower($schema))
ORDER BY ALL;
