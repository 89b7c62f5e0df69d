-- question: Month by month over the last 12 months, why did eligible calls go unanswered by HEART:
--   outside service hours, outside the service area, no team free, or not routed?
-- reading: One row per month and reason with at least one unmet call (months with none are not
--   listed). unmet_calls: eligible calls received that month with no HEART crisis response, given
--   the first reason that applies; eligible_calls: all eligible calls that month;
--   share_of_eligible = unmet_calls / eligible_calls. The reasons of a month add up to its unmet
--   calls. outside_service_hours and outside_service_area are about configuration (when and where
--   HEART works); no_team_free is about capacity; not_routed is about dispatch.
-- tables: metrics.metric_values (monthly rows of unmet_eligible_calls by reason and eligible_calls),
--   marts.program_days (the latest day with data)
-- defines: nothing new: both figures are published metrics.
-- caveats: The 12 months are the calendar month of the latest day with data and the 11 before it;
--   that latest month is usually partial. "Team committed" runs from dispatch to clear as the
--   HEART log records it, so no_team_free is a lower bound and not_routed an upper bound (see
--   unmet_eligible_calls in docs/metrics.md).
WITH latest AS (
    SELECT max(service_date) AS last_day FROM marts.program_days
),
span AS (
    SELECT (date_trunc('month', last_day) - INTERVAL 11 MONTH)::DATE AS first_month FROM latest
),
unmet AS (
    SELECT v.period_start AS month_start, v.dimension_value AS reason, v.numerator AS unmet_calls
    FROM metrics.metric_values AS v
    JOIN span AS s ON v.period_start >= s.first_month
    WHERE v.metric_id = 'unmet_eligible_calls' AND v.grain = 'month' AND v.unit = 'ALL'
      AND v.dimension = 'reason'
      AND v.numerator > 0   -- metric_values also holds each reason's zero row; listed here: reasons that occurred
),
eligible AS (
    SELECT period_start AS month_start, numerator AS eligible_calls
    FROM metrics.metric_values
    WHERE metric_id = 'eligible_calls' AND grain = 'month' AND unit = 'ALL' AND dimension = 'ALL'
)
SELECT u.month_start, u.reason, u.unmet_calls::BIGINT AS unmet_calls, e.eligible_calls::BIGINT AS eligible_calls,
    round(u.unmet_calls / nullif(e.eligible_calls, 0), 3) AS share_of_eligible
FROM unmet AS u
LEFT JOIN eligible AS e USING (month_start)
ORDER BY u.month_start,
    list_position(['outside_service_hours', 'outside_service_area', 'no_team_free', 'not_routed'], u.reason),
    u.reason;
