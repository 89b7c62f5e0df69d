-- What a build of metric_values recomputes (pipeline/metrics/compute.py), once _periods.sql has
-- made the standard periods (kept as standard_periods: metric_periods is reused):
--   metric_day_atoms       every local day from the first period's start to the data's end:
--                          the days the summed-by-day metrics are kept for (metrics.metric_days);
--   metric_days_changed    on a full build every day; otherwise the local dates of the mart rows
--                          the marts' builds since the last one deleted or inserted
--                          (metrics.changed_dates after build $consumed_seq), and the days the
--                          data's range gained;
--   metric_days_todo       those of them in the range: the days whose rows are recomputed;
--   metric_changed_periods on a full build every period; otherwise every period holding a
--                          changed day, and every period that is new or whose (clipped) end moved.
-- Rows of days and periods the range lost are deleted when publishing.
-- Parameters: $full, $consumed_seq.
CREATE OR REPLACE TEMP TABLE standard_periods AS SELECT * FROM metric_periods;

CREATE OR REPLACE TEMP TABLE metric_day_atoms AS
SELECT unnest(generate_series(min(period_start), max(period_end) - INTERVAL 1 DAY, INTERVAL 1 DAY))::DATE AS day
FROM standard_periods
HAVING count(*) > 0;

CREATE OR REPLACE TEMP TABLE metric_days_changed AS
SELECT day FROM metric_day_atoms WHERE $full
UNION
SELECT service_date FROM metrics.changed_dates WHERE NOT $full AND marts_build_seq > $consumed_seq
UNION
SELECT a.day
FROM metric_day_atoms AS a CROSS JOIN metrics.build_state AS s
WHERE NOT $full AND s.stage = 'metric_values' AND (a.day < s.days_from OR a.day >= s.days_end);

CREATE OR REPLACE TEMP TABLE metric_days_todo AS
SELECT day FROM metric_days_changed WHERE day IN (SELECT day FROM metric_day_atoms);

CREATE OR REPLACE TEMP TABLE metric_changed_periods AS
SELECT p.*
FROM standard_periods AS p
WHERE $full
   OR EXISTS (SELECT 1 FROM metric_days_changed AS c WHERE c.day >= p.period_start AND c.day < p.period_end)
   OR NOT EXISTS (
       SELECT 1 FROM metrics.metric_values AS v
       WHERE v.grain = p.grain AND v.period_start = p.period_start AND v.period_end = p.period_end
   );
