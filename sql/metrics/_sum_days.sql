-- The summed-by-day metrics ($metric_ids) for every period in metric_periods: each period's
-- numerator and denominator are the sums of its days' in metrics.metric_days (a breakdown value
-- is in the period when it is in one of its days).
-- Parameters: $metric_ids.
INSERT INTO metric_results_all BY NAME
SELECT d.metric_id, p.grain, p.period_start, p.period_end, d.unit, d.dimension, d.dimension_value,
    sum(d.numerator) AS numerator, sum(d.denominator) AS denominator
FROM metrics.metric_days AS d
JOIN metric_periods AS p ON d.day >= p.period_start AND d.day < p.period_end
WHERE list_contains($metric_ids::VARCHAR[], d.metric_id)
GROUP BY ALL;
