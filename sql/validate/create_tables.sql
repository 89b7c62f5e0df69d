-- The tables validation writes, created when missing. Idempotent: run at the start of
-- every validation. Validation appends to them file by file (pipeline/validate/build.py):
-- only the rows of files not validated before, or validated under other inputs, are
-- typed and checked; a full rebuild drops them and starts again.

-- Which files are validated, and under what: a file whose inputs or validator differ
-- from the ones recorded here (or that has no row) is validated again on the next run.
CREATE TABLE IF NOT EXISTS audit.validated_files (
    file_id    VARCHAR NOT NULL,  -- audit.file_loads.file_id
    kind       VARCHAR NOT NULL,  -- 'cad' or 'heart'
    inputs     VARCHAR NOT NULL,  -- hash of what its rows are validated under (validate/file_inputs.sql)
    validator  VARCHAR NOT NULL   -- hash of the validation's SQL and the contract's codes
);

CREATE TABLE IF NOT EXISTS staging.cad_rows (
    file_id                 VARCHAR,
    source_file             VARCHAR,
    source_row              BIGINT,
    profile                 VARCHAR,
    timezone                VARCHAR,
    export_as_of            DATE,
    load_seq                BIGINT,
    incident_id             VARCHAR,
    received_at             TIMESTAMPTZ,
    initial_call_type       VARCHAR,
    initial_call_type_label VARCHAR,
    final_call_type         VARCHAR,
    final_call_type_label   VARCHAR,
    priority                INTEGER,
    beat                    VARCHAR,
    block_key               VARCHAR,   -- keyed hash of the address block (raw/stage_mapped_file.sql)
    disposition             VARCHAR,
    disposition_label       VARCHAR,
    unit_id                 VARCHAR,
    discipline              VARCHAR,
    dispatched_at           TIMESTAMPTZ,
    enroute_at              TIMESTAMPTZ,
    arrived_at              TIMESTAMPTZ,
    cleared_at              TIMESTAMPTZ
);

CREATE TABLE IF NOT EXISTS staging.heart_rows (
    file_id                    VARCHAR,
    source_file                VARCHAR,
    source_row                 BIGINT,
    profile                    VARCHAR,
    timezone                   VARCHAR,
    export_as_of               DATE,
    load_seq                   BIGINT,
    response_id                VARCHAR,
    cad_incident_id            VARCHAR,
    unit                       VARCHAR,
    team                       VARCHAR,
    received_at                TIMESTAMPTZ,
    dispatched_at              TIMESTAMPTZ,
    arrived_at                 TIMESTAMPTZ,
    cleared_at                 TIMESTAMPTZ,
    contact_mode               VARCHAR,
    resolved_without_in_person BOOLEAN,
    police_requested           BOOLEAN,
    felt_safe                  BOOLEAN,
    outcome                    VARCHAR,
    referrals                  VARCHAR,
    person_key                 VARCHAR,
    followup_due_at            TIMESTAMPTZ,
    followup_done_at           TIMESTAMPTZ
);

CREATE TABLE IF NOT EXISTS quarantine.cad_failures (
    kind         VARCHAR,
    file_id      VARCHAR,
    source_file  VARCHAR,
    source_row   BIGINT,
    column_name  VARCHAR,
    check_name   VARCHAR,
    value        VARCHAR,
    message      VARCHAR
);

CREATE TABLE IF NOT EXISTS quarantine.heart_failures (
    kind         VARCHAR,
    file_id      VARCHAR,
    source_file  VARCHAR,
    source_row   BIGINT,
    column_name  VARCHAR,
    check_name   VARCHAR,
    value        VARCHAR,
    message      VARCHAR
);

CREATE TABLE IF NOT EXISTS staging.cad_incidents (
    incident_id             VARCHAR,
    received_at             TIMESTAMPTZ,
    initial_call_type       VARCHAR,
    initial_call_type_label VARCHAR,
    final_call_type         VARCHAR,
    final_call_type_label   VARCHAR,
    priority                INTEGER,
    beat                    VARCHAR,
    block_key               VARCHAR,   -- keyed hash of the address block (raw/stage_mapped_file.sql)
    disposition             VARCHAR,
    disposition_label       VARCHAR,
    profile                 VARCHAR,
    timezone                VARCHAR,
    exports_seen            BIGINT,
    source_file_id          VARCHAR,
    source_file             VARCHAR,
    source_row              BIGINT
);

-- Warehouses from before the block key: added (NULL until the files are read again).
ALTER TABLE staging.cad_rows ADD COLUMN IF NOT EXISTS block_key VARCHAR;
ALTER TABLE staging.cad_incidents ADD COLUMN IF NOT EXISTS block_key VARCHAR;

CREATE TABLE IF NOT EXISTS staging.cad_unit_assignments (
    incident_id     VARCHAR,
    unit_id         VARCHAR,
    discipline      VARCHAR,
    dispatched_at   TIMESTAMPTZ,
    enroute_at      TIMESTAMPTZ,
    arrived_at      TIMESTAMPTZ,
    cleared_at      TIMESTAMPTZ,
    source_file_id  VARCHAR,
    source_file     VARCHAR,
    source_row      BIGINT
);

CREATE TABLE IF NOT EXISTS staging.heart_responses (
    response_id                VARCHAR,
    cad_incident_id            VARCHAR,
    cad_linked                 BOOLEAN,
    unit                       VARCHAR,
    team                       VARCHAR,
    received_at                TIMESTAMPTZ,
    dispatched_at              TIMESTAMPTZ,
    arrived_at                 TIMESTAMPTZ,
    cleared_at                 TIMESTAMPTZ,
    contact_mode               VARCHAR,
    resolved_without_in_person BOOLEAN,
    police_requested           BOOLEAN,
    felt_safe                  BOOLEAN,
    outcome                    VARCHAR,
    referrals                  VARCHAR,
    person_key                 VARCHAR,
    followup_due_at            TIMESTAMPTZ,
    followup_done_at           TIMESTAMPTZ,
    profile                    VARCHAR,
    timezone                   VARCHAR,
    exports_seen               BIGINT,
    source_file_id             VARCHAR,
    source_file                VARCHAR,
    source_row                 BIGINT
);

-- What the latest validation changed in the canonical tables (replaced by every run):
-- the incidents and responses whose rows it added, updated or removed.
CREATE TABLE IF NOT EXISTS staging.changed_incidents (incident_id VARCHAR);
CREATE TABLE IF NOT EXISTS staging.changed_responses (response_id VARCHAR);
