-- question: In the last complete calendar quarter, at what hours of the day did eligible 911 calls
--   come in, and how many of them did HEART answer and how many went unmet?
-- reading: One row per local hour of the day, 00 to 23 (the hour the 911 call was received).
--   eligible = answered + unmet; answered_share = answered / eligible, blank for an hour with no
--   eligible calls. quarter_start and quarter_end (end exclusive) name the quarter: the last
--   calendar quarter that ended on or before the latest day with data, so the query needs no
--   dates typed in. Hours with many unmet calls are where longer service hours or more teams
--   would reach more calls (see 04_unmet_calls_by_reason_and_month.sql for why they went unmet).
-- tables: metrics.metric_values (monthly rows of eligible_calls, eligible_answered_rate unit ALL
--   and unmet_eligible_calls, each broken down by hour_of_day), marts.program_days (the latest
--   day with data)
-- defines: nothing new: every figure is a published metric; the quarter's three monthly figures
--   are added up, which is right for counts of calls.
-- caveats: Hours are local wall-clock hours: on the autumn daylight-saving change hour 01 holds
--   two real hours, in spring hour 02 does not exist. A quarter that started before launch holds
--   only the days since launch. A call answered by two units counts once as answered.
WITH latest AS (
    SELECT max(service_date) AS last_day FROM marts.program_days
),
quarter AS (
    -- The quarter that contains the day after the latest data day has not ended yet (or
    -- starts that day); the one before it is the last complete quarter.
    SELECT
        (date_trunc('quarter', last_day + INTERVAL 1 DAY) - INTERVAL 3 MONTH)::DATE AS quarter_start,
        date_trunc('quarter', last_day + INTERVAL 1 DAY)::DATE AS quarter_end
    FROM latest
),
monthly AS (
    SELECT v.metric_id, v.dimension_value AS hour_of_day, v.numerator
    FROM metrics.metric_values AS v
    JOIN quarter AS q ON v.period_start >= q.quarter_start AND v.period_start < q.quarter_end
    WHERE v.grain = 'month' AND v.unit = 'ALL' AND v.dimension = 'hour_of_day'
      AND v.metric_id IN ('eligible_calls', 'eligible_answered_rate', 'unmet_eligible_calls')
),
hours AS (
    SELECT lpad(h::VARCHAR, 2, '0') AS hour_of_day FROM range(24) AS t(h)
),
counted AS (
    SELECT
        h.hour_of_day,
        coalesce(sum(m.numerator) FILTER (WHERE m.metric_id = 'eligible_calls'), 0)::BIGINT AS eligible,
        coalesce(sum(m.numerator) FILTER (WHERE m.metric_id = 'eligible_answered_rate'), 0)::BIGINT AS answered,
        coalesce(sum(m.numerator) FILTER (WHERE m.metric_id = 'unmet_eligible_calls'), 0)::BIGINT AS unmet
    FROM hours AS h
    LEFT JOIN monthly AS m USING (hour_of_day)
    GROUP BY h.hour_of_day
)
SELECT q.quarter_start, q.quarter_end, c.hour_of_day, c.eligible, c.answered, c.unmet,
    round(c.answered / nullif(c.eligible, 0), 3) AS answered_share
FROM counted AS c
CROSS JOIN quarter AS q
ORDER BY c.hour_of_day;
