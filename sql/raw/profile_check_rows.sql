-- heart profile check: the rows one file read through its profile (the temp table
-- mapped_file, ingest.read_file), in file order. Read in memory, never stored.
SELECT * FROM mapped_file ORDER BY rowid;
