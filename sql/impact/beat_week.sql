-- The staggered_beats design's panel (pipeline/impact/panel.py): one row per beat x week from
-- marts.impact_beat_week, the unit and the cluster both the beat. cohort_week is the Monday of the
-- week the beat was first served (NULL: never served). Counts as the mart defines them.
-- No parameters.
SELECT
    beat::VARCHAR AS unit,
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
FROM marts.impact_beat_week
ORDER BY unit, week_start;
