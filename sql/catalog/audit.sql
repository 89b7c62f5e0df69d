-- audit: what was loaded. One row per input file ever seen (identified by the
-- SHA-256 of its bytes, so a file is read once however often it is dropped or
-- renamed), unreadable files with the reason, rows repeated exactly within a file,
-- which files validation has checked and under what, and per file whether rows
-- read = rows accepted + rows quarantined + rows duplicate.

-- The comments on every table and column of the audit schema (pipeline/warehouse/catalog.py
-- applies them after every build).

COMMENT ON TABLE audit.file_loads IS 'One row per input file ever seen, identified by the SHA-256 of its bytes: which profile read it, when, how many rows, or why it could not be read. Appended to as files arrive; a file already listed is not read again.';
COMMENT ON COLUMN audit.file_loads.file_id IS 'SHA-256 of the file''s bytes, in hex: the file''s identity (the same bytes under another name are the same file).';
COMMENT ON COLUMN audit.file_loads.file_name IS 'File name when the file was first seen.';
COMMENT ON COLUMN audit.file_loads.file_path IS 'Absolute path of the file when it was first seen.';
COMMENT ON COLUMN audit.file_loads.file_bytes IS 'Size of the file in bytes.';
COMMENT ON COLUMN audit.file_loads.profile IS 'Source profile that read the file (profiles/<profile>.toml); NULL when no profile matched its name.';
COMMENT ON COLUMN audit.file_loads.kind IS 'Source: cad (911 CAD export) or heart (HEART log); NULL when no profile matched.';
COMMENT ON COLUMN audit.file_loads.timezone IS 'IANA time zone the file''s local times are read in: the program''s ([program].timezone in config/program.toml) unless the profile overrides it for its source, e.g. America/New_York.';
COMMENT ON COLUMN audit.file_loads.export_as_of IS 'Date the export was taken, read from the file name where the profile says how (local date); NULL when the name carries none. When files repeat a record, the newest export wins.';
COMMENT ON COLUMN audit.file_loads.load_seq IS 'Order of loading: 1 = the first file ever loaded. Breaks ties between exports with the same as-of date (the later load wins).';
COMMENT ON COLUMN audit.file_loads.loaded_at IS 'When the file was loaded: instant (TIMESTAMPTZ, stored as UTC).';
COMMENT ON COLUMN audit.file_loads.status IS 'loaded (malformed rows, if any, are quarantined), or unreadable: the file was refused and none of its rows are in the warehouse; error says why.';
COMMENT ON COLUMN audit.file_loads.error IS 'Why the file could not be read (empty, wrong encoding, missing columns, no matching profile ...); NULL when loaded.';
COMMENT ON COLUMN audit.file_loads.rows_read IS 'Data rows read, header excluded, malformed rows included (raw.malformed_rows); 0 when unreadable, and for a file that is only a header.';
COMMENT ON COLUMN audit.file_loads.columns_read IS 'Number of columns in the file''s header; NULL when unreadable.';
COMMENT ON COLUMN audit.file_loads.columns_unused IS 'Names of the file''s columns that no profile field maps: their values are never stored (names only).';
COMMENT ON COLUMN audit.file_loads.profile_version IS 'Version of the profile the file''s rows are read under (audit.profile_versions): a hash of what shapes the rows (column mapping, CSV reading, time formats, time zone, lookups, true/false tokens, export date), not of the profile file''s text. When the profile changes, the next run re-validates the file (or re-reads it from the inbox) and updates this; an older version here means the file could not be re-read (no longer in the inbox) and the run summary says so. NULL for files loaded before versions were recorded.';

COMMENT ON TABLE audit.file_hashes IS 'The SHA-256 of each inbox file as it was last hashed, with the size and times the file had then: a run reads the bytes only of files whose path, size, modification time or status-change time is new, so files already loaded are not read again just to be known. One row per path; a file that had changed less than two seconds before it was hashed is not listed (it is hashed again on the next run).';
COMMENT ON COLUMN audit.file_hashes.file_path IS 'Absolute path of the file in the inbox.';
COMMENT ON COLUMN audit.file_hashes.file_bytes IS 'Size of the file in bytes when it was hashed.';
COMMENT ON COLUMN audit.file_hashes.modified_ns IS 'The file''s last modification time when it was hashed (st_mtime_ns: nanoseconds since 1970-01-01 UTC). Writing into the file changes it.';
COMMENT ON COLUMN audit.file_hashes.changed_ns IS 'The file''s last status-change time when it was hashed (st_ctime_ns: nanoseconds since 1970-01-01 UTC). Replacing the file (a rename or copy over it, even one that keeps the old modification time) changes it.';
COMMENT ON COLUMN audit.file_hashes.file_id IS 'SHA-256 of the file''s bytes, in hex (audit.file_loads.file_id).';
COMMENT ON COLUMN audit.file_hashes.hashed_at IS 'When the file was hashed: instant (TIMESTAMPTZ, stored as UTC).';

COMMENT ON TABLE audit.profile_versions IS 'Every version of every source profile a run has seen: one row per version and aspect, with the aspect''s hash, so what changed between two versions can be named. Appended to; never rewritten.';
COMMENT ON COLUMN audit.profile_versions.profile IS 'Source profile (profiles/<profile>.toml).';
COMMENT ON COLUMN audit.profile_versions.version IS 'The version: a hash of all the aspects'' hashes (audit.file_loads.profile_version).';
COMMENT ON COLUMN audit.profile_versions.aspect IS 'What part of the profile: column mapping, CSV reading, time format, time zone (the zone its times are read in, the program''s unless the profile overrides it), lookups, true/false tokens, export date, other settings.';
COMMENT ON COLUMN audit.profile_versions.aspect_hash IS 'Hash of the aspect''s canonical form (comments and spacing in the profile file do not count).';
COMMENT ON COLUMN audit.profile_versions.first_seen IS 'When a run first read this version: instant (TIMESTAMPTZ, stored as UTC).';

COMMENT ON TABLE audit.profile_revalidations IS 'What the latest run did to files loaded under an older version of their profile: re-validated from raw (formats, time zone, lookups), re-read from the inbox (a column mapping changed), or not re-read because the file is no longer in the inbox. Replaced on every run; empty when no profile changed.';
COMMENT ON COLUMN audit.profile_revalidations.profile IS 'Source profile that changed.';
COMMENT ON COLUMN audit.profile_revalidations.changed IS 'The aspects that changed since the file was read (audit.profile_versions.aspect), or ''version not recorded'' for a file loaded before versions were recorded.';
COMMENT ON COLUMN audit.profile_revalidations.file_id IS 'Input file: SHA-256 of its bytes (audit.file_loads.file_id).';
COMMENT ON COLUMN audit.profile_revalidations.file_name IS 'File name when the file was first seen.';
COMMENT ON COLUMN audit.profile_revalidations.action IS 're-validated (its rows re-typed from raw), re-read (read again from the inbox: same SHA-256), or not in inbox (a change raw cannot re-derive and the file is gone: its rows keep the old reading).';
COMMENT ON COLUMN audit.profile_revalidations.old_version IS 'Profile version the file had been read under; NULL for a file loaded before versions were recorded.';
COMMENT ON COLUMN audit.profile_revalidations.new_version IS 'The profile''s current version.';

COMMENT ON TABLE audit.duplicate_rows IS 'One row per data row that repeats an earlier row of the same file exactly (every mapped value the same): the copy counts once, through that earlier row, and is neither accepted nor quarantined. Written by validation, file by file (a file validated again has its rows replaced).';
COMMENT ON COLUMN audit.duplicate_rows.kind IS 'Source: cad (911 CAD export) or heart (HEART log).';
COMMENT ON COLUMN audit.duplicate_rows.file_id IS 'Input file: SHA-256 of its bytes (audit.file_loads.file_id).';
COMMENT ON COLUMN audit.duplicate_rows.source_file IS 'Input file name as it was in the inbox.';
COMMENT ON COLUMN audit.duplicate_rows.source_row IS 'Row number of the copy in the file: 1 = first data row after the header.';
COMMENT ON COLUMN audit.duplicate_rows.duplicate_of IS 'Row number of the first row of the same file with the same values (the one that counts).';

COMMENT ON TABLE audit.validated_files IS 'One row per file a profile read (audit.file_loads with a kind, loaded or refused) whose rows validation has typed and checked into staging and quarantine, with what they were checked under. A run validates only the files not listed here, or listed with other inputs or another validator (a profile changed, a file was re-read, the validation itself changed), plus the rows whose outcome depends on the run''s clock or on a CAD incident that changed; the rest keep their outcome. Emptied and refilled by a full rebuild.';
COMMENT ON COLUMN audit.validated_files.file_id IS 'Input file: SHA-256 of its bytes (audit.file_loads.file_id).';
COMMENT ON COLUMN audit.validated_files.kind IS 'Source: cad (911 CAD export) or heart (HEART log).';
COMMENT ON COLUMN audit.validated_files.inputs IS 'Hash of what the file''s rows were validated under besides the rows: its load (status, profile and profile version, time zone, export as-of date, load order, rows read) and its profile''s lookups. When it changes, the file is validated again.';
COMMENT ON COLUMN audit.validated_files.validator IS 'Hash of the validation itself (the typing and check SQL, the code that runs it, the contract''s codes). When it changes, the next run rebuilds staging and quarantine from every raw row.';

COMMENT ON TABLE audit.load_audit IS 'One row per input file, in load order: rows read, accepted, quarantined and duplicate, and whether they reconcile (read = accepted + quarantined + duplicate). Rebuilt on every run from audit.file_loads, staging, quarantine and audit.duplicate_rows.';
COMMENT ON COLUMN audit.load_audit.file_id IS 'Input file: SHA-256 of its bytes (audit.file_loads.file_id).';
COMMENT ON COLUMN audit.load_audit.file_name IS 'File name when the file was first seen.';
COMMENT ON COLUMN audit.load_audit.profile IS 'Source profile that read the file; NULL when no profile matched its name.';
COMMENT ON COLUMN audit.load_audit.kind IS 'Source: cad or heart; NULL when no profile matched.';
COMMENT ON COLUMN audit.load_audit.export_as_of IS 'Date the export was taken, from the file name (local date); NULL when the name carries none.';
COMMENT ON COLUMN audit.load_audit.load_seq IS 'Order of loading: 1 = the first file ever loaded.';
COMMENT ON COLUMN audit.load_audit.loaded_at IS 'When the file was loaded: instant (TIMESTAMPTZ, stored as UTC).';
COMMENT ON COLUMN audit.load_audit.status IS 'loaded or unreadable.';
COMMENT ON COLUMN audit.load_audit.error IS 'Why the file could not be read; NULL when loaded.';
COMMENT ON COLUMN audit.load_audit.rows_read IS 'Data rows read, header excluded (malformed rows included).';
COMMENT ON COLUMN audit.load_audit.rows_accepted IS 'Rows of the file that passed every check (in staging.cad_rows or staging.heart_rows).';
COMMENT ON COLUMN audit.load_audit.rows_quarantined IS 'Rows of the file that failed at least one check (quarantine.rows); a row with several failures counts once.';
COMMENT ON COLUMN audit.load_audit.rows_duplicate IS 'Rows of the file that repeat an earlier row of the same file exactly (audit.duplicate_rows): counted once, through that earlier row.';
COMMENT ON COLUMN audit.load_audit.reconciles IS 'true when rows_read = rows_accepted + rows_quarantined + rows_duplicate.';
