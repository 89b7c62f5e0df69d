-- check: every_table_and_column_commented
-- asset: warehouse/catalog_comments
-- guards: Every table, view and column of the warehouse's layers ($schemas) has a comment, so the
--   data dictionary and analysts' tools explain every name; publishing waits until none is missing.
-- blocking: yes
-- A blank comment counts as none. One row: how many are missing and the first $max_listed
-- (schema.table, schema.table.column), in layer and catalog order.
WITH objects AS (
    SELECT schema_name, table_name, NULL::INTEGER AS column_index, NULL AS column_name, comment
    FROM duckdb_tables()
    WHERE database_name = current_database() AND NOT temporary
    UNION ALL
    SELECT schema_name, view_name, NULL, NULL, comment
    FROM duckdb_views()
    WHERE database_name = current_database() AND NOT temporary AND NOT internal
    UNION ALL
    SELECT schema_name, table_name, column_index, column_name, comment
    FROM duckdb_columns()
    WHERE database_name = current_database()
),
missing AS (
    SELECT schema_name || '.' || table_name || coalesce('.' || column_name, '') AS name,
        row_number() OVER (ORDER BY list_position($schemas, schema_name), table_name,
                           column_index NULLS FIRST) AS seq
    FROM objects
    WHERE list_contains($schemas, schema_name) AND coalesce(trim(comment), '') = ''
),
counted AS (SELECT count(*) AS n FROM missing)
SELECT
    n AS failures,
    CASE WHEN n = 0 THEN 'every table and column has a comment'
         ELSE n || ' tables or columns without a comment: add them to sql/catalog/<schema>.sql' END AS description,
    n AS missing,
    coalesce((SELECT string_agg(name, chr(10) ORDER BY seq) FROM missing WHERE seq <= $max_listed), 'none')
        || CASE WHEN n > $max_listed THEN chr(10) || '... and ' || (n - $max_listed) || ' more' ELSE '' END
        AS without_comment
FROM counted;
