-- CAD rows that repeat an earlier row of the same file exactly (every mapped value
-- the same): each counts once. The copy is neither accepted nor quarantined; it is
-- recorded here and counted in audit.load_audit.rows_duplicate, so per file
-- rows read = accepted + quarantined + duplicate. Appended for the rows this run
-- validates (validate/cad_forget.sql removed their earlier ones).
INSERT INTO audit.duplicate_rows (kind, file_id, source_file, source_row, duplicate_of)
SELECT 'cad', file_id, source_file, source_row, duplicate_of
FROM cad_rows_typed
WHERE duplicate_of IS NOT NULL;
