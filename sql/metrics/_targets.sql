-- Record that the metrics $metric_ids were computed for every period in metric_periods.
INSERT INTO metric_targets
SELECT m.metric_id, p.grain, p.period_start, p.period_end
FROM (SELECT unnest($metric_ids::VARCHAR[]) AS metric_id) AS m
CROSS JOIN metric_periods AS p;
