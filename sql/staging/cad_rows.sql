-- Accepted CAD rows: typed rows of this run with no failed check, with their lineage,
-- appended (validate/cad_forget.sql removed the earlier version of the same rows);
-- a row repeating an earlier row of its file exactly is left out (audit.duplicate_rows).
INSERT INTO staging.cad_rows BY NAME
SELECT * EXCLUDE (duplicate_of, written, unreadable, discipline_unknown, initial_call_type_unknown,
                  final_call_type_unknown, disposition_unknown)
FROM cad_rows_typed AS t
WHERE t.duplicate_of IS NULL AND NOT EXISTS (
    SELECT 1 FROM quarantine.cad_failures AS q
    WHERE q.file_id = t.file_id AND q.source_row = t.source_row
);

-- Done with this run's typed rows: their memory goes back before the canonical tables are rebuilt.
DROP TABLE cad_rows_typed;
