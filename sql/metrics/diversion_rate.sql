-- metric_id: diversion_rate
-- name: Calls diverted from police
-- kind: rate
-- value_unit: share
-- units: ALL, CCD, CR, COR
-- dimensions: ALL
-- headline_dimension: ALL
-- period_by: the local date the 911 call was received
-- definition: Of the 911 calls HEART handled, the share where no police unit was sent and no
--   HEART responder asked for police on scene. By unit: among the calls that unit handled.
-- numerator: CAD incidents handled by a HEART crisis-response unit (the named unit, by unit) with
--   no police unit in CAD and no crisis-response unit's response to the incident (Crisis Call
--   Diversion, Community Response, Co-Response) requesting police
-- denominator: CAD incidents handled by a HEART crisis-response unit (the named unit, by unit)
-- caveats: "Handled" means a HEART response in the log names the incident; unlinked responses are
--   left out because there is no CAD record to show whether police went. Co-Response pairs a
--   clinician with an officer, so its calls are never diverted by this definition. Police sent
--   before or after HEART both count as police involvement. Only the crisis-response units'
--   requests count: a Care Navigation follow-up names the incident it follows up, but police it
--   asks for days later are not police involvement in the 911 call, so the call stays diverted
--   (police_backup_rate does count that request, as an in-person response asking for police).
--   The numerator for unit ALL is the number of calls diverted.
CREATE OR REPLACE TEMP TABLE metric_result AS
WITH events AS (
    SELECT p.grain, p.period_start, p.period_end, h.*
    FROM marts.heart_handled_incidents AS h
    JOIN metric_period_days AS p ON p.day = h.received_date
),
counted AS (
    SELECT grain, period_start, period_end, unit,
        count(*) FILTER (WHERE diverted) AS numerator, count(*) AS denominator
    FROM events
    GROUP BY ALL
    UNION ALL
    -- ALL: each incident once, whichever units answered it.
    SELECT grain, period_start, period_end, 'ALL',
        count(DISTINCT incident_id) FILTER (WHERE diverted), count(DISTINCT incident_id)
    FROM events
    GROUP BY ALL
)
SELECT grain, period_start, period_end, unit, 'ALL' AS dimension, 'ALL' AS dimension_value,
    numerator, denominator
FROM counted;
