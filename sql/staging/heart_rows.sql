-- Accepted HEART rows: typed rows with no failed check, with their lineage;
-- a row repeating an earlier row of its file exactly is left out (audit.duplicate_rows).
CREATE OR REPLACE TABLE staging.heart_rows AS
SELECT * EXCLUDE (duplicate_of, raw_text, parsed_local, unit_unknown, contact_mode_unknown, outcome_unknown)
FROM heart_rows_typed AS t
WHERE t.duplicate_of IS NULL AND NOT EXISTS (
    SELECT 1 FROM quarantine.heart_failures AS q
    WHERE q.file_id = t.file_id AND q.source_row = t.source_row
);
