-- A full rebuild of the HEART side (the validator changed, a table is missing, or asked
-- for): every table validation writes for HEART goes, to be created again
-- (validate/create_tables.sql) and filled from every raw HEART row. Every response there was
-- is touched (heart_touched): its canonical row is rebuilt, or gone.
CREATE OR REPLACE TEMP TABLE heart_touched AS SELECT response_id FROM staging.heart_responses;
DROP TABLE IF EXISTS staging.heart_rows;
DROP TABLE IF EXISTS quarantine.heart_failures;
DROP TABLE IF EXISTS staging.heart_responses;
DELETE FROM audit.duplicate_rows WHERE kind = 'heart';
DELETE FROM audit.validated_files WHERE kind = 'heart';
