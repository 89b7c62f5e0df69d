-- marts.response_times: minutes from the CAD call being received to the first
-- arrival on scene, one row per incident and responder:
--   responder = CR / COR  first arrival of that HEART in-person unit (linked
--                         responses; Crisis Call Diversion does not travel);
--   responder = POLICE    first police arrival on an eligible call that HEART
--                         did not answer: the comparison for the same call types.
-- Rows: every incident on a full build; on an incremental one (pipeline/marts.py)
-- only those in TEMP mart_scope_times, whose rows are deleted and inserted again.
-- Parameters: $full.
SELECT
    r.cad_incident_id AS incident_id,
    r.incident_received_date AS received_date,
    r.initial_call_type,
    r.unit AS responder,
    min(r.response_minutes) AS minutes
FROM marts.heart_responses AS r
WHERE r.crisis_response AND r.unit_in_person AND r.response_minutes IS NOT NULL
  AND ($full OR r.cad_incident_id IN (SELECT incident_id FROM mart_scope_times))
GROUP BY ALL
UNION ALL
SELECT
    incident_id,
    received_date,
    initial_call_type,
    'POLICE' AS responder,
    epoch(first_police_arrived_at - received_at) / 60.0 AS minutes
FROM marts.eligible_calls
WHERE NOT answered AND first_police_arrived_at IS NOT NULL
  AND ($full OR incident_id IN (SELECT incident_id FROM mart_scope_times));
