-- metric_id: eligible_in_coverage
-- name: Eligible calls within coverage
-- kind: count
-- value_unit: calls
-- units: ALL
-- dimensions: ALL, hour_of_day, call_type, beat
-- headline_dimension: ALL
-- period_by: the local date the 911 call was received
-- definition: Eligible calls received inside the service area and the service hours in force at
--   that moment: the calls HEART's configuration says it could have taken.
-- numerator: eligible CAD incidents received in the period in a served beat and within that day's
--   service hours (local time, start inclusive, end exclusive)
-- denominator: none (a count)
-- caveats: The service area binds the in-person teams; Crisis Call Diversion clinicians can take
--   eligible calls from anywhere in the city during service hours, so some answered calls fall
--   outside coverage. Calls with no beat count as outside the area until service is citywide.
CREATE OR REPLACE TEMP TABLE metric_result AS
WITH events AS (
    SELECT p.grain, p.period_start, p.period_end, e.*
    FROM marts.eligible_calls AS e
    JOIN metric_period_days AS p ON p.day = e.received_date
    WHERE e.in_coverage
),
broken_down AS (
    SELECT grain, period_start, period_end, unnest([
        {'dimension': 'ALL', 'dimension_value': 'ALL'},
        {'dimension': 'hour_of_day', 'dimension_value': hour_label(received_hour)},
        {'dimension': 'call_type', 'dimension_value': value_label(initial_call_type)},
        {'dimension': 'beat', 'dimension_value': value_label(beat)}
    ], recursive := true)
    FROM events
)
SELECT grain, period_start, period_end, 'ALL' AS unit, dimension, dimension_value, count(*) AS numerator
FROM broken_down
GROUP BY ALL;
