-- check: one_row_per_metric_period_breakdown
-- asset: metrics/metric_values
-- guards: One row per metric, grain, period, unit and breakdown.
-- blocking: yes
-- One row: how many keys appear more than once, and one of them.
WITH keyed AS (
    SELECT metric_id, grain, period_start, unit, dimension, dimension_value, count(*) AS copies
    FROM metrics.metric_values
    GROUP BY ALL
    HAVING count(*) > 1
)
SELECT count(*) AS failures,
    any_value(metric_id || ' ' || grain || ' ' || period_start || ' ' || unit || ' ' || dimension_value) AS example
FROM keyed;
