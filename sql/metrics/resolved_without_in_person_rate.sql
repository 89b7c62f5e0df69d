-- metric_id: resolved_without_in_person_rate
-- name: Crisis Call Diversion calls resolved without in-person contact
-- kind: rate
-- value_unit: share
-- units: CCD
-- dimensions: ALL
-- headline_dimension: ALL
-- period_by: the local date HEART received the request
-- definition: Of the calls Crisis Call Diversion clinicians took, the share they resolved by phone
--   with nobody sent in person.
-- numerator: Crisis Call Diversion responses marked resolved without in-person contact, with
--   contact by phone, whose CAD incident shows no unit of any discipline sent and no HEART
--   in-person response (unlinked responses: the log's mark alone)
-- denominator: Crisis Call Diversion responses received in the period
-- caveats: A call the clinician handed to police, EMS or a HEART team counts in the denominator
--   only. If the log marks a call resolved but CAD shows a unit sent, CAD wins.
CREATE OR REPLACE TEMP TABLE metric_result AS
WITH events AS (
    SELECT p.grain, p.period_start, p.period_end, r.*,
        (coalesce(r.resolved_without_in_person, false)
            AND r.contact_mode = 'phone'
            AND coalesce(r.incident_units_assigned, 0) = 0
            AND coalesce(r.incident_heart_in_person_responses, 0) = 0) AS resolved_by_phone
    FROM marts.heart_responses AS r
    JOIN metric_period_days AS p ON p.day = r.received_date
    WHERE r.unit = 'CCD'
),
counted AS (
    SELECT grain, period_start, period_end, 'CCD' AS unit,
        count(*) FILTER (WHERE resolved_by_phone) AS numerator, count(*) AS denominator
    FROM events
    GROUP BY ALL
)
SELECT grain, period_start, period_end, unit, 'ALL' AS dimension, 'ALL' AS dimension_value,
    numerator, denominator
FROM counted;
