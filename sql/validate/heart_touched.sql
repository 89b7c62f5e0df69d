-- The responses whose accepted rows this run is about to replace: every response with an
-- accepted row among the rows it validates (validate/heart_scope.sql). With the responses
-- of the rows accepted afterwards, these are the responses whose canonical rows are rebuilt.
-- One CREATE TABLE AS, never appended to: in DuckDB 2.0.0, a table appended to with no
-- rows and then with many in the same transaction answers some queries as if empty.
CREATE OR REPLACE TEMP TABLE heart_touched AS
SELECT response_id FROM staging.heart_rows SEMI JOIN heart_files_to_validate USING (file_id)
UNION ALL
SELECT response_id FROM staging.heart_rows SEMI JOIN heart_rows_to_recheck USING (file_id, source_row);
