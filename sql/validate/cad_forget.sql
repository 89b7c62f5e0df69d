-- Before the rows this run validates (validate/cad_scope.sql) are checked again: their
-- accepted rows, failures and exact repeats from the last validation go. Whole files
-- by file id (with their malformed lines), single rows by file and row.
DELETE FROM staging.cad_rows WHERE file_id IN (SELECT file_id FROM cad_files_to_validate);
DELETE FROM staging.cad_rows AS s USING cad_rows_to_recheck AS k
WHERE s.file_id = k.file_id AND s.source_row = k.source_row;
DELETE FROM quarantine.cad_failures WHERE file_id IN (SELECT file_id FROM cad_files_to_validate);
DELETE FROM quarantine.cad_failures AS q USING cad_rows_to_recheck AS k
WHERE q.file_id = k.file_id AND q.source_row = k.source_row;
DELETE FROM audit.duplicate_rows WHERE kind = 'cad' AND file_id IN (SELECT file_id FROM cad_files_to_validate);
DELETE FROM audit.duplicate_rows AS d USING cad_rows_to_recheck AS k
WHERE d.kind = 'cad' AND d.file_id = k.file_id AND d.source_row = k.source_row;
