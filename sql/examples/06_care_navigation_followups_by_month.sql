-- question: Month by month over the last 12 months, how many Care Navigation follow-ups fell due,
--   and how many were done within the 48 hours, done late, or not done at all?
-- reading: One row per month in which follow-ups fell due (by the local date they were due).
--   due = done_on_time + done_late + not_done. on_time_share = done_on_time / due, with its
--   Wilson 95% interval (ci_low, ci_high): with few follow-ups a month the interval is wide, so
--   read the trend over several months rather than one month's figure.
-- tables: metrics.metric_values (care_nav_followup_48h_rate, unit CN, monthly),
--   marts.heart_responses (follow-ups not done), marts.program_days (the latest day with data)
-- defines: new here: splitting the follow-ups not done on time into done_late and not_done (no
--   done time recorded); due, done_on_time and on_time_share are the published
--   care_nav_followup_48h_rate.
-- caveats: The due time is the HEART log's own (48 real hours after the crisis, so a daylight-
--   saving change is judged correctly). A follow-up due after the latest day with data is pending
--   and in no month yet (the weekly report says how many); one due but with no done time yet
--   counts as not_done until a later log records it. The 12 months are the calendar month of the
--   latest day with data and the 11 before it.
WITH latest AS (
    SELECT max(service_date) AS last_day FROM marts.program_days
),
span AS (
    SELECT (date_trunc('month', last_day) - INTERVAL 11 MONTH)::DATE AS first_month FROM latest
),
rate AS (
    SELECT v.period_start AS month_start, v.denominator AS due, v.numerator AS done_on_time,
        v.value, v.ci_low, v.ci_high
    FROM metrics.metric_values AS v
    JOIN span AS s ON v.period_start >= s.first_month
    WHERE v.metric_id = 'care_nav_followup_48h_rate' AND v.grain = 'month' AND v.unit = 'CN'
      AND v.dimension = 'ALL'
),
pending AS (
    SELECT date_trunc('month', followup_due_date)::DATE AS month_start,
        count(*) FILTER (WHERE followup_done_at IS NULL) AS not_done
    FROM marts.heart_responses
    WHERE unit = 'CN' AND followup_due_at IS NOT NULL
      AND followup_due_date <= (SELECT last_day FROM latest)   -- pending follow-ups are in no month
    GROUP BY ALL
)
SELECT r.month_start, r.due::BIGINT AS due, r.done_on_time::BIGINT AS done_on_time,
    (r.due - r.done_on_time - coalesce(p.not_done, 0))::BIGINT AS done_late,
    coalesce(p.not_done, 0) AS not_done,
    round(r.value, 3) AS on_time_share, round(r.ci_low, 3) AS ci_low, round(r.ci_high, 3) AS ci_high
FROM rate AS r
LEFT JOIN pending AS p USING (month_start)
ORDER BY r.month_start;
