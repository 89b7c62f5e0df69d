-- check: copy_matches_working
-- asset: warehouse/published
-- guards: The file about to be published holds what the working file holds: the same schemas,
--   tables, views, columns (with their types), macros and comments, and the same number of
--   rows in every table.
-- blocking: yes
-- Run by pipeline/warehouse/publish.py before the rename, on the connection to the working
-- file (the current database), with the temp copy attached as `published_copy` and every
-- table's row count in the temp table published_row_counts (sql/publish/row_counts.sql).
-- Temp objects live in the `temp` catalog and are in neither file.
-- One row: how many entries differ, and one of them.
WITH catalog AS (
    SELECT database_name, 'schema' AS kind, schema_name, '' AS object_name, '' AS column_name,
           '' AS detail, coalesce(comment, '') AS comment
    FROM duckdb_schemas()
    UNION ALL
    SELECT database_name, 'table', schema_name, table_name, '', '', coalesce(comment, '')
    FROM duckdb_tables()
    WHERE NOT temporary
    UNION ALL
    SELECT database_name, 'view', schema_name, view_name, '', '', coalesce(comment, '')
    FROM duckdb_views()
    WHERE NOT internal AND NOT temporary
    UNION ALL
    SELECT database_name, 'column', schema_name, table_name, column_name, data_type, coalesce(comment, '')
    FROM duckdb_columns()
    WHERE NOT internal
    UNION ALL
    SELECT database_name, 'macro', schema_name, function_name, parameters::VARCHAR, function_type,
           coalesce(comment, '')
    FROM duckdb_functions()
    WHERE NOT internal
    UNION ALL
    SELECT database_name, 'rows', schema_name, table_name, '', row_count::VARCHAR, ''
    FROM temp.main.published_row_counts
),
working AS (SELECT * EXCLUDE (database_name) FROM catalog WHERE database_name = current_database()),
copied AS (SELECT * EXCLUDE (database_name) FROM catalog WHERE database_name = 'published_copy'),
differences AS (
    SELECT kind, schema_name, object_name, column_name,
           working.detail AS working_detail, copied.detail AS copy_detail,
           working.comment AS working_comment, copied.comment AS copy_comment
    FROM working
    FULL OUTER JOIN copied USING (kind, schema_name, object_name, column_name)
    WHERE working.detail IS DISTINCT FROM copied.detail OR working.comment IS DISTINCT FROM copied.comment
),
described AS (
    SELECT kind || ' ' || concat_ws('.', schema_name, nullif(object_name, ''), nullif(column_name, '')) AS entry,
           CASE
               WHEN copy_detail IS NULL THEN ' is missing from the copy'
               WHEN working_detail IS NULL THEN ' is in the copy but not in the working file'
               WHEN working_detail <> copy_detail
                   THEN ': ' || working_detail || ' in the working file, ' || copy_detail || ' in the copy'
               ELSE ': comment "' || working_comment || '" in the working file, "'
                   || copy_comment || '" in the copy'
           END AS difference,
           -- The example: a missing schema, table or view before the columns and rows it explains.
           list_position(['schema', 'table', 'view', 'macro', 'column', 'rows'], kind) AS rank
    FROM differences
)
SELECT count(*) AS failures, arg_min(entry || difference, (rank, entry)) AS example FROM described;
