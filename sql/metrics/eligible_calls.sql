-- metric_id: eligible_calls
-- name: Eligible calls
-- kind: count
-- value_unit: calls
-- units: ALL
-- dimensions: ALL, hour_of_day, weekday, weekday+hour_of_day, call_type, beat
-- headline_dimension: ALL
-- period_by: the local date the 911 call was received
-- definition: 911 calls (CAD incidents) whose call type at intake was on the HEART-eligible list
--   in force on the day they came in, anywhere in the city and at any hour.
-- numerator: CAD incidents received in the period whose initial call type was eligible that day
-- denominator: none (a count)
-- caveats: An incident counts once, in its latest exported version. Incidents whose rows were
--   quarantined are not counted until a corrected export arrives. Eligibility is by call type
--   alone: calls the call-taker judged too risky for HEART are still eligible here. Call types
--   and beats are compared trimmed and upper-case, so `welfck` is WELFCK, eligible and counted
--   under WELFCK.
CREATE OR REPLACE TEMP TABLE metric_result AS
WITH events AS (
    SELECT p.grain, p.period_start, p.period_end, e.*
    FROM marts.eligible_calls AS e
    JOIN metric_period_days AS p ON p.day = e.received_date
),
broken_down AS (
    SELECT grain, period_start, period_end, unnest([
        {'dimension': 'ALL', 'dimension_value': 'ALL'},
        {'dimension': 'hour_of_day', 'dimension_value': hour_label(received_hour)},
        {'dimension': 'weekday', 'dimension_value': weekday_label(received_iso_weekday)},
        {'dimension': 'weekday+hour_of_day',
         'dimension_value': weekday_label(received_iso_weekday) || '|' || hour_label(received_hour)},
        {'dimension': 'call_type', 'dimension_value': value_label(initial_call_type)},
        {'dimension': 'beat', 'dimension_value': value_label(beat)}
    ], recursive := true)
    FROM events
)
SELECT grain, period_start, period_end, 'ALL' AS unit, dimension, dimension_value, count(*) AS numerator
FROM broken_down
GROUP BY ALL;
