-- metric_id: officer_hours_saved
-- name: Officer-hours saved
-- kind: sum
-- value_unit: hours
-- units: ALL
-- dimensions: ALL, call_type
-- headline_dimension: ALL
-- period_by: the local date the 911 call was received
-- definition: For each call HEART diverted from police, the officer time a call of that type
--   typically takes when police handle it, added up.
-- numerator: sum over diverted CAD incidents received in the period of the mean police unit-hours
--   of comparable police-handled incidents of the same initial call type
--   (marts.police_time_by_call_type)
-- denominator: diverted CAD incidents received in the period (the numerator of diversion_rate,
--   unit ALL)
-- caveats: Method: officer time of a police-handled incident is the sum over its police units of
--   dispatch to clear; comparable incidents share the initial call type, had police and no HEART
--   response, with every police time recorded; the mean over all of them in the warehouse is the
--   typical value, so it moves a little as data is added. It assumes the diverted calls would
--   have needed as many officers for as long as the calls police kept, which is an estimate, not
--   a measurement. A call type with no comparable police incidents adds no hours.
CREATE OR REPLACE TEMP TABLE metric_result AS
WITH diverted AS (
    SELECT DISTINCT incident_id, received_date, initial_call_type
    FROM marts.heart_handled_incidents
    WHERE diverted
),
events AS (
    SELECT p.grain, p.period_start, p.period_end, d.initial_call_type,
        coalesce(t.mean_police_unit_hours, 0) AS hours
    FROM diverted AS d
    JOIN metric_period_days AS p ON p.day = d.received_date
    LEFT JOIN marts.police_time_by_call_type AS t USING (initial_call_type)
),
broken_down AS (
    SELECT grain, period_start, period_end, hours, unnest([
        {'dimension': 'ALL', 'dimension_value': 'ALL'},
        {'dimension': 'call_type', 'dimension_value': value_label(initial_call_type)}
    ], recursive := true)
    FROM events
)
SELECT grain, period_start, period_end, 'ALL' AS unit, dimension, dimension_value,
    -- Summed as DECIMAL (exact), so a re-run gives the same double whatever order the threads add in.
    sum(hours::DECIMAL(38, 18))::DOUBLE AS numerator, count(*) AS denominator
FROM broken_down
GROUP BY ALL;
