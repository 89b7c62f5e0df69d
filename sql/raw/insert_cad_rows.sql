-- Append one CAD file's well-formed rows (the temp view numbered_file: mapped_file
-- with each row's data-row number, raw/number_rows*.sql) with their lineage.
-- Rows with no values at all are malformed (raw/insert_malformed_rows.sql), not
-- inserted here.
INSERT INTO raw.cad_rows BY NAME
SELECT $file_id AS file_id, $source_file AS source_file, source_row, $profile AS profile,
    * EXCLUDE (source_row, blank_row, row_checks, code_labels)
FROM numbered_file
WHERE NOT blank_row;
