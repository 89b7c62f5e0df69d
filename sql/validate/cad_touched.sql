-- The incidents whose accepted rows this run is about to replace: every incident with an
-- accepted row among the rows it validates (validate/cad_scope.sql). With the incidents
-- of the rows accepted afterwards, these are the incidents whose canonical rows are rebuilt.
-- One CREATE TABLE AS, never appended to: in DuckDB 2.0.0, a table appended to with no
-- rows and then with many in the same transaction answers some queries as if empty.
CREATE OR REPLACE TEMP TABLE cad_touched AS
SELECT incident_id FROM staging.cad_rows SEMI JOIN cad_files_to_validate USING (file_id)
UNION ALL
SELECT incident_id FROM staging.cad_rows SEMI JOIN cad_rows_to_recheck USING (file_id, source_row);
