-- The reporting periods metric_values is computed for, from the program's
-- first day to the last day with data (marts.program_days), in local dates:
--   week         Monday to Monday;
--   month        calendar month;
--   fiscal_year  from the first day of $fy_start_month (Durham: July-June),
--                labelled by its start date;
--   all          program to date.
-- period_start is inclusive, period_end exclusive. Every period of every
-- grain ends at the latest on the day after the last day with data: the last
-- week, month and fiscal year are clipped there, exactly as `all` is, so that
-- weeks, months and fiscal years always add up to `all` whatever day the data
-- ends on (an event dated after the last data day, such as a follow-up due
-- next week, is in no period until the data reaches it).
-- The first periods keep their calendar start: the data starts at launch.
CREATE OR REPLACE TEMP TABLE metric_periods AS
WITH days AS (SELECT service_date AS d FROM marts.program_days),
data_end AS (SELECT (max(d) + INTERVAL 1 DAY)::DATE AS data_end FROM days),
fiscal AS (
    SELECT d, make_date(year(d) - CASE WHEN month(d) < $fy_start_month THEN 1 ELSE 0 END, $fy_start_month, 1) AS fy
    FROM days
),
calendar AS (
    SELECT DISTINCT 'week' AS grain, date_trunc('week', d)::DATE AS period_start,
        (date_trunc('week', d) + INTERVAL 7 DAY)::DATE AS period_end
    FROM days
    UNION ALL
    SELECT DISTINCT 'month', date_trunc('month', d)::DATE, (date_trunc('month', d) + INTERVAL 1 MONTH)::DATE FROM days
    UNION ALL
    SELECT DISTINCT 'fiscal_year', fy, (fy + INTERVAL 1 YEAR)::DATE FROM fiscal
    UNION ALL
    SELECT 'all', min(d), (max(d) + INTERVAL 1 DAY)::DATE FROM days HAVING count(*) > 0
)
SELECT c.grain, c.period_start, least(c.period_end, e.data_end) AS period_end
FROM calendar AS c CROSS JOIN data_end AS e;
