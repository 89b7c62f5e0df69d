-- What the last build of metric_values was (pipeline/metrics/compute.py), kept for the next:
-- the hash of the metric files and the fiscal year (a change means a full build), the marts
-- build it is of (marts.build_state.build_seq: later builds' changed dates are still to do),
-- and the range of days metrics.metric_days covers.
-- Parameters: $config_hash, $marts_build_seq, $full, $reason.
CREATE TABLE IF NOT EXISTS metrics.build_state (
    config_hash VARCHAR NOT NULL,
    marts_build_seq BIGINT NOT NULL,
    mode VARCHAR NOT NULL,
    reason VARCHAR NOT NULL,
    built_at TIMESTAMPTZ NOT NULL,
    days_from DATE,
    days_end DATE,
    days_recomputed BIGINT NOT NULL,
    periods_recomputed BIGINT NOT NULL
);
DELETE FROM metrics.build_state;
INSERT INTO metrics.build_state
SELECT $config_hash, $marts_build_seq, CASE WHEN $full THEN 'full' ELSE 'incremental' END, $reason, now(),
    (SELECT min(day) FROM metric_day_atoms), (SELECT max(day) + 1 FROM metric_day_atoms),
    (SELECT count(*) FROM metric_days_todo), (SELECT count(*) FROM metric_changed_periods);
