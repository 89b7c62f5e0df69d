-- metric_id: police_backup_rate
-- name: In-person responses that requested police
-- kind: rate
-- value_unit: share
-- units: ALL, CR, COR, CN
-- dimensions: ALL
-- headline_dimension: ALL
-- period_by: the local date HEART received the request
-- definition: Of HEART's in-person responses, the share where the responders asked for police on
--   scene.
-- numerator: in-person responses received in the period with police requested = yes
-- denominator: in-person responses received in the period
-- caveats: A blank police-requested field counts as no request. Police the 911 center sent on its
--   own are not a request by HEART (see diversion_rate). ALL includes in-person Care Navigation
--   visits, and a Care Navigation follow-up that asked for police counts here (unit CN and ALL)
--   although diversion_rate does not count it against the 911 call it follows up.
CREATE OR REPLACE TEMP TABLE metric_result AS
WITH events AS (
    SELECT p.grain, p.period_start, p.period_end, r.unit, coalesce(r.police_requested, false) AS requested
    FROM marts.heart_responses AS r
    JOIN metric_period_days AS p ON p.day = r.received_date
    WHERE r.contact_mode = 'in_person'
),
counted AS (
    SELECT grain, period_start, period_end, unit,
        count(*) FILTER (WHERE requested) AS numerator, count(*) AS denominator
    FROM events
    GROUP BY ALL
    UNION ALL
    SELECT grain, period_start, period_end, 'ALL',
        count(*) FILTER (WHERE requested), count(*)
    FROM events
    GROUP BY ALL
)
SELECT grain, period_start, period_end, unit, 'ALL' AS dimension, 'ALL' AS dimension_value,
    numerator, denominator
FROM counted;
