-- metric_id: care_nav_followup_48h_rate
-- name: Care Navigation follow-ups done within 48 hours
-- kind: rate
-- value_unit: share
-- units: CN
-- dimensions: ALL
-- headline_dimension: ALL
-- period_by: the local date the follow-up was due
-- definition: Of the Care Navigation follow-ups that fell due in the period, the share done by the
--   time they were due, 48 hours after the crisis.
-- numerator: Care Navigation follow-ups due in the period whose done time is at or before the due
--   time
-- denominator: Care Navigation follow-ups due in the period (follow-up due time recorded)
-- caveats: The due time is the log's own, which the program sets 48 hours after the crisis call;
--   elapsed time is measured in real hours, so a follow-up over a daylight-saving change is judged
--   correctly. A follow-up not yet done counts as not on time, so the latest week can rise as
--   late entries arrive. Pending follow-ups: a follow-up whose due date (local) is after the last
--   day the data covers is pending. It is in no period's rate, not even a window asked for past
--   the data's end, until the data reaches the day it falls due; the weekly report shows how many
--   are pending.
CREATE OR REPLACE TEMP TABLE metric_result AS
WITH data_end AS (
    SELECT max(service_date) AS last_day FROM marts.program_days
),
events AS (
    SELECT p.grain, p.period_start, p.period_end, r.followup_on_time
    FROM marts.heart_responses AS r
    JOIN metric_period_days AS p ON p.day = r.followup_due_date
    WHERE r.unit = 'CN' AND r.followup_due_at IS NOT NULL
      -- Pending (due after the last data day): in no period yet.
      AND r.followup_due_date <= (SELECT last_day FROM data_end)
),
counted AS (
    SELECT grain, period_start, period_end, 'CN' AS unit,
        count(*) FILTER (WHERE followup_on_time) AS numerator, count(*) AS denominator
    FROM events
    GROUP BY ALL
)
SELECT grain, period_start, period_end, unit, 'ALL' AS dimension, 'ALL' AS dimension_value,
    numerator, denominator
FROM counted;
