-- marts.program_days: one row per local calendar day from launch to the last
-- day with data, saying what the program configuration had in force that day.
-- Every "was this call eligible / covered / could a team take it" question in
-- the marts joins here by the call's local date, so the dated configuration is
-- interpreted in exactly one place: the entry in force on a day is the latest
-- one whose effective_from is on or before it (ASOF join).
-- Rebuilt whole on every build: it is small, and its last day moves with the data.
-- Parameters: $tz, the program's time zone (config/program.toml).
CREATE OR REPLACE TABLE marts.program_days AS
WITH latest AS (
    -- The last local date with data. Only the instants of the last two days are converted to
    -- local time: UTC offsets lie between -12 and +14 hours, so an instant more than two days
    -- before the latest one cannot fall on a later local date (and converting every row would
    -- cost more than the rest of this table).
    SELECT max(timezone($tz, t)::DATE) AS last_date
    FROM (
        SELECT received_at AS t FROM staging.cad_incidents
        WHERE received_at >= (SELECT max(received_at) FROM staging.cad_incidents) - INTERVAL 2 DAY
        UNION ALL
        SELECT received_at FROM staging.heart_responses
        WHERE received_at >= (SELECT max(received_at) FROM staging.heart_responses) - INTERVAL 2 DAY
    )
),
bounds AS (
    SELECT
        p.launch_date AS first_day,
        greatest(p.launch_date, coalesce((SELECT last_date FROM latest), p.launch_date)) AS last_day
    FROM staging.program AS p
),
days AS (
    SELECT unnest(generate_series(first_day, last_day, INTERVAL 1 DAY))::DATE AS service_date FROM bounds
),
eligible_entries AS (SELECT DISTINCT effective_from, label FROM staging.program_eligible_call_types),
area_entries AS (SELECT DISTINCT effective_from, label, citywide FROM staging.program_service_area),
hours_entries AS (SELECT DISTINCT effective_from, label FROM staging.program_service_hours),
capacity_entries AS (SELECT DISTINCT effective_from FROM staging.program_capacity),
in_force AS (
    SELECT
        d.service_date,
        e.effective_from AS eligible_from, e.label AS eligible_label,
        a.effective_from AS area_from, a.label AS area_label, a.citywide,
        h.effective_from AS hours_from, h.label AS hours_label,
        c.effective_from AS capacity_from
    FROM days AS d
    ASOF LEFT JOIN eligible_entries AS e ON d.service_date >= e.effective_from
    ASOF LEFT JOIN area_entries AS a ON d.service_date >= a.effective_from
    ASOF LEFT JOIN hours_entries AS h ON d.service_date >= h.effective_from
    ASOF LEFT JOIN capacity_entries AS c ON d.service_date >= c.effective_from
),
capacity AS (
    -- Teams on shift per unit, counting only units that exist on the day.
    SELECT
        f.service_date,
        coalesce(sum(pc.teams) FILTER (WHERE u.in_person AND u.crisis_response), 0) AS in_person_teams,
        coalesce(sum(pc.teams) FILTER (WHERE pc.unit = 'CCD'), 0) AS ccd_clinicians,
        coalesce(sum(pc.teams) FILTER (WHERE pc.unit = 'CN'), 0) AS care_navigators
    FROM in_force AS f
    JOIN staging.program_capacity AS pc ON pc.effective_from = f.capacity_from
    JOIN staging.program_units AS u ON upper(trim(u.code)) = upper(trim(pc.unit)) AND u.effective_from <= f.service_date
    GROUP BY f.service_date
)
SELECT
    f.service_date,
    isodow(f.service_date) AS iso_weekday,
    f.eligible_from, f.eligible_label,
    f.area_from, f.area_label, coalesce(f.citywide, false) AS citywide,
    f.hours_from, f.hours_label,
    h.start_time AS service_start,
    h.end_time AS service_end,
    -- Minutes of service on the day as the clock on the wall reads them.
    coalesce(datediff('minute', h.start_time, h.end_time), 0) AS service_minutes,
    f.capacity_from,
    coalesce(c.in_person_teams, 0) AS in_person_teams,
    coalesce(c.ccd_clinicians, 0) AS ccd_clinicians,
    coalesce(c.care_navigators, 0) AS care_navigators
FROM in_force AS f
LEFT JOIN staging.program_service_hours AS h
    ON h.effective_from = f.hours_from AND h.iso_weekday = isodow(f.service_date)
LEFT JOIN capacity AS c USING (service_date)
ORDER BY f.service_date;
