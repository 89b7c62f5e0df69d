-- The program configuration's dated coverage, for the "as configured" scenario
-- (pipeline/scenarios/stream.py): one row per date some entry of service hours, service area or
-- capacity took effect, with what was in force from then on — the hours per ISO weekday (lists
-- aligned: weekday, start minute, end minute), whether the area is citywide and its beats, and
-- the teams on shift per crisis-response unit (during service hours, as the marts read them).
-- No parameters.
WITH starts AS (
    SELECT effective_from FROM staging.program_service_hours
    UNION SELECT effective_from FROM staging.program_service_area
    UNION SELECT effective_from FROM staging.program_capacity
),
hours AS (SELECT DISTINCT effective_from FROM staging.program_service_hours),
areas AS (SELECT DISTINCT effective_from FROM staging.program_service_area),
caps AS (SELECT DISTINCT effective_from FROM staging.program_capacity),
in_force AS (
    SELECT s.effective_from, h.effective_from AS hours_from, a.effective_from AS area_from, c.effective_from AS cap_from
    FROM starts AS s
    ASOF LEFT JOIN hours AS h ON s.effective_from >= h.effective_from
    ASOF LEFT JOIN areas AS a ON s.effective_from >= a.effective_from
    ASOF LEFT JOIN caps AS c ON s.effective_from >= c.effective_from
)
SELECT
    f.effective_from,
    (SELECT list(iso_weekday ORDER BY iso_weekday) FROM staging.program_service_hours h
      WHERE h.effective_from = f.hours_from) AS weekdays,
    (SELECT list(hour(start_time) * 60 + minute(start_time) ORDER BY iso_weekday) FROM staging.program_service_hours h
      WHERE h.effective_from = f.hours_from) AS start_minutes,
    (SELECT list(hour(end_time) * 60 + minute(end_time) ORDER BY iso_weekday) FROM staging.program_service_hours h
      WHERE h.effective_from = f.hours_from) AS end_minutes,
    coalesce((SELECT bool_or(citywide) FROM staging.program_service_area a WHERE a.effective_from = f.area_from), false)
        AS citywide,
    coalesce((SELECT list(upper(trim(beat))) FROM staging.program_service_area a
      WHERE a.effective_from = f.area_from AND beat IS NOT NULL), []) AS beats,
    coalesce((SELECT map(list(upper(trim(unit))), list(teams)) FROM staging.program_capacity c
      WHERE c.effective_from = f.cap_from), MAP {}) AS teams
FROM in_force AS f
ORDER BY f.effective_from;
