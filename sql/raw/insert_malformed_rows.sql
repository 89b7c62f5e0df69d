-- Append one file's malformed rows: lines that are not a record of the header's
-- shape (from malformed_lines) and rows with no value in any column (a line of
-- only delimiters or spaces), with their data-row number and why. Never their
-- content. Validation quarantines each as malformed_row.
INSERT INTO raw.malformed_rows BY NAME
SELECT $file_id AS file_id, $source_file AS source_file, source_row, $profile AS profile, $kind AS kind, problem
FROM malformed_lines
UNION ALL
SELECT $file_id, $source_file, m.k + coalesce(o.malformed_before, 0), $profile, $kind,
    'the row has no values (only delimiters, spaces or null tokens)'
FROM (SELECT rowid + 1 AS k, blank_row FROM mapped_file) AS m
ASOF LEFT JOIN malformed_offsets AS o ON m.k > o.accepted_before
WHERE m.blank_row;
