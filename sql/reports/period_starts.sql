-- The periods of one grain that metric_values holds, oldest first, with the
-- local days they cover (period_end is exclusive).
SELECT DISTINCT period_start, period_end
FROM metrics.metric_values
WHERE grain = $grain
ORDER BY period_start;
