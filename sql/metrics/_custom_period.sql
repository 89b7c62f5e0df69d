-- One period chosen by the user (`heart metrics --start --end`): local dates,
-- $period_start inclusive, $period_end exclusive.
CREATE OR REPLACE TEMP TABLE metric_periods AS
SELECT 'custom' AS grain, $period_start::DATE AS period_start, $period_end::DATE AS period_end;
