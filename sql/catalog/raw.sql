-- raw: rows as read from the input files, mapped onto the input contract and
-- still text, with the file and row each came from, plus the source profiles'
-- code lookups. Rows are appended as files arrive and never edited; only the
-- columns a profile maps are stored.

-- The comments on every table and column of the raw schema (pipeline/warehouse/catalog.py
-- applies them after every build). The contract-field columns of raw.cad_rows and
-- raw.heart_rows (incident_id ... cleared_at, and each time's *_local column) are
-- commented from pipeline/ingest/contract.py (Field.description), not here.

COMMENT ON TABLE raw.cad_rows IS 'One row per data row of a loaded CAD export, as read: the file and row it came from, one text column per contract field exactly as the file wrote it (after the profile mapped the source columns), and each time parsed as local wall-clock time. Not yet checked or typed: staging.cad_rows holds the rows that passed.';
COMMENT ON COLUMN raw.cad_rows.file_id IS 'Input file: SHA-256 of its bytes (audit.file_loads.file_id).';
COMMENT ON COLUMN raw.cad_rows.source_file IS 'Input file name as it was in the inbox.';
COMMENT ON COLUMN raw.cad_rows.source_row IS 'Row number in the file: 1 = first data row after the header.';
COMMENT ON COLUMN raw.cad_rows.profile IS 'Source profile that read the file (profiles/<profile>.toml).';

COMMENT ON TABLE raw.heart_rows IS 'One row per data row of a loaded HEART log, as read: the file and row it came from, one text column per contract field exactly as the file wrote it (after the profile mapped the source columns), and each time parsed as local wall-clock time. Not yet checked or typed: staging.heart_rows holds the rows that passed.';
COMMENT ON COLUMN raw.heart_rows.file_id IS 'Input file: SHA-256 of its bytes (audit.file_loads.file_id).';
COMMENT ON COLUMN raw.heart_rows.source_file IS 'Input file name as it was in the inbox.';
COMMENT ON COLUMN raw.heart_rows.source_row IS 'Row number in the file: 1 = first data row after the header.';
COMMENT ON COLUMN raw.heart_rows.profile IS 'Source profile that read the file (profiles/<profile>.toml).';

COMMENT ON TABLE raw.malformed_rows IS 'One row per data row of a loaded file that is not a record of its header''s shape: too few or too many fields, a quoted field left open (a cut last line), or no value in any column. Its content is never stored; each is quarantined as malformed_row, and counts among the file''s rows read.';
COMMENT ON COLUMN raw.malformed_rows.file_id IS 'Input file: SHA-256 of its bytes (audit.file_loads.file_id).';
COMMENT ON COLUMN raw.malformed_rows.source_file IS 'Input file name as it was in the inbox.';
COMMENT ON COLUMN raw.malformed_rows.source_row IS 'Row number in the file: 1 = first data row after the header; empty lines are not rows (problem gives the line number).';
COMMENT ON COLUMN raw.malformed_rows.profile IS 'Source profile that read the file (profiles/<profile>.toml).';
COMMENT ON COLUMN raw.malformed_rows.kind IS 'Source: cad (911 CAD export) or heart (HEART log).';
COMMENT ON COLUMN raw.malformed_rows.problem IS 'What is wrong with the line, with its line number in the file (1 = the header), e.g. 2 fields where the header has 15. Never the line''s content.';

COMMENT ON TABLE raw.profile_coded_fields IS 'One row per source profile and coded field its lookups translate, refreshed from profiles/*.toml on every run (so a fixed profile re-validates files already loaded).';
COMMENT ON COLUMN raw.profile_coded_fields.profile IS 'Source profile (profiles/<profile>.toml).';
COMMENT ON COLUMN raw.profile_coded_fields.field IS 'Contract field the lookup translates (pipeline/ingest/contract.py), e.g. initial_call_type, unit, felt_safe.';
COMMENT ON COLUMN raw.profile_coded_fields.on_unknown IS 'What happens to a row holding a code the lookup does not list: quarantine (the row is quarantined, check unknown_code) or keep (the row is kept and the code has no label).';

COMMENT ON TABLE raw.profile_outcome_classes IS 'One row per CAD source profile, outcome class and disposition code that means it ([outcome_classes] in profiles/<profile>.toml), refreshed on every run; read by the impact marts (marts.impact_*). A profile with no row for a class leaves that class''s counts NULL.';
COMMENT ON COLUMN raw.profile_outcome_classes.profile IS 'Source profile (profiles/<profile>.toml).';
COMMENT ON COLUMN raw.profile_outcome_classes.outcome_class IS 'arrest or ems_transport (pipeline/ingest/contract.py OUTCOME_CLASSES).';
COMMENT ON COLUMN raw.profile_outcome_classes.code IS 'Disposition code as written in the export, trimmed and upper case; checked against the profile''s disposition lookup when it has one.';

COMMENT ON TABLE raw.profile_codes IS 'One row per source profile, field and source code its lookup lists, with what the code means; refreshed from profiles/*.toml on every run.';
COMMENT ON COLUMN raw.profile_codes.profile IS 'Source profile (profiles/<profile>.toml).';
COMMENT ON COLUMN raw.profile_codes.field IS 'Contract field the code belongs to (pipeline/ingest/contract.py).';
COMMENT ON COLUMN raw.profile_codes.code IS 'Source code as the lookup compares it: trimmed, upper case.';
COMMENT ON COLUMN raw.profile_codes.value IS 'What the code means: the canonical code for fixed-domain fields (discipline, unit, contact_mode, outcome), true or false for yes/no fields, or the code''s description for open code lists (call types, dispositions).';

COMMENT ON TABLE raw.row_checks IS 'One row per row and time field given as a date column and a time column whose two parts do not add up: the date column carries a time of day other than midnight (inconsistent_date_time), or a column reads as two different values under the profile''s formats (ambiguous_time). Validation quarantines the row with that check.';
COMMENT ON COLUMN raw.row_checks.file_id IS 'Input file: SHA-256 of its bytes (audit.file_loads.file_id).';
COMMENT ON COLUMN raw.row_checks.source_file IS 'Input file name as it was in the inbox.';
COMMENT ON COLUMN raw.row_checks.source_row IS 'Row number in the file: 1 = first data row after the header.';
COMMENT ON COLUMN raw.row_checks.profile IS 'Source profile that read the file (profiles/<profile>.toml).';
COMMENT ON COLUMN raw.row_checks.kind IS 'Source: cad (911 CAD export) or heart (HEART log).';
COMMENT ON COLUMN raw.row_checks.field IS 'Contract time field (pipeline/ingest/contract.py), e.g. received_at.';
COMMENT ON COLUMN raw.row_checks.check_name IS 'inconsistent_date_time or ambiguous_time (docs/source-profiles.md).';
COMMENT ON COLUMN raw.row_checks.value IS 'The date column''s and the time column''s text, joined by a space (a date and a time, never free text).';

COMMENT ON TABLE raw.code_labels IS 'One row per loaded file, coded field and code: the label the export itself gives the code (a field mapped with label_column), the one written most often. Staging uses it when the profile''s lookup has no value for the code; a code the export labels is not unknown.';
COMMENT ON COLUMN raw.code_labels.file_id IS 'Input file: SHA-256 of its bytes (audit.file_loads.file_id).';
COMMENT ON COLUMN raw.code_labels.field IS 'Contract field: initial_call_type, final_call_type or disposition.';
COMMENT ON COLUMN raw.code_labels.code IS 'Source code as compared: trimmed, upper case.';
COMMENT ON COLUMN raw.code_labels.label IS 'The code''s description from the export''s label column, trimmed.';
