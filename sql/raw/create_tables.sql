-- Warehouse layout for ingestion. Idempotent: safe at the start of every run.
-- Layers: raw (rows as read, mapped onto the contract, still text),
-- staging (typed, validated, accepted rows and canonical tables),
-- quarantine (rows that failed a check, with the reason), audit (what was loaded).
CREATE SCHEMA IF NOT EXISTS raw;
CREATE SCHEMA IF NOT EXISTS staging;
CREATE SCHEMA IF NOT EXISTS quarantine;
CREATE SCHEMA IF NOT EXISTS audit;

-- One row per input file ever seen, identified by the SHA-256 of its bytes, so a
-- file is read once however often it is dropped or renamed.
CREATE TABLE IF NOT EXISTS audit.file_loads (
    file_id       VARCHAR PRIMARY KEY,  -- sha256 of the file's bytes
    file_name     VARCHAR NOT NULL,
    file_path     VARCHAR NOT NULL,
    file_bytes    BIGINT NOT NULL,
    profile       VARCHAR,              -- source profile that read it (NULL if none matched)
    kind          VARCHAR,              -- 'cad' or 'heart'
    timezone      VARCHAR,              -- local civil time zone its times are in
    export_as_of  DATE,                 -- from the file name, where the profile says how
    load_seq      BIGINT NOT NULL,      -- order of loading; breaks ties between exports
    loaded_at     TIMESTAMPTZ NOT NULL,
    status        VARCHAR NOT NULL,     -- 'loaded' or 'unreadable'
    error         VARCHAR,              -- why it could not be read
    rows_read     BIGINT NOT NULL,
    columns_read  INTEGER,
    columns_unused VARCHAR[],           -- source columns no profile field maps (never stored)
    profile_version VARCHAR             -- the profile's version its rows are read under (audit.profile_versions)
);
-- Warehouses from before profile versions: the column is added (NULL until the file is re-validated).
ALTER TABLE audit.file_loads ADD COLUMN IF NOT EXISTS profile_version VARCHAR;

-- The SHA-256 of each inbox file as it was last hashed, with the size and times the
-- file had then: a run reads the bytes only of files whose path, size or times are new,
-- so files already loaded are not read again to be known (pipeline/ingest/inbox.py).
CREATE TABLE IF NOT EXISTS audit.file_hashes (
    file_path     VARCHAR NOT NULL,  -- absolute path of the file in the inbox
    file_bytes    BIGINT NOT NULL,
    modified_ns   BIGINT NOT NULL,   -- last modification (st_mtime_ns)
    changed_ns    BIGINT NOT NULL,   -- last status change (st_ctime_ns): a rename or copy over it
    file_id       VARCHAR NOT NULL,  -- sha256 of the file's bytes (audit.file_loads.file_id)
    hashed_at     TIMESTAMPTZ NOT NULL
);

-- Every version of every profile seen: per aspect (column mapping, time format, time zone,
-- lookups, ...) a hash of its canonical form, so a run can say what changed between two versions.
CREATE TABLE IF NOT EXISTS audit.profile_versions (
    profile      VARCHAR NOT NULL,
    version      VARCHAR NOT NULL,  -- hash of every aspect below together
    aspect       VARCHAR NOT NULL,
    aspect_hash  VARCHAR NOT NULL,
    first_seen   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (profile, version, aspect)
);

-- What the latest run did to files loaded under an older version of their profile
-- (re-validated from raw, re-read from the inbox, or not re-read): replaced on every run.
CREATE TABLE IF NOT EXISTS audit.profile_revalidations (
    profile      VARCHAR NOT NULL,
    changed      VARCHAR[] NOT NULL,  -- the aspects that changed
    file_id      VARCHAR NOT NULL,
    file_name    VARCHAR NOT NULL,
    action       VARCHAR NOT NULL,    -- 're-validated', 're-read' or 'not in inbox'
    old_version  VARCHAR,
    new_version  VARCHAR NOT NULL
);

-- CAD rows as read: lineage, then one text column per contract field (pipeline/ingest/contract.py),
-- then each time field parsed as local wall-clock time (NULL when it would not parse).
CREATE TABLE IF NOT EXISTS raw.cad_rows (
    file_id           VARCHAR NOT NULL,
    source_file       VARCHAR NOT NULL,
    source_row        BIGINT NOT NULL,  -- 1 = first data row after the header
    profile           VARCHAR NOT NULL,
    incident_id       VARCHAR,
    received_at       VARCHAR,
    initial_call_type VARCHAR,
    final_call_type   VARCHAR,
    priority          VARCHAR,
    beat              VARCHAR,
    block_key         VARCHAR,          -- keyed hash of the block, never its text (raw/stage_mapped_file.sql)
    disposition       VARCHAR,
    unit_id           VARCHAR,
    discipline        VARCHAR,
    dispatched_at     VARCHAR,
    enroute_at        VARCHAR,
    arrived_at        VARCHAR,
    cleared_at        VARCHAR,
    received_at_local   TIMESTAMP,
    dispatched_at_local TIMESTAMP,
    enroute_at_local    TIMESTAMP,
    arrived_at_local    TIMESTAMP,
    cleared_at_local    TIMESTAMP
);
-- Warehouses from before the block key (repeat calls, marts.impact_*): the column is added, NULL
-- for files read before it; a profile that now maps it re-reads its files (a column-mapping change).
ALTER TABLE raw.cad_rows ADD COLUMN IF NOT EXISTS block_key VARCHAR;

CREATE TABLE IF NOT EXISTS raw.heart_rows (
    file_id           VARCHAR NOT NULL,
    source_file       VARCHAR NOT NULL,
    source_row        BIGINT NOT NULL,
    profile           VARCHAR NOT NULL,
    response_id       VARCHAR,
    cad_incident_id   VARCHAR,
    unit              VARCHAR,
    team              VARCHAR,
    received_at       VARCHAR,
    dispatched_at     VARCHAR,
    arrived_at        VARCHAR,
    cleared_at        VARCHAR,
    contact_mode      VARCHAR,
    resolved_without_in_person VARCHAR,
    police_requested  VARCHAR,
    felt_safe         VARCHAR,
    outcome           VARCHAR,
    referrals         VARCHAR,
    person_key        VARCHAR,
    followup_due_at   VARCHAR,
    followup_done_at  VARCHAR,
    received_at_local        TIMESTAMP,
    dispatched_at_local      TIMESTAMP,
    arrived_at_local         TIMESTAMP,
    cleared_at_local         TIMESTAMP,
    followup_due_at_local    TIMESTAMP,
    followup_done_at_local   TIMESTAMP
);

-- Rows of a loaded file that are not a record of its header's shape: too few or
-- too many fields, a quote left open (a cut last line), or no value in any column.
-- Their content is never stored; validation quarantines each as malformed_row, so
-- per file rows read = raw rows + malformed rows.
CREATE TABLE IF NOT EXISTS raw.malformed_rows (
    file_id       VARCHAR NOT NULL,
    source_file   VARCHAR NOT NULL,
    source_row    BIGINT NOT NULL,  -- 1 = first data row after the header
    profile       VARCHAR NOT NULL,
    kind          VARCHAR NOT NULL,  -- 'cad' or 'heart'
    problem       VARCHAR NOT NULL   -- what is wrong, with the line number; never the content
);

-- Rows that repeat an earlier row of the same file exactly: counted once, the
-- copies listed here (rebuilt by validation on every run).
CREATE TABLE IF NOT EXISTS audit.duplicate_rows (
    kind          VARCHAR NOT NULL,  -- 'cad' or 'heart'
    file_id       VARCHAR NOT NULL,
    source_file   VARCHAR NOT NULL,
    source_row    BIGINT NOT NULL,   -- the copy
    duplicate_of  BIGINT NOT NULL    -- the first row of the file with the same values
);

-- The profiles' code lookups, refreshed from profiles/*.toml on every run:
-- which fields each profile translates, and the codes it knows for them.
CREATE TABLE IF NOT EXISTS raw.profile_coded_fields (
    profile     VARCHAR NOT NULL,
    field       VARCHAR NOT NULL,
    on_unknown  VARCHAR NOT NULL,  -- 'quarantine' or 'keep'
    PRIMARY KEY (profile, field)
);
-- Outcome classes (docs/source-profiles.md, [outcome_classes]): which disposition codes of a
-- profile mean an arrest or an EMS transport, for the impact marts. A profile with none has no row.
CREATE TABLE IF NOT EXISTS raw.profile_outcome_classes (
    profile        VARCHAR NOT NULL,
    outcome_class  VARCHAR NOT NULL,  -- 'arrest' or 'ems_transport'
    code           VARCHAR NOT NULL,  -- disposition code, trimmed, upper case
    PRIMARY KEY (profile, outcome_class, code)
);
CREATE TABLE IF NOT EXISTS raw.profile_codes (
    profile     VARCHAR NOT NULL,
    field       VARCHAR NOT NULL,
    code        VARCHAR NOT NULL,  -- trimmed, upper case
    value       VARCHAR NOT NULL,  -- canonical code, or the code's description for open code lists
    PRIMARY KEY (profile, field, code)
);

-- Problems found while reading a time given as a date column and a time column
-- (docs/source-profiles.md): one row per row and field; validation quarantines the
-- row with this check. The value is the two columns' text (a date and a time).
CREATE TABLE IF NOT EXISTS raw.row_checks (
    file_id       VARCHAR NOT NULL,
    source_file   VARCHAR NOT NULL,
    source_row    BIGINT NOT NULL,   -- 1 = first data row after the header
    profile       VARCHAR NOT NULL,
    kind          VARCHAR NOT NULL,  -- 'cad' or 'heart'
    field         VARCHAR NOT NULL,  -- the contract's time field
    check_name    VARCHAR NOT NULL,  -- inconsistent_date_time or ambiguous_time
    value         VARCHAR            -- the date and time as written
);

-- Labels an export gives its own codes (a field mapped with label_column): per
-- file, field and code, the label written most often. A lookup's value overrides it.
CREATE TABLE IF NOT EXISTS raw.code_labels (
    file_id       VARCHAR NOT NULL,
    field         VARCHAR NOT NULL,  -- initial_call_type, final_call_type or disposition
    code          VARCHAR NOT NULL,  -- trimmed, upper case
    label         VARCHAR NOT NULL
);
