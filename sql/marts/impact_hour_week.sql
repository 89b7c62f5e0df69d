-- marts.impact_hour_week: one row per beat x hour of day (0-23, local) x week (Monday, local),
-- every week from the first CAD week to the last, pre-launch weeks included, zeros filled: the
-- same outcomes as marts.impact_beat_week, by the hour of day the call was received, with the
-- share of that hour the program served over the week's 7 days. The served-hours design's data
-- (served hours against unserved hours, pipeline/impact): served_from gives each beat-hour's
-- cohort; hours never served (nights) are the controls.
-- Definitions of every column are its comments, sql/catalog/marts.sql.
-- Built from the TEMP tables of marts/_impact_base.sql; rebuilt whole on every build.
-- Parameters: none (the base file takes $repeat_window_days).
CREATE OR REPLACE TABLE marts.impact_hour_week AS
WITH weeks AS (
    SELECT unnest(generate_series(first_week, last_week, INTERVAL 7 DAY))::DATE AS week_start
    FROM impact_range WHERE first_week IS NOT NULL
),
clock AS (SELECT unnest(range(24))::SMALLINT AS hour_of_day),
beat_hour_days AS (
    SELECT bd.beat, dh.hour_of_day, bd.day, bd.week_start,
        CASE WHEN bd.in_area THEN dh.served_fraction ELSE 0 END AS served_fraction
    FROM impact_beat_days AS bd
    JOIN impact_day_hours AS dh USING (day)
),
served AS (
    SELECT beat, hour_of_day, week_start, sum(served_fraction) / 7.0 AS served_share
    FROM beat_hour_days GROUP BY ALL
),
served_from AS (
    SELECT beat, hour_of_day, min(day) FILTER (WHERE served_fraction > 0) AS served_from
    FROM beat_hour_days GROUP BY ALL
),
counts AS (
    SELECT * REPLACE (police_unit_hours::DOUBLE AS police_unit_hours) FROM impact_hour_counts
)
SELECT
    b.beat,
    h.hour_of_day,
    w.week_start,
    f.served_from,
    coalesce(s.served_share, 0.0) AS served_share,
    (w.week_start < r.first_day OR w.week_start + 6 > r.last_day) AS partial_week,
    coalesce(c.impact_calls, 0) AS impact_calls,
    coalesce(c.police_handled_calls, 0) AS police_handled_calls,
    coalesce(c.police_unit_hours, 0.0) AS police_unit_hours,
    CASE WHEN (SELECT known FROM impact_classes_known WHERE outcome_class = 'arrest')
         THEN coalesce(c.arrests, 0) END AS arrests,
    CASE WHEN (SELECT known FROM impact_classes_known WHERE outcome_class = 'ems_transport')
         THEN coalesce(c.ems_transports, 0) END AS ems_transports,
    coalesce(c.repeat_calls, 0) AS repeat_calls,
    coalesce(c.heart_answered_calls, 0) AS heart_answered_calls,
    -- After the shared design's columns: the rate outcomes' population (sql/catalog/marts.sql).
    coalesce(c.police_only_calls, 0) AS police_only_calls,
    CASE WHEN (SELECT known FROM impact_classes_known WHERE outcome_class = 'arrest')
         THEN coalesce(c.police_only_arrests, 0) END AS police_only_arrests,
    CASE WHEN (SELECT known FROM impact_classes_known WHERE outcome_class = 'ems_transport')
         THEN coalesce(c.police_only_ems_transports, 0) END AS police_only_ems_transports
FROM impact_beats AS b
CROSS JOIN clock AS h
CROSS JOIN weeks AS w
CROSS JOIN impact_range AS r
LEFT JOIN served_from AS f ON f.beat = b.beat AND f.hour_of_day = h.hour_of_day
LEFT JOIN served AS s ON s.beat = b.beat AND s.hour_of_day = h.hour_of_day AND s.week_start = w.week_start
LEFT JOIN counts AS c ON c.beat = b.beat AND c.hour_of_day = h.hour_of_day AND c.week_start = w.week_start
ORDER BY b.beat, h.hour_of_day, w.week_start;
