-- Number the file's well-formed rows when no line was malformed: rowid of a freshly
-- created table follows insertion order, which follows file order, so rowid + 1 is
-- the data-row number (1 = first data row after the header).
CREATE OR REPLACE TEMP VIEW numbered_file AS
SELECT rowid + 1 AS source_row, * FROM mapped_file;
