-- Append one summed-by-day metric's rows, computed with one period per local day, to
-- metric_day_rows. Such a file gives numerators (and denominators) only: a value or an interval
-- column would not add up over days, and fails the insert.
INSERT INTO metric_day_rows BY NAME
SELECT $metric_id AS metric_id, period_start AS day, * EXCLUDE (grain, period_start, period_end)
FROM metric_result;
