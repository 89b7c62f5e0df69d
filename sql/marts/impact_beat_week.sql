-- marts.impact_beat_week: one row per beat x week (Monday, local), every week from the first CAD
-- week to the last, pre-launch weeks included, zeros filled: the outcomes of the impact call
-- types (the eligible list in force at launch) and how much of the beat-week the program served.
-- The staggered-rollout design's data (pipeline/impact): served_from gives each beat's cohort.
-- Definitions of every column (numerator, edge cases) are its comments, sql/catalog/marts.sql.
-- Built from the TEMP tables of marts/_impact_base.sql. Rebuilt whole on every build, like
-- program_days: a served share moves with the configuration and a repeat call with its
-- neighbours 30 days back, and the table is small (beats x weeks).
-- Parameters: none (the base file takes $repeat_window_days).
CREATE OR REPLACE TABLE marts.impact_beat_week AS
WITH weeks AS (
    SELECT unnest(generate_series(first_week, last_week, INTERVAL 7 DAY))::DATE AS week_start
    FROM impact_range WHERE first_week IS NOT NULL
),
day_hours AS (SELECT day, sum(served_fraction) AS served_hours FROM impact_day_hours GROUP BY day),
served AS (
    SELECT bd.beat, bd.week_start,
        sum(CASE WHEN bd.in_area THEN dh.served_hours ELSE 0 END) / (7 * 24.0) AS served_share
    FROM impact_beat_days AS bd
    JOIN day_hours AS dh USING (day)
    GROUP BY bd.beat, bd.week_start
),
served_from AS (
    SELECT beat, min(day) FILTER (WHERE in_area) AS served_from FROM impact_beat_days GROUP BY beat
),
counts AS (
    SELECT beat, week_start,
        sum(impact_calls)::BIGINT AS impact_calls,
        sum(police_handled_calls)::BIGINT AS police_handled_calls,
        sum(police_unit_hours)::DOUBLE AS police_unit_hours,
        sum(arrests)::BIGINT AS arrests,
        sum(ems_transports)::BIGINT AS ems_transports,
        sum(repeat_calls)::BIGINT AS repeat_calls,
        sum(heart_answered_calls)::BIGINT AS heart_answered_calls,
        sum(police_only_calls)::BIGINT AS police_only_calls,
        sum(police_only_arrests)::BIGINT AS police_only_arrests,
        sum(police_only_ems_transports)::BIGINT AS police_only_ems_transports
    FROM impact_hour_counts
    GROUP BY beat, week_start
)
SELECT
    b.beat,
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
CROSS JOIN weeks AS w
CROSS JOIN impact_range AS r
LEFT JOIN served_from AS f ON f.beat = b.beat
LEFT JOIN served AS s ON s.beat = b.beat AND s.week_start = w.week_start
LEFT JOIN counts AS c ON c.beat = b.beat AND c.week_start = w.week_start
ORDER BY b.beat, w.week_start;
