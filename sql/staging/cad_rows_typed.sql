-- The raw CAD rows this run validates (the temp view cad_raw_scope, validate/cad_scope.sql),
-- typed: codes translated through the profile's lookups, local times resolved to instants
-- (TIMESTAMPTZ, stored in UTC), and what the checks need to know of the text as written
-- (whether a value was written, whether it could be read). The text itself is not kept:
-- quarantine quotes it from raw for the failing rows only (validate/cad_failures.sql).
-- A TEMP table: an intermediate of this connection, never written to the warehouse file.
CREATE OR REPLACE TEMP TABLE cad_rows_typed AS
-- Rows that repeat an earlier row of the same file exactly (every mapped value the
-- same): each copy, with the first such row. A copy is a duplicate and counts once
-- (docs/input-contract.md). Grouping, not a window over every column: ~4x faster.
-- The candidates first: rows whose file and values hash alike. Grouping 64-bit hashes
-- instead of the values keeps the memory small; the grouping of the candidates by their
-- values then confirms each copy (two different rows hashing alike are not copies).
WITH repeated_hashes AS (
    SELECT h
    FROM (SELECT hash(r.file_id, r.incident_id, r.received_at, r.initial_call_type, r.final_call_type, r.priority, r.beat, r.block_key,
        r.disposition, r.unit_id, r.discipline, r.dispatched_at, r.enroute_at, r.arrived_at, r.cleared_at) AS h
          FROM cad_raw_scope AS r)
    GROUP BY h
    HAVING count(*) > 1
),
copies AS (
    SELECT file_id, unnest(list_filter(source_rows, lambda x: x > first_row)) AS source_row, first_row AS duplicate_of
    FROM (
        SELECT r.file_id, min(r.source_row) AS first_row, list(r.source_row) AS source_rows
        FROM cad_raw_scope AS r
        WHERE hash(r.file_id, r.incident_id, r.received_at, r.initial_call_type, r.final_call_type, r.priority, r.beat, r.block_key,
        r.disposition, r.unit_id, r.discipline, r.dispatched_at, r.enroute_at, r.arrived_at, r.cleared_at) IN (SELECT h FROM repeated_hashes)
        GROUP BY r.file_id, r.incident_id, r.received_at, r.initial_call_type, r.final_call_type, r.priority, r.beat, r.block_key,
        r.disposition, r.unit_id, r.discipline, r.dispatched_at, r.enroute_at, r.arrived_at, r.cleared_at
        HAVING count(*) > 1
    )
),
src AS (
    SELECT r.*, f.timezone AS tz, f.export_as_of, f.load_seq, c.duplicate_of
    FROM cad_raw_scope AS r
    JOIN audit.file_loads AS f USING (file_id)
    LEFT JOIN copies AS c USING (file_id, source_row)
),
coded AS (
    SELECT
        src.*,
        -- Fixed-domain code: the lookup translates it (no lookup: the source already uses canonical codes).
        CASE WHEN cf_disc.field IS NULL THEN lower(clean_text(src.discipline)) ELSE c_disc.value END AS discipline_code,
        cf_disc.field IS NOT NULL AND cf_disc.on_unknown = 'quarantine' AND c_disc.code IS NULL
            AND clean_text(src.discipline) IS NOT NULL AS discipline_unknown,
        -- Open code lists keep the source code; the lookup gives its description, else the
        -- export's own label column (raw.code_labels). A code the export labels is known.
        coalesce(c_init.value, l_init.label) AS initial_call_type_label,
        cf_init.on_unknown = 'quarantine' AND c_init.code IS NULL AND l_init.code IS NULL
            AND clean_text(src.initial_call_type) IS NOT NULL AS initial_call_type_unknown,
        coalesce(c_final.value, l_final.label) AS final_call_type_label,
        cf_final.on_unknown = 'quarantine' AND c_final.code IS NULL AND l_final.code IS NULL
            AND clean_text(src.final_call_type) IS NOT NULL AS final_call_type_unknown,
        coalesce(c_disp.value, l_disp.label) AS disposition_label,
        cf_disp.on_unknown = 'quarantine' AND c_disp.code IS NULL AND l_disp.code IS NULL
            AND clean_text(src.disposition) IS NOT NULL AS disposition_unknown
    FROM src
    LEFT JOIN raw.profile_coded_fields AS cf_disc ON cf_disc.profile = src.profile AND cf_disc.field = 'discipline'
    LEFT JOIN raw.profile_codes AS c_disc
        ON c_disc.profile = src.profile AND c_disc.field = 'discipline' AND c_disc.code = upper(trim(src.discipline))
    LEFT JOIN raw.profile_coded_fields AS cf_init ON cf_init.profile = src.profile AND cf_init.field = 'initial_call_type'
    LEFT JOIN raw.profile_codes AS c_init
        ON c_init.profile = src.profile AND c_init.field = 'initial_call_type'
        AND c_init.code = upper(trim(src.initial_call_type))
    LEFT JOIN raw.profile_coded_fields AS cf_final ON cf_final.profile = src.profile AND cf_final.field = 'final_call_type'
    LEFT JOIN raw.profile_codes AS c_final
        ON c_final.profile = src.profile AND c_final.field = 'final_call_type'
        AND c_final.code = upper(trim(src.final_call_type))
    LEFT JOIN raw.profile_coded_fields AS cf_disp ON cf_disp.profile = src.profile AND cf_disp.field = 'disposition'
    LEFT JOIN raw.profile_codes AS c_disp
        ON c_disp.profile = src.profile AND c_disp.field = 'disposition' AND c_disp.code = upper(trim(src.disposition))
    LEFT JOIN raw.code_labels AS l_init
        ON l_init.file_id = src.file_id AND l_init.field = 'initial_call_type'
        AND l_init.code = upper(trim(src.initial_call_type))
    LEFT JOIN raw.code_labels AS l_final
        ON l_final.file_id = src.file_id AND l_final.field = 'final_call_type'
        AND l_final.code = upper(trim(src.final_call_type))
    LEFT JOIN raw.code_labels AS l_disp
        ON l_disp.file_id = src.file_id AND l_disp.field = 'disposition' AND l_disp.code = upper(trim(src.disposition))
),
-- Each time's later reading and whether it is ambiguous, from local_hours.
readings AS (
    SELECT
        coded.*,
        late_instant(h_rec.hour_start, received_at_local) AS received_late, h_rec.ambiguous AS received_amb,
        late_instant(h_dis.hour_start, dispatched_at_local) AS dispatched_late, h_dis.ambiguous AS dispatched_amb,
        late_instant(h_enr.hour_start, enroute_at_local) AS enroute_late, h_enr.ambiguous AS enroute_amb,
        late_instant(h_arr.hour_start, arrived_at_local) AS arrived_late, h_arr.ambiguous AS arrived_amb,
        late_instant(h_clr.hour_start, cleared_at_local) AS cleared_late, h_clr.ambiguous AS cleared_amb
    FROM coded
    LEFT JOIN local_hours AS h_rec ON h_rec.tz = coded.tz AND h_rec.hour_local = date_trunc('hour', received_at_local)
    LEFT JOIN local_hours AS h_dis ON h_dis.tz = coded.tz AND h_dis.hour_local = date_trunc('hour', dispatched_at_local)
    LEFT JOIN local_hours AS h_enr ON h_enr.tz = coded.tz AND h_enr.hour_local = date_trunc('hour', enroute_at_local)
    LEFT JOIN local_hours AS h_arr ON h_arr.tz = coded.tz AND h_arr.hour_local = date_trunc('hour', arrived_at_local)
    LEFT JOIN local_hours AS h_clr ON h_clr.tz = coded.tz AND h_clr.hour_local = date_trunc('hour', cleared_at_local)
),
-- Each time resolves against the one before it in the chain, so an ambiguous
-- autumn-hour time picks the reading that keeps the chain in order.
t1 AS (
    SELECT *, resolve_first_time(
        received_late, received_amb,
        coalesce(dispatched_late, enroute_late, arrived_late, cleared_late),
        coalesce(dispatched_amb, enroute_amb, arrived_amb, cleared_amb)
    ) AS received_ts
    FROM readings
),
t2 AS (SELECT *, resolve_time(dispatched_late, dispatched_amb, received_ts) AS dispatched_ts FROM t1),
t3 AS (SELECT *, resolve_time(enroute_late, enroute_amb, coalesce(dispatched_ts, received_ts)) AS enroute_ts FROM t2),
t4 AS (
    SELECT *, resolve_time(arrived_late, arrived_amb, coalesce(enroute_ts, dispatched_ts, received_ts)) AS arrived_ts
    FROM t3
),
t5 AS (
    SELECT *, resolve_time(
        cleared_late, cleared_amb, coalesce(arrived_ts, enroute_ts, dispatched_ts, received_ts)
    ) AS cleared_ts
    FROM t4
)
SELECT
    file_id, source_file, source_row, profile, tz AS timezone, export_as_of, load_seq,
    duplicate_of,
    clean_text(incident_id) AS incident_id,
    received_ts AS received_at,
    clean_text(initial_call_type) AS initial_call_type,
    initial_call_type_label,
    clean_text(final_call_type) AS final_call_type,
    final_call_type_label,
    TRY_CAST(clean_text(priority) AS INTEGER) AS priority,
    clean_text(beat) AS beat,
    block_key,
    clean_text(disposition) AS disposition,
    disposition_label,
    clean_text(unit_id) AS unit_id,
    discipline_code AS discipline,
    dispatched_ts AS dispatched_at,
    enroute_ts AS enroute_at,
    arrived_ts AS arrived_at,
    cleared_ts AS cleared_at,
    -- Whether the file wrote a value (not blank), for the missing_required checks.
    {
        'received_at': clean_text(received_at) IS NOT NULL, 'discipline': clean_text(discipline) IS NOT NULL
    } AS written,
    -- A value written that could not be read: a time not in the profile's formats, a priority not a number.
    {
        'received_at': clean_text(received_at) IS NOT NULL AND received_at_local IS NULL,
        'dispatched_at': clean_text(dispatched_at) IS NOT NULL AND dispatched_at_local IS NULL,
        'enroute_at': clean_text(enroute_at) IS NOT NULL AND enroute_at_local IS NULL,
        'arrived_at': clean_text(arrived_at) IS NOT NULL AND arrived_at_local IS NULL,
        'cleared_at': clean_text(cleared_at) IS NOT NULL AND cleared_at_local IS NULL,
        'priority': clean_text(priority) IS NOT NULL AND TRY_CAST(clean_text(priority) AS INTEGER) IS NULL
    } AS unreadable,
    discipline_unknown, initial_call_type_unknown, final_call_type_unknown, disposition_unknown
FROM t5;
