-- audit: what was loaded. One row per input file ever seen (identified by the
-- SHA-256 of its bytes, so a file is read once however often it is dropped or
-- renamed), unreadable files with the reason, and per file whether rows read =
-- rows accepted + rows quarantined.

-- The comments on every table and column of the audit schema (pipeline/catalog.py
-- applies them after every build).

COMMENT ON TABLE audit.file_loads IS 'One row per input file ever seen, identified by the SHA-256 of its bytes: which profile read it, when, how many rows, or why it could not be read. Appended to as files arrive; a file already listed is not read again.';
COMMENT ON COLUMN audit.file_loads.file_id IS 'SHA-256 of the file''s bytes, in hex: the file''s identity (the same bytes under another name are the same file).';
COMMENT ON COLUMN audit.file_loads.file_name IS 'File name when the file was first seen.';
COMMENT ON COLUMN audit.file_loads.file_path IS 'Absolute path of the file when it was first seen.';
COMMENT ON COLUMN audit.file_loads.file_bytes IS 'Size of the file in bytes.';
COMMENT ON COLUMN audit.file_loads.profile IS 'Source profile that read the file (profiles/<profile>.toml); NULL when no profile matched its name.';
COMMENT ON COLUMN audit.file_loads.kind IS 'Source: cad (911 CAD export) or heart (HEART log); NULL when no profile matched.';
COMMENT ON COLUMN audit.file_loads.timezone IS 'IANA time zone the file''s local times are read in (from the profile, else the run''s default), e.g. America/New_York.';
COMMENT ON COLUMN audit.file_loads.export_as_of IS 'Date the export was taken, read from the file name where the profile says how (local date); NULL when the name carries none. When files repeat a record, the newest export wins.';
COMMENT ON COLUMN audit.file_loads.load_seq IS 'Order of loading: 1 = the first file ever loaded. Breaks ties between exports with the same as-of date (the later load wins).';
COMMENT ON COLUMN audit.file_loads.loaded_at IS 'When the file was loaded: instant (TIMESTAMPTZ, stored as UTC).';
COMMENT ON COLUMN audit.file_loads.status IS 'loaded, or unreadable (none of its rows are in the warehouse; error says why).';
COMMENT ON COLUMN audit.file_loads.error IS 'Why the file could not be read (empty, wrong encoding, missing columns, no matching profile ...); NULL when loaded.';
COMMENT ON COLUMN audit.file_loads.rows_read IS 'Data rows read, header excluded; 0 when unreadable.';
COMMENT ON COLUMN audit.file_loads.columns_read IS 'Number of columns in the file''s header; NULL when unreadable.';
COMMENT ON COLUMN audit.file_loads.columns_unused IS 'Names of the file''s columns that no profile field maps: their values are never stored (names only).';

COMMENT ON TABLE audit.load_audit IS 'One row per input file, in load order: rows read, accepted and quarantined, and whether they reconcile (read = accepted + quarantined). Rebuilt on every run from audit.file_loads, staging and quarantine.';
COMMENT ON COLUMN audit.load_audit.file_id IS 'Input file: SHA-256 of its bytes (audit.file_loads.file_id).';
COMMENT ON COLUMN audit.load_audit.file_name IS 'File name when the file was first seen.';
COMMENT ON COLUMN audit.load_audit.profile IS 'Source profile that read the file; NULL when no profile matched its name.';
COMMENT ON COLUMN audit.load_audit.kind IS 'Source: cad or heart; NULL when no profile matched.';
COMMENT ON COLUMN audit.load_audit.export_as_of IS 'Date the export was taken, from the file name (local date); NULL when the name carries none.';
COMMENT ON COLUMN audit.load_audit.load_seq IS 'Order of loading: 1 = the first file ever loaded.';
COMMENT ON COLUMN audit.load_audit.loaded_at IS 'When the file was loaded: instant (TIMESTAMPTZ, stored as UTC).';
COMMENT ON COLUMN audit.load_audit.status IS 'loaded or unreadable.';
COMMENT ON COLUMN audit.load_audit.error IS 'Why the file could not be read; NULL when loaded.';
COMMENT ON COLUMN audit.load_audit.rows_read IS 'Data rows read, header excluded.';
COMMENT ON COLUMN audit.load_audit.rows_accepted IS 'Rows of the file that passed every check (in staging.cad_rows or staging.heart_rows).';
COMMENT ON COLUMN audit.load_audit.rows_quarantined IS 'Rows of the file that failed at least one check (quarantine.rows); a row with several failures counts once.';
COMMENT ON COLUMN audit.load_audit.reconciles IS 'true when rows_read = rows_accepted + rows_quarantined.';
