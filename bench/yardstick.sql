-- The yardstick: DuckDB's own read_csv of the same file into a table, every column as text
-- (type sniffing trips on the deliberately bad times, and text is what ingest reads too).
CREATE OR REPLACE TABLE yardstick AS SELECT * FROM read_csv($path, header = true, all_varchar = true);
