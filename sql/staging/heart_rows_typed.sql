-- The raw HEART rows this run validates (the temp view heart_raw_scope,
-- validate/heart_scope.sql), typed: codes and yes/no tokens translated through the
-- profile's lookups, local times resolved to instants, and what the checks need to know
-- of the text as written (whether a value was written, whether it could be read). The
-- text itself is not kept: quarantine quotes it from raw for the failing rows only.
-- A TEMP table: an intermediate of this connection, never written to the warehouse file.
CREATE OR REPLACE TEMP TABLE heart_rows_typed AS
-- Rows that repeat an earlier row of the same file exactly (every mapped value the
-- same): each copy, with the first such row. A copy is a duplicate and counts once
-- (docs/input-contract.md). Grouping, not a window over every column: ~4x faster.
-- The candidates first: rows whose file and values hash alike (small to group); the
-- grouping of the candidates by their values then confirms each copy.
WITH repeated_hashes AS (
    SELECT h
    FROM (SELECT hash(r.file_id, r.response_id, r.cad_incident_id, r.unit, r.team, r.received_at, r.dispatched_at,
        r.arrived_at, r.cleared_at, r.contact_mode, r.resolved_without_in_person, r.police_requested, r.felt_safe,
        r.outcome, r.referrals, r.person_key, r.followup_due_at, r.followup_done_at) AS h
          FROM heart_raw_scope AS r)
    GROUP BY h
    HAVING count(*) > 1
),
copies AS (
    SELECT file_id, unnest(list_filter(source_rows, lambda x: x > first_row)) AS source_row, first_row AS duplicate_of
    FROM (
        SELECT r.file_id, min(r.source_row) AS first_row, list(r.source_row) AS source_rows
        FROM heart_raw_scope AS r
        WHERE hash(r.file_id, r.response_id, r.cad_incident_id, r.unit, r.team, r.received_at, r.dispatched_at,
        r.arrived_at, r.cleared_at, r.contact_mode, r.resolved_without_in_person, r.police_requested, r.felt_safe,
        r.outcome, r.referrals, r.person_key, r.followup_due_at, r.followup_done_at) IN (SELECT h FROM repeated_hashes)
        GROUP BY r.file_id, r.response_id, r.cad_incident_id, r.unit, r.team, r.received_at, r.dispatched_at,
        r.arrived_at, r.cleared_at, r.contact_mode, r.resolved_without_in_person, r.police_requested, r.felt_safe,
        r.outcome, r.referrals, r.person_key, r.followup_due_at, r.followup_done_at
        HAVING count(*) > 1
    )
),
src AS (
    SELECT r.*, f.timezone AS tz, f.export_as_of, f.load_seq, c.duplicate_of
    FROM heart_raw_scope AS r
    JOIN audit.file_loads AS f USING (file_id)
    LEFT JOIN copies AS c USING (file_id, source_row)
),
-- One lookup per coded field; a field the profile does not translate keeps its
-- value (lower-cased for fixed-domain codes).
coded AS (
    SELECT
        src.*,
        CASE WHEN cf_unit.field IS NULL THEN upper(clean_text(src.unit)) ELSE c_unit.value END AS unit_code,
        CASE WHEN cf_mode.field IS NULL THEN lower(clean_text(src.contact_mode)) ELSE c_mode.value END AS contact_mode_code,
        CASE WHEN cf_out.field IS NULL THEN lower(clean_text(src.outcome)) ELSE c_out.value END AS outcome_code,
        TRY_CAST(c_rwip.value AS BOOLEAN) AS resolved_without_in_person_bool,
        TRY_CAST(c_pol.value AS BOOLEAN) AS police_requested_bool,
        TRY_CAST(c_safe.value AS BOOLEAN) AS felt_safe_bool,
        (cf_unit.on_unknown = 'quarantine' AND c_unit.code IS NULL AND clean_text(src.unit) IS NOT NULL)
            AS unit_unknown,
        (cf_mode.on_unknown = 'quarantine' AND c_mode.code IS NULL AND clean_text(src.contact_mode) IS NOT NULL)
            AS contact_mode_unknown,
        (cf_out.on_unknown = 'quarantine' AND c_out.code IS NULL AND clean_text(src.outcome) IS NOT NULL)
            AS outcome_unknown
    FROM src
    LEFT JOIN raw.profile_coded_fields AS cf_unit ON cf_unit.profile = src.profile AND cf_unit.field = 'unit'
    LEFT JOIN raw.profile_codes AS c_unit
        ON c_unit.profile = src.profile AND c_unit.field = 'unit' AND c_unit.code = upper(trim(src.unit))
    LEFT JOIN raw.profile_coded_fields AS cf_mode ON cf_mode.profile = src.profile AND cf_mode.field = 'contact_mode'
    LEFT JOIN raw.profile_codes AS c_mode
        ON c_mode.profile = src.profile AND c_mode.field = 'contact_mode'
        AND c_mode.code = upper(trim(src.contact_mode))
    LEFT JOIN raw.profile_coded_fields AS cf_out ON cf_out.profile = src.profile AND cf_out.field = 'outcome'
    LEFT JOIN raw.profile_codes AS c_out
        ON c_out.profile = src.profile AND c_out.field = 'outcome' AND c_out.code = upper(trim(src.outcome))
    LEFT JOIN raw.profile_codes AS c_rwip
        ON c_rwip.profile = src.profile AND c_rwip.field = 'resolved_without_in_person'
        AND c_rwip.code = upper(trim(src.resolved_without_in_person))
    LEFT JOIN raw.profile_codes AS c_pol
        ON c_pol.profile = src.profile AND c_pol.field = 'police_requested'
        AND c_pol.code = upper(trim(src.police_requested))
    LEFT JOIN raw.profile_codes AS c_safe
        ON c_safe.profile = src.profile AND c_safe.field = 'felt_safe' AND c_safe.code = upper(trim(src.felt_safe))
),
-- Each time's later reading and whether it is ambiguous, from local_hours.
readings AS (
    SELECT
        coded.*,
        late_instant(h_rec.hour_start, received_at_local) AS received_late, h_rec.ambiguous AS received_amb,
        late_instant(h_dis.hour_start, dispatched_at_local) AS dispatched_late, h_dis.ambiguous AS dispatched_amb,
        late_instant(h_arr.hour_start, arrived_at_local) AS arrived_late, h_arr.ambiguous AS arrived_amb,
        late_instant(h_clr.hour_start, cleared_at_local) AS cleared_late, h_clr.ambiguous AS cleared_amb,
        late_instant(h_due.hour_start, followup_due_at_local) AS due_late, h_due.ambiguous AS due_amb,
        late_instant(h_done.hour_start, followup_done_at_local) AS done_late, h_done.ambiguous AS done_amb
    FROM coded
    LEFT JOIN local_hours AS h_rec ON h_rec.tz = coded.tz AND h_rec.hour_local = date_trunc('hour', received_at_local)
    LEFT JOIN local_hours AS h_dis ON h_dis.tz = coded.tz AND h_dis.hour_local = date_trunc('hour', dispatched_at_local)
    LEFT JOIN local_hours AS h_arr ON h_arr.tz = coded.tz AND h_arr.hour_local = date_trunc('hour', arrived_at_local)
    LEFT JOIN local_hours AS h_clr ON h_clr.tz = coded.tz AND h_clr.hour_local = date_trunc('hour', cleared_at_local)
    LEFT JOIN local_hours AS h_due ON h_due.tz = coded.tz AND h_due.hour_local = date_trunc('hour', followup_due_at_local)
    LEFT JOIN local_hours AS h_done
        ON h_done.tz = coded.tz AND h_done.hour_local = date_trunc('hour', followup_done_at_local)
),
-- Each time resolves against the one before it, so an ambiguous autumn-hour
-- time picks the reading that keeps the chain in order.
t1 AS (
    SELECT *, resolve_first_time(
        received_late, received_amb,
        coalesce(dispatched_late, arrived_late, cleared_late),
        coalesce(dispatched_amb, arrived_amb, cleared_amb)
    ) AS received_ts
    FROM readings
),
t2 AS (SELECT *, resolve_time(dispatched_late, dispatched_amb, received_ts) AS dispatched_ts FROM t1),
t3 AS (SELECT *, resolve_time(arrived_late, arrived_amb, coalesce(dispatched_ts, received_ts)) AS arrived_ts FROM t2),
t4 AS (
    SELECT *,
        resolve_time(cleared_late, cleared_amb, coalesce(arrived_ts, dispatched_ts, received_ts)) AS cleared_ts,
        resolve_time(due_late, due_amb, received_ts) AS followup_due_ts,
        resolve_time(done_late, done_amb, received_ts) AS followup_done_ts
    FROM t3
)
SELECT
    file_id, source_file, source_row, profile, tz AS timezone, export_as_of, load_seq,
    duplicate_of,
    clean_text(response_id) AS response_id,
    clean_text(cad_incident_id) AS cad_incident_id,
    unit_code AS unit,
    clean_text(team) AS team,
    received_ts AS received_at,
    dispatched_ts AS dispatched_at,
    arrived_ts AS arrived_at,
    cleared_ts AS cleared_at,
    contact_mode_code AS contact_mode,
    resolved_without_in_person_bool AS resolved_without_in_person,
    police_requested_bool AS police_requested,
    felt_safe_bool AS felt_safe,
    outcome_code AS outcome,
    clean_text(referrals) AS referrals,
    clean_text(person_key) AS person_key,
    followup_due_ts AS followup_due_at,
    followup_done_ts AS followup_done_at,
    -- Whether the file wrote a value (not blank), for the missing_required checks.
    {
        'unit': clean_text(unit) IS NOT NULL, 'received_at': clean_text(received_at) IS NOT NULL,
        'contact_mode': clean_text(contact_mode) IS NOT NULL
    } AS written,
    -- A value written that could not be read: a time not in the profile's formats, a yes/no
    -- answer not among the profile's tokens.
    {
        'received_at': clean_text(received_at) IS NOT NULL AND received_at_local IS NULL,
        'dispatched_at': clean_text(dispatched_at) IS NOT NULL AND dispatched_at_local IS NULL,
        'arrived_at': clean_text(arrived_at) IS NOT NULL AND arrived_at_local IS NULL,
        'cleared_at': clean_text(cleared_at) IS NOT NULL AND cleared_at_local IS NULL,
        'followup_due_at': clean_text(followup_due_at) IS NOT NULL AND followup_due_at_local IS NULL,
        'followup_done_at': clean_text(followup_done_at) IS NOT NULL AND followup_done_at_local IS NULL,
        'resolved_without_in_person': clean_text(resolved_without_in_person) IS NOT NULL
            AND resolved_without_in_person_bool IS NULL,
        'police_requested': clean_text(police_requested) IS NOT NULL AND police_requested_bool IS NULL,
        'felt_safe': clean_text(felt_safe) IS NOT NULL AND felt_safe_bool IS NULL
    } AS unreadable,
    unit_unknown, contact_mode_unknown, outcome_unknown
FROM t4;
