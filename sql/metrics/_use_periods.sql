-- Point metric_periods, which every metric file reads, at one of the period sets of a build:
--   days      one period (grain `day`) per day in metric_days_todo, for the summed-by-day metrics;
--   changed   metric_changed_periods;
--   standard  every standard period.
-- Parameters: $periods.
CREATE OR REPLACE TEMP TABLE metric_periods AS
SELECT 'day' AS grain, day AS period_start, (day + 1)::DATE AS period_end
FROM metric_days_todo WHERE $periods = 'days'
UNION ALL
SELECT grain, period_start, period_end FROM metric_changed_periods WHERE $periods = 'changed'
UNION ALL
SELECT grain, period_start, period_end FROM standard_periods WHERE $periods = 'standard';
