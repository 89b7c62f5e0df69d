-- Append one HEART file's well-formed rows (staged in the temp table mapped_file, in
-- file order) with their lineage. rowid of a freshly created table follows
-- insertion order, which follows file order, so rowid + 1 is the row's rank among
-- the well-formed rows; malformed_offsets adds the malformed lines before it, so
-- source_row is the data-row number in the file. Rows with no values at all are
-- malformed (raw/insert_malformed_rows.sql), not inserted here.
INSERT INTO raw.heart_rows BY NAME
SELECT $file_id AS file_id, $source_file AS source_file,
    m.k + coalesce(o.malformed_before, 0) AS source_row, $profile AS profile, m.* EXCLUDE (k, blank_row)
FROM (SELECT rowid + 1 AS k, * FROM mapped_file) AS m
ASOF LEFT JOIN malformed_offsets AS o ON m.k > o.accepted_before
WHERE NOT m.blank_row;
