-- Before the rows this run validates (validate/heart_scope.sql) are checked again: their
-- accepted rows, failures and exact repeats from the last validation go. Whole files
-- by file id (with their malformed lines), single rows by file and row.
DELETE FROM staging.heart_rows WHERE file_id IN (SELECT file_id FROM heart_files_to_validate);
DELETE FROM staging.heart_rows AS s USING heart_rows_to_recheck AS k
WHERE s.file_id = k.file_id AND s.source_row = k.source_row;
DELETE FROM quarantine.heart_failures WHERE file_id IN (SELECT file_id FROM heart_files_to_validate);
DELETE FROM quarantine.heart_failures AS q USING heart_rows_to_recheck AS k
WHERE q.file_id = k.file_id AND q.source_row = k.source_row;
DELETE FROM audit.duplicate_rows WHERE kind = 'heart' AND file_id IN (SELECT file_id FROM heart_files_to_validate);
DELETE FROM audit.duplicate_rows AS d USING heart_rows_to_recheck AS k
WHERE d.kind = 'heart' AND d.file_id = k.file_id AND d.source_row = k.source_row;
