-- Every metric_values row of one grain for the listed period starts: what a
-- report reads for its period and the periods it compares against.
SELECT metric_id, grain, period_start, period_end, unit, dimension, dimension_value,
       numerator, denominator, value, ci_low, ci_high
FROM metrics.metric_values
WHERE grain = $grain AND list_contains($period_starts, period_start)
ORDER BY metric_id, unit, dimension, dimension_value, period_start;
