-- The reporting periods metric_values is computed for, from the program's
-- first day to the last day with data (marts.program_days), in local dates:
--   week         Monday to Monday;
--   month        calendar month;
--   fiscal_year  from the first day of $fy_start_month (Durham: July-June),
--                labelled by its start date;
--   all          program to date.
-- period_start is inclusive, period_end exclusive. The first and last periods
-- may be partial: they cover only the days the data covers.
CREATE OR REPLACE TEMP TABLE metric_periods AS
WITH days AS (SELECT service_date AS d FROM marts.program_days),
fiscal AS (
    SELECT d, make_date(year(d) - CASE WHEN month(d) < $fy_start_month THEN 1 ELSE 0 END, $fy_start_month, 1) AS fy
    FROM days
)
SELECT DISTINCT 'week' AS grain, date_trunc('week', d)::DATE AS period_start,
    (date_trunc('week', d) + INTERVAL 7 DAY)::DATE AS period_end
FROM days
UNION ALL
SELECT DISTINCT 'month', date_trunc('month', d)::DATE, (date_trunc('month', d) + INTERVAL 1 MONTH)::DATE FROM days
UNION ALL
SELECT DISTINCT 'fiscal_year', fy, (fy + INTERVAL 1 YEAR)::DATE FROM fiscal
UNION ALL
SELECT 'all', min(d), (max(d) + INTERVAL 1 DAY)::DATE FROM days HAVING count(*) > 0;
