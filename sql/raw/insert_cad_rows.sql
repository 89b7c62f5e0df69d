-- Append one file's mapped rows (staged in the temp table mapped_file, in file
-- order) with their lineage. rowid of a freshly created table follows insertion
-- order, which follows file order, so rowid + 1 is the data-row number.
INSERT INTO raw.cad_rows BY NAME
SELECT $file_id AS file_id, $source_file AS source_file, rowid + 1 AS source_row, $profile AS profile, *
FROM mapped_file;
