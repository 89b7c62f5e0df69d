-- metric_id: responses
-- name: HEART responses
-- kind: count
-- value_unit: responses
-- units: ALL, CCD, CR, COR, CN
-- dimensions: ALL, hour_of_day, contact_mode
-- headline_dimension: ALL
-- period_by: the local date HEART received the request
-- definition: Responses logged by HEART, by unit. ALL counts the crisis-response units only
--   (Crisis Call Diversion, Community Response, Co-Response): the responses that answer a call.
-- numerator: rows of the HEART log (latest version of each response) received in the period
-- denominator: none (a count)
-- caveats: Care Navigation follow-ups are counted under unit CN and left out of ALL, because they
--   follow up a crisis response rather than answer a call; the published "805 responses across
--   three units" counts the same way. Walk-ups (no 911 call) and responses whose CAD incident
--   number matches no incident are counted. One call answered by two units is two responses.
--   Every contact mode (in_person, phone, none) has a row, 0 included, for a unit with
--   responses in the period.
CREATE OR REPLACE TEMP TABLE metric_result AS
WITH events AS (
    SELECT p.grain, p.period_start, p.period_end, r.*
    FROM marts.heart_responses AS r
    JOIN metric_period_days AS p ON p.day = r.received_date
),
by_unit AS (
    SELECT grain, period_start, period_end, unit, crisis_response,
        unnest([
            {'dimension': 'ALL', 'dimension_value': 'ALL'},
            {'dimension': 'hour_of_day', 'dimension_value': hour_label(received_hour)},
            {'dimension': 'contact_mode', 'dimension_value': value_label(contact_mode)}
        ], recursive := true)
    FROM events
),
with_all AS (
    SELECT grain, period_start, period_end, unit, dimension, dimension_value FROM by_unit
    UNION ALL
    SELECT grain, period_start, period_end, 'ALL', dimension, dimension_value FROM by_unit WHERE crisis_response
),
counted AS (
    SELECT grain, period_start, period_end, unit, dimension, dimension_value, count(*) AS numerator
    FROM with_all
    GROUP BY ALL
),
-- Zero rows: every contact mode for a unit with responses in the period.
every_mode AS (
    SELECT DISTINCT grain, period_start, period_end, unit, 'contact_mode' AS dimension,
        unnest(contact_modes()) AS dimension_value
    FROM with_all
)
SELECT grain, period_start, period_end, unit, dimension, dimension_value, numerator
FROM counted
UNION ALL
SELECT z.grain, z.period_start, z.period_end, z.unit, z.dimension, z.dimension_value, 0
FROM every_mode AS z
ANTI JOIN counted AS c USING (grain, period_start, unit, dimension, dimension_value);
