-- exports/eligible_calls_monthly: one row per calendar month x initial call type x status,
-- where status is what became of the eligible 911 calls: `answered` (at least one linked
-- response from a HEART crisis-response unit) or, for the calls HEART did not answer, the
-- first reason that applies (outside_service_hours, outside_service_area, no_team_free,
-- not_routed; defined in sql/marts/eligible_calls.sql).
-- calls = eligible CAD incidents received (local date) in the month with that initial call
-- type and status. Months are the `month` periods of metrics.metric_values, so the first
-- and last can be partial and every row adds up to the metrics: summed over status, a
-- month and call type give eligible_calls by call_type; `answered` is the numerator of
-- eligible_answered_rate by call_type; summed over call types, a reason gives
-- unmet_eligible_calls by reason. Every status is listed (0 when none) for each month and
-- call type with at least one eligible call.
WITH months AS (
    SELECT DISTINCT period_start, period_end FROM metrics.metric_values WHERE grain = 'month'
),
calls AS (
    SELECT m.period_start, m.period_end,
        coalesce(e.initial_call_type::VARCHAR, 'unknown') AS call_type,
        CASE WHEN e.answered THEN 'answered' ELSE e.unmet_reason END AS status
    FROM marts.eligible_calls AS e
    JOIN months AS m ON e.received_date >= m.period_start AND e.received_date < m.period_end
),
statuses AS (
    SELECT * FROM (VALUES
        (1, 'answered'), (2, 'outside_service_hours'), (3, 'outside_service_area'),
        (4, 'no_team_free'), (5, 'not_routed')
    ) AS s(status_order, status)
),
grid AS (
    SELECT DISTINCT period_start, period_end, call_type FROM calls
)
SELECT g.period_start, g.period_end, g.call_type, s.status, count(c.status) AS calls
FROM grid AS g
CROSS JOIN statuses AS s
LEFT JOIN calls AS c ON c.period_start = g.period_start AND c.call_type = g.call_type AND c.status = s.status
GROUP BY g.period_start, g.period_end, g.call_type, s.status_order, s.status
ORDER BY g.period_start, g.call_type, s.status_order;
