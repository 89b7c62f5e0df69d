-- The served_hours design's panel (pipeline/impact/panel.py): one row per beat x local hour of day x
-- week from marts.impact_hour_week. The unit is the beat-hour (e.g. 111|08); the cluster is the beat,
-- so a beat's 24 hours share one cluster (their errors are not independent). cohort_week is the
-- Monday of the week that beat-hour was first served (NULL: never, e.g. night hours).
-- No parameters.
SELECT
    beat::VARCHAR || '|' || lpad(hour_of_day::VARCHAR, 2, '0') AS unit,
    beat::VARCHAR AS cluster,
    week_start::DATE AS week_start,
    date_trunc('week', served_from)::DATE AS cohort_week,
    partial_week,
    police_handled_calls::DOUBLE AS police_handled_calls,
    police_unit_hours::DOUBLE AS police_unit_hours,
    arrests::DOUBLE AS arrests,
    ems_transports::DOUBLE AS ems_transports,
    repeat_calls::DOUBLE AS repeat_calls,
    heart_answered_calls::DOUBLE AS heart_answered_calls,
    police_only_calls::DOUBLE AS police_only_calls,
    police_only_arrests::DOUBLE AS police_only_arrests,
    police_only_ems_transports::DOUBLE AS police_only_ems_transports
FROM marts.impact_hour_week
ORDER BY unit, week_start;
