-- The weeks (their Mondays, local) on which at least one CAD call or HEART
-- response was received, among the weeks metric_values holds: the weekly
-- report's partitions. A week inside the program's span with no call at all
-- (an export that starts after launch, a gap between exports) is not one.
WITH data_weeks AS (
    SELECT DISTINCT date_trunc('week', received_date)::DATE AS week FROM marts.cad_incidents
    UNION
    SELECT DISTINCT date_trunc('week', received_date)::DATE FROM marts.heart_responses
)
SELECT DISTINCT m.period_start AS week
FROM metrics.metric_values AS m
JOIN data_weeks AS w ON w.week = m.period_start
WHERE m.grain = 'week'
ORDER BY week;
