-- Append one file's malformed rows: lines that are not a record of the header's
-- shape (from malformed_lines) and rows with no value in any column (a line of
-- only delimiters or null tokens), with their data-row number and why.
-- Never their content. Validation quarantines each as malformed_row.
INSERT INTO raw.malformed_rows BY NAME
SELECT $file_id AS file_id, $source_file AS source_file, source_row, $profile AS profile, $kind AS kind, problem
FROM malformed_lines
UNION ALL
SELECT $file_id, $source_file, source_row, $profile, $kind,
    'the row has no values (a line of only delimiters or null tokens)'
FROM numbered_file
WHERE blank_row;
