-- marts.heart_handled_incidents: one row per CAD incident and crisis-response
-- unit that answered it (an incident answered by two units has two rows), with
-- what decides whether the incident was diverted from police:
--   diverted  no police unit appears on the incident in CAD, and no
--             crisis-response unit's response to it requested police
--             (heart_police_requested, from marts.cad_incidents, counts only
--             crisis-response units: a Care Navigation follow-up's request
--             for police is not police involvement in the 911 call).
-- Only responses linked to a CAD incident count: an unlinked response has no
-- CAD record to show whether police went.
-- Rows: every incident on a full build; on an incremental one (pipeline/marts.py)
-- only those in TEMP mart_scope_incidents, whose rows are deleted and inserted again.
-- Parameters: $full.
SELECT DISTINCT
    i.incident_id,
    r.unit,
    i.received_at,
    i.received_date,
    i.initial_call_type,
    i.eligible,
    i.police_units,
    i.heart_police_requested,
    (i.police_units = 0 AND NOT i.heart_police_requested) AS diverted
FROM marts.heart_responses AS r
JOIN marts.cad_incidents AS i ON i.incident_id = r.cad_incident_id
WHERE r.crisis_response AND ($full OR i.incident_id IN (SELECT incident_id FROM mart_scope_incidents));
