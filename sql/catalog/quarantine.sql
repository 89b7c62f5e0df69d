-- quarantine: rows that failed a check, one row per failed check, with the
-- value as the file wrote it and a sentence saying what is wrong. A row with
-- any failure is kept out of staging and of every figure until a corrected
-- export (or a fixed profile) lets it pass.

-- The comments on every table, view and column of the quarantine schema
-- (pipeline/warehouse/catalog.py applies them after every build). The checks are listed
-- in docs/input-contract.md.

COMMENT ON TABLE quarantine.cad_failures IS 'One row per failed check on a CAD row: which file and row, which column, which check, the value as the file wrote it, and why. A row with several failures has several rows here; none of its data reaches staging.';
COMMENT ON COLUMN quarantine.cad_failures.kind IS 'Source: cad.';
COMMENT ON COLUMN quarantine.cad_failures.file_id IS 'Input file: SHA-256 of its bytes (audit.file_loads.file_id).';
COMMENT ON COLUMN quarantine.cad_failures.source_file IS 'Input file name as it was in the inbox.';
COMMENT ON COLUMN quarantine.cad_failures.source_row IS 'Row number in the file: 1 = first data row after the header.';
COMMENT ON COLUMN quarantine.cad_failures.column_name IS 'Contract field that failed the check (pipeline/ingest/contract.py), e.g. received_at, discipline; row for malformed_row (the whole line).';
COMMENT ON COLUMN quarantine.cad_failures.check_name IS 'The check that failed: malformed_row, missing_required, unparseable_timestamp, inconsistent_date_time, ambiguous_time, unparseable_number, unknown_code, time_order or future_time (docs/input-contract.md).';
COMMENT ON COLUMN quarantine.cad_failures.value IS 'The value as the file wrote it (text, not trimmed); NULL when empty, and for malformed_row. May hold personal details from a shifted column: never publish it.';
COMMENT ON COLUMN quarantine.cad_failures.message IS 'What is wrong, in a sentence (does not quote the value).';

COMMENT ON TABLE quarantine.heart_failures IS 'One row per failed check on a HEART log row: which file and row, which column, which check, the value as the file wrote it, and why. A row with several failures has several rows here; none of its data reaches staging.';
COMMENT ON COLUMN quarantine.heart_failures.kind IS 'Source: heart.';
COMMENT ON COLUMN quarantine.heart_failures.file_id IS 'Input file: SHA-256 of its bytes (audit.file_loads.file_id).';
COMMENT ON COLUMN quarantine.heart_failures.source_file IS 'Input file name as it was in the inbox.';
COMMENT ON COLUMN quarantine.heart_failures.source_row IS 'Row number in the file: 1 = first data row after the header.';
COMMENT ON COLUMN quarantine.heart_failures.column_name IS 'Contract field that failed the check (pipeline/ingest/contract.py), e.g. unit, felt_safe; row for malformed_row (the whole line).';
COMMENT ON COLUMN quarantine.heart_failures.check_name IS 'The check that failed: malformed_row, missing_required, duplicate_id, unparseable_timestamp, inconsistent_date_time, ambiguous_time, unknown_code, invalid_boolean, time_order (also against the linked CAD incident) or future_time (docs/input-contract.md).';
COMMENT ON COLUMN quarantine.heart_failures.value IS 'The value as the file wrote it (text, not trimmed); NULL when empty, and for malformed_row. May hold personal details from a shifted column: never publish it.';
COMMENT ON COLUMN quarantine.heart_failures.message IS 'What is wrong, in a sentence (does not quote the value).';

COMMENT ON VIEW quarantine.rows IS 'View: every failed check of both sources, one row per failed check (quarantine.cad_failures UNION ALL quarantine.heart_failures).';
COMMENT ON COLUMN quarantine.rows.kind IS 'Source: cad (911 CAD export) or heart (HEART log).';
COMMENT ON COLUMN quarantine.rows.file_id IS 'Input file: SHA-256 of its bytes (audit.file_loads.file_id).';
COMMENT ON COLUMN quarantine.rows.source_file IS 'Input file name as it was in the inbox.';
COMMENT ON COLUMN quarantine.rows.source_row IS 'Row number in the file: 1 = first data row after the header.';
COMMENT ON COLUMN quarantine.rows.column_name IS 'Contract field that failed the check (pipeline/ingest/contract.py); row for malformed_row (the whole line).';
COMMENT ON COLUMN quarantine.rows.check_name IS 'The check that failed: malformed_row, missing_required, duplicate_id, unparseable_timestamp, inconsistent_date_time, ambiguous_time, unparseable_number, unknown_code, invalid_boolean, time_order or future_time (docs/input-contract.md).';
COMMENT ON COLUMN quarantine.rows.value IS 'The value as the file wrote it (text, not trimmed); NULL when empty, and for malformed_row. May hold personal details from a shifted column: never publish it.';
COMMENT ON COLUMN quarantine.rows.message IS 'What is wrong, in a sentence (does not quote the value).';
