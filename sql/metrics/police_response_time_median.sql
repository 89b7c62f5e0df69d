-- metric_id: police_response_time_median
-- name: Police response time on eligible calls, median
-- kind: median
-- value_unit: minutes
-- units: ALL
-- dimensions: ALL
-- headline_dimension: ALL
-- period_by: the local date the 911 call was received
-- definition: Median of the minutes from the 911 call being received to the first police unit
--   arriving, on eligible calls HEART did not answer: the police benchmark for the same call
--   types.
-- numerator: none (a median of per-call times)
-- denominator: eligible CAD incidents received in the period with no HEART crisis response and a
--   police arrival time
-- caveats: Police answer eligible calls at every hour and in every beat, HEART only in its service
--   hours and area, so the two sets of calls differ in time and place as well as responder.
--   Interval: distribution-free 95% interval from order statistics (see the method below).
--   Method: the median is DuckDB's quantile_cont(minutes, 0.5): linear interpolation between the
--   order statistics around position (n - 1) x 0.5 of the sorted times (Hyndman-Fan type 7, the
--   default of R and NumPy), so an even count gives the mean of the middle two. The interval is
--   the pair of order statistics at ranks n x 0.5 -/+ 1.96 x sqrt(n x 0.5 x 0.5), the lower rank
--   rounded down, the upper rounded up plus one, both clamped to 1..n.
CREATE OR REPLACE TEMP TABLE metric_result AS
WITH events AS (
    SELECT p.grain, p.period_start, p.period_end, t.minutes
    FROM marts.response_times AS t
    JOIN metric_period_days AS p ON p.day = t.received_date
    WHERE t.responder = 'POLICE'
)
SELECT grain, period_start, period_end, 'ALL' AS unit, 'ALL' AS dimension, 'ALL' AS dimension_value,
    NULL AS numerator, count(*) AS denominator, quantile_cont(minutes, 0.5) AS value,
    quantile_ci_low(list(minutes), 0.5) AS ci_low, quantile_ci_high(list(minutes), 0.5) AS ci_high
FROM events
GROUP BY ALL;
