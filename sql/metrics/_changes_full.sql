-- _changes.sql for a full build, on a warehouse that may hold no earlier build to compare with:
-- every day in the range and every standard period is recomputed.
CREATE OR REPLACE TEMP TABLE standard_periods AS SELECT * FROM metric_periods;

CREATE OR REPLACE TEMP TABLE metric_day_atoms AS
SELECT unnest(generate_series(min(period_start), max(period_end) - INTERVAL 1 DAY, INTERVAL 1 DAY))::DATE AS day
FROM standard_periods
HAVING count(*) > 0;

CREATE OR REPLACE TEMP TABLE metric_days_changed AS SELECT day FROM metric_day_atoms;
CREATE OR REPLACE TEMP TABLE metric_days_todo AS SELECT day FROM metric_day_atoms;
CREATE OR REPLACE TEMP TABLE metric_changed_periods AS SELECT * FROM standard_periods;
