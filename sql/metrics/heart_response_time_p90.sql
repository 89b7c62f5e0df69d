-- metric_id: heart_response_time_p90
-- name: HEART response time, 90th percentile
-- kind: p90
-- value_unit: minutes
-- units: ALL, CR, COR
-- dimensions: ALL
-- headline_dimension: ALL
-- period_by: the local date the 911 call was received
-- definition: 90th percentile of the minutes from the 911 call being received to the first HEART
--   in-person team arriving on scene. By unit: that unit's first arrival; ALL: the first arrival
--   of any in-person unit.
-- numerator: none (a 90th percentile of per-call times)
-- denominator: CAD incidents received in the period with a linked in-person HEART arrival (the
--   number of times the 90th percentile is taken over)
-- caveats: Measured from the CAD received time, so the minutes the call spent with the call-taker
--   count. Crisis Call Diversion works by phone and has no arrival. Walk-ups and unlinked
--   responses have no 911 call to measure from and are left out. Compare
--   police_response_time_p90.
--   Interval: distribution-free 95% interval from order statistics (see the method below).
--   Method: the 90th percentile is DuckDB's quantile_cont(minutes, 0.9): linear interpolation between the
--   order statistics around position (n - 1) x 0.9 of the sorted times (Hyndman-Fan type 7, the
--   default of R and NumPy). The interval is
--   the pair of order statistics at ranks n x 0.9 -/+ 1.96 x sqrt(n x 0.9 x 0.1), the lower rank
--   rounded down, the upper rounded up plus one, both clamped to 1..n.
CREATE OR REPLACE TEMP TABLE metric_result AS
WITH events AS (
    SELECT p.grain, p.period_start, p.period_end, t.incident_id, t.responder, t.minutes
    FROM marts.response_times AS t
    JOIN metric_period_days AS p ON p.day = t.received_date
    WHERE t.responder <> 'POLICE'
),
per_unit AS (
    SELECT grain, period_start, period_end, responder AS unit, minutes FROM events
    UNION ALL
    -- ALL: the first in-person arrival of any unit, once per call.
    SELECT grain, period_start, period_end, 'ALL', min(minutes) FROM events
    GROUP BY grain, period_start, period_end, incident_id
)
SELECT grain, period_start, period_end, unit, 'ALL' AS dimension, 'ALL' AS dimension_value,
    NULL AS numerator, count(*) AS denominator, quantile_cont(minutes, 0.9) AS value,
    quantile_ci_low(list(minutes), 0.9) AS ci_low, quantile_ci_high(list(minutes), 0.9) AS ci_high
FROM per_unit
GROUP BY ALL;
