-- Record the metric_values build just done (pipeline/metrics/compute.py) in metrics.build_state
-- (stage 'metric_values'): the hash of the metric files and the fiscal year (a different one
-- next time means a full build), the marts build it is of (the dates of later marts builds in
-- metrics.changed_dates are still to do), and the range of days metrics.metric_days covers.
-- Parameters: $config_hash, $marts_build_seq, $full, $reason.
CREATE OR REPLACE TEMP TABLE metric_build_state AS
SELECT
    'metric_values' AS stage,
    $config_hash AS config_hash,
    coalesce(max(build_seq), 0) + 1 AS build_seq,
    CASE WHEN $full THEN coalesce(max(build_seq), 0) + 1 ELSE max(full_build_seq) END AS full_build_seq,
    $marts_build_seq AS marts_build_seq,
    CASE WHEN $full THEN 'full' ELSE 'incremental' END AS mode,
    $reason AS reason,
    now() AS built_at,
    (SELECT min(day) FROM metric_day_atoms) AS days_from,
    (SELECT max(day) + 1 FROM metric_day_atoms) AS days_end,
    (SELECT count(*) FROM metric_days_todo) AS days_recomputed,
    (SELECT count(*) FROM metric_changed_periods) AS periods_recomputed
FROM metrics.build_state
WHERE stage = 'metric_values';

DELETE FROM metrics.build_state WHERE stage = 'metric_values';
INSERT INTO metrics.build_state BY NAME SELECT * FROM metric_build_state;
DROP TABLE metric_build_state;
