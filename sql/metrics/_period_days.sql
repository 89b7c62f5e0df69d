-- Every local day of every period in metric_periods (period_start inclusive, period_end
-- exclusive), with the period's columns: the metric files place an event in its periods by an
-- equality join on its date (p.day = the event's date), which costs the same whether the periods
-- are the standard ones, one user window or one period per day.
CREATE OR REPLACE TEMP TABLE metric_period_days AS
SELECT p.grain, p.period_start, p.period_end,
    unnest(generate_series(p.period_start, (p.period_end - 1)::DATE, INTERVAL 1 DAY))::DATE AS day
FROM metric_periods AS p
WHERE p.period_end > p.period_start;
