-- metric_id: eligible_answered_rate
-- name: Eligible calls answered by HEART
-- kind: rate
-- value_unit: share
-- units: ALL, CCD, CR, COR
-- dimensions: ALL, coverage, hour_of_day, call_type, beat
-- headline_dimension: ALL
-- period_by: the local date the 911 call was received
-- definition: Of the eligible calls, the share that got a response from a HEART crisis-response
--   unit. By unit: the share answered by that unit. The coverage breakdown gives the same rate
--   for calls inside and outside the service area and hours.
-- numerator: eligible CAD incidents received in the period with at least one linked HEART response
--   from Crisis Call Diversion, Community Response or Co-Response (from the named unit, by unit)
-- denominator: eligible CAD incidents received in the period (the eligible_calls metric; within the
--   coverage breakdown, those in or out of coverage)
-- caveats: A response counts when the HEART log names the CAD incident number; responses with a
--   mistyped number cannot be linked and leave their call unanswered here. The published
--   "805 responses out of 6,902 eligible calls" divides responses by calls; this rate counts each
--   call once, however many units answered it.
CREATE OR REPLACE TEMP TABLE metric_result AS
WITH events AS (
    SELECT p.grain, p.period_start, p.period_end, e.*
    FROM marts.eligible_calls AS e
    JOIN metric_period_days AS p ON p.day = e.received_date
),
per_unit AS (
    SELECT grain, period_start, period_end, 'ALL' AS dimension, 'ALL' AS dimension_value,
        unnest([
            {'unit': 'ALL', 'hit': answered},
            {'unit': 'CCD', 'hit': answered_by_ccd},
            {'unit': 'CR', 'hit': answered_by_cr},
            {'unit': 'COR', 'hit': answered_by_cor}
        ], recursive := true)
    FROM events
),
per_dimension AS (
    SELECT grain, period_start, period_end, 'ALL' AS unit, answered AS hit,
        unnest([
            {'dimension': 'coverage',
             'dimension_value': CASE WHEN in_coverage THEN 'in_coverage' ELSE 'outside_coverage' END},
            {'dimension': 'hour_of_day', 'dimension_value': hour_label(received_hour)},
            {'dimension': 'call_type', 'dimension_value': value_label(initial_call_type)},
            {'dimension': 'beat', 'dimension_value': value_label(beat)}
        ], recursive := true)
    FROM events
),
counted AS (
    SELECT grain, period_start, period_end, unit, dimension, dimension_value,
        count(*) FILTER (WHERE hit) AS numerator, count(*) AS denominator
    FROM (
        SELECT grain, period_start, period_end, unit, dimension, dimension_value, hit FROM per_unit
        UNION ALL
        SELECT grain, period_start, period_end, unit, dimension, dimension_value, hit FROM per_dimension
    )
    GROUP BY ALL
)
SELECT grain, period_start, period_end, unit, dimension, dimension_value, numerator, denominator
FROM counted;
