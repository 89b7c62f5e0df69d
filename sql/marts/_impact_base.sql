-- What marts.impact_beat_week and marts.impact_hour_week share (issue 16: the program's effect on
-- police-handled calls, arrests, EMS transports and repeat calls), as TEMP tables of this
-- connection, never written to the warehouse file. pipeline/marts.py runs this file before each
-- of the two, so either can be built alone.
--   impact_range       the data's first and last local day (every CAD incident), and their weeks;
--   impact_call_types  the impact call types: the eligible list in force on the launch day,
--                      fixed over the whole history (pre-launch weeks included), so an outcome
--                      series is never changed by a later change of the eligible list;
--   impact_beats       the beat list: config [beats] all when it lists beats, else every beat
--                      in the CAD data (upper case, trimmed, as marts.cad_incidents spells them);
--   impact_days        every local day from the first week's Monday (or the launch, or the first
--                      service-area entry, whichever is earliest) to the last week's Sunday (or
--                      the latest dated entry), with the service-area and service-hours entries
--                      in force that day (ASOF, as marts.program_days); before the launch date
--                      nothing is served, whatever the entries;
--   impact_beat_days   beat x day: in_area, the beat in the service area in force that day;
--   impact_day_hours   day x hour of day (0-23, local wall clock): served_fraction, the share of
--                      that clock hour inside the day's service hours [start, end) (1 for a whole
--                      hour, 0.5 for 08:30-09:00 of an 08:30 start); 0 before the launch;
--   impact_calls       the impact-type CAD incidents in a listed beat, one row each, with the
--                      outcome flags both marts count (definitions in sql/catalog/marts.sql);
--   impact_classes_known  per outcome class, whether every profile with impact calls maps it
--                      ([outcome_classes]); when one does not, that count is NULL in the marts;
--   impact_hour_counts the outcome counts per beat x hour of day x week, which both marts read.
-- Parameters: $repeat_window_days (pipeline/marts.py: 30).
CREATE OR REPLACE TEMP TABLE impact_range AS
SELECT
    min(received_date) AS first_day,
    max(received_date) AS last_day,
    date_trunc('week', min(received_date))::DATE AS first_week,
    date_trunc('week', max(received_date))::DATE AS last_week
FROM marts.cad_incidents;

CREATE OR REPLACE TEMP TABLE impact_call_types AS
SELECT DISTINCT upper(trim(e.call_type)) AS call_type
FROM staging.program_eligible_call_types AS e
WHERE e.call_type IS NOT NULL
  AND e.effective_from = (
      SELECT max(x.effective_from) FROM staging.program_eligible_call_types AS x, staging.program AS p
      WHERE x.effective_from <= p.launch_date);

CREATE OR REPLACE TEMP TABLE impact_beats AS
SELECT DISTINCT upper(trim(beat)) AS beat FROM staging.program_beats WHERE beat IS NOT NULL
UNION
SELECT DISTINCT beat FROM marts.cad_incidents
WHERE beat IS NOT NULL AND NOT EXISTS (SELECT 1 FROM staging.program_beats WHERE beat IS NOT NULL);

CREATE OR REPLACE TEMP TABLE impact_days AS
WITH bounds AS (
    SELECT
        least(r.first_week, p.launch_date, (SELECT min(effective_from) FROM staging.program_service_area)) AS first_day,
        greatest(r.last_week + 6, (SELECT max(effective_from) FROM staging.program_service_area),
                 (SELECT max(effective_from) FROM staging.program_service_hours)) AS last_day,
        p.launch_date
    FROM impact_range AS r, staging.program AS p
    WHERE r.first_week IS NOT NULL
),
days AS (
    SELECT unnest(generate_series(first_day, last_day, INTERVAL 1 DAY))::DATE AS day, launch_date FROM bounds
),
area_entries AS (SELECT effective_from, bool_or(citywide) AS citywide FROM staging.program_service_area GROUP BY ALL),
hours_entries AS (SELECT DISTINCT effective_from FROM staging.program_service_hours)
SELECT
    d.day,
    date_trunc('week', d.day)::DATE AS week_start,
    d.day >= d.launch_date AS launched,
    a.effective_from AS area_from,
    coalesce(a.citywide, false) AS citywide,
    h.effective_from AS hours_from
FROM days AS d
ASOF LEFT JOIN area_entries AS a ON d.day >= a.effective_from
ASOF LEFT JOIN hours_entries AS h ON d.day >= h.effective_from;

CREATE OR REPLACE TEMP TABLE impact_beat_days AS
SELECT
    b.beat, d.day, d.week_start,
    d.launched AND d.area_from IS NOT NULL AND (d.citywide OR EXISTS (
        SELECT 1 FROM staging.program_service_area AS a
        WHERE a.effective_from = d.area_from AND upper(trim(a.beat)) = b.beat)) AS in_area
FROM impact_beats AS b, impact_days AS d;

CREATE OR REPLACE TEMP TABLE impact_day_hours AS
WITH clock AS (SELECT unnest(range(24))::SMALLINT AS hour_of_day),
windows AS (
    -- The day's service hours as minutes after midnight.
    SELECT d.day, hour(s.start_time) * 60 + minute(s.start_time) AS start_min,
        hour(s.end_time) * 60 + minute(s.end_time) AS end_min
    FROM impact_days AS d
    JOIN staging.program_service_hours AS s ON s.effective_from = d.hours_from AND s.iso_weekday = isodow(d.day)
    WHERE d.launched
)
SELECT
    d.day, d.week_start, c.hour_of_day,
    -- least/greatest skip NULLs in DuckDB, so a day without service hours (no window) is 0 explicitly.
    coalesce(max(CASE WHEN w.day IS NOT NULL THEN greatest(0, least(w.end_min, c.hour_of_day * 60 + 60)
                                                                - greatest(w.start_min, c.hour_of_day * 60)) END),
             0) / 60.0 AS served_fraction
FROM impact_days AS d
CROSS JOIN clock AS c
LEFT JOIN windows AS w ON w.day = d.day
GROUP BY d.day, d.week_start, c.hour_of_day;

CREATE OR REPLACE TEMP TABLE impact_calls AS
WITH profiles AS (
    -- A profile whose incidents carry no block key at all maps no block: its repeat calls match
    -- on beat and call type only. Where it maps one, a call without a block matches nothing.
    SELECT profile, bool_or(block_key IS NOT NULL) AS has_blocks FROM staging.cad_incidents GROUP BY profile
),
calls AS (
    SELECT
        c.incident_id, c.received_at, c.beat, c.initial_call_type AS call_type,
        date_trunc('week', c.received_date)::DATE AS week_start,
        c.received_hour::SMALLINT AS hour_of_day,
        c.police_units > 0 AS police_handled,
        c.police_unit_hours,
        c.heart_responses > 0 AS heart_answered,
        upper(trim(c.disposition)) AS disposition,
        s.profile,
        CASE WHEN p.has_blocks THEN coalesce(s.block_key, 'no block: ' || c.incident_id) ELSE '' END AS place
    FROM marts.cad_incidents AS c
    JOIN staging.cad_incidents AS s USING (incident_id)
    JOIN profiles AS p ON p.profile = s.profile
    WHERE c.initial_call_type IN (SELECT call_type FROM impact_call_types)
      AND c.beat IN (SELECT beat FROM impact_beats)
)
SELECT
    calls.* EXCLUDE (place),
    p.has_blocks AS matched_on_block,
    -- A repeat: the previous impact call of the same type at the same place in the same beat (ties
    -- in time ordered by incident number) was received at most $repeat_window_days days before.
    coalesce(epoch(received_at) - epoch(lag(received_at) OVER (
        PARTITION BY beat, call_type, place ORDER BY received_at, incident_id)) <= $repeat_window_days * 86400,
        false) AS repeat_call,
    ar.code IS NOT NULL AS arrest,
    tr.code IS NOT NULL AS ems_transport,
    -- Handled by police alone: a police unit and no HEART answer (the calls an arrest rate is about).
    police_handled AND NOT heart_answered AS police_only
FROM calls
JOIN profiles AS p USING (profile)
LEFT JOIN raw.profile_outcome_classes AS ar
    ON ar.profile = calls.profile AND ar.outcome_class = 'arrest' AND ar.code = calls.disposition
LEFT JOIN raw.profile_outcome_classes AS tr
    ON tr.profile = calls.profile AND tr.outcome_class = 'ems_transport' AND tr.code = calls.disposition;

CREATE OR REPLACE TEMP TABLE impact_classes_known AS
SELECT
    cls.outcome_class,
    NOT EXISTS (
        SELECT 1 FROM (SELECT DISTINCT profile FROM impact_calls) AS q
        WHERE NOT EXISTS (SELECT 1 FROM raw.profile_outcome_classes AS o
                          WHERE o.profile = q.profile AND o.outcome_class = cls.outcome_class)
    ) AS known
FROM (VALUES ('arrest'), ('ems_transport')) AS cls(outcome_class);

-- The outcome counts per beat x hour of day x week: one counting rule for both marts (the hour
-- mart reads it as it is, the beat mart sums its 24 hours).
CREATE OR REPLACE TEMP TABLE impact_hour_counts AS
SELECT beat, hour_of_day, week_start,
    count(*) AS impact_calls,
    count(*) FILTER (WHERE police_handled) AS police_handled_calls,
    sum(police_unit_hours::DECIMAL(38, 18)) AS police_unit_hours,
    count(*) FILTER (WHERE arrest) AS arrests,
    count(*) FILTER (WHERE ems_transport) AS ems_transports,
    count(*) FILTER (WHERE repeat_call) AS repeat_calls,
    count(*) FILTER (WHERE heart_answered) AS heart_answered_calls,
    count(*) FILTER (WHERE police_only) AS police_only_calls,
    count(*) FILTER (WHERE police_only AND arrest) AS police_only_arrests,
    count(*) FILTER (WHERE police_only AND ems_transport) AS police_only_ems_transports
FROM impact_calls
GROUP BY beat, hour_of_day, week_start;
