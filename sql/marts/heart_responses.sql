-- marts.heart_responses: one row per HEART response (latest version), with
-- the unit's role from the configuration, local time, the CAD incident it
-- answered (when linked), and the measures the metrics use:
--   response_minutes  CAD call received -> this response's arrival on scene
--                     (in-person units, linked responses only);
--   busy_from/until   the interval the team was committed: dispatched (or
--                     received, when not dispatched) until cleared;
--   followup_on_time  Care Navigation: follow-up done at or before its due time.
-- The unit code is compared and carried trimmed and upper-case.
-- Rows: every response on a full build; on an incremental one (pipeline/marts.py)
-- only those in TEMP mart_scope_responses, whose rows are deleted and inserted again.
-- Parameters: $tz, $full.
SELECT
    r.response_id,
    r.cad_incident_id,
    r.cad_linked,
    upper(trim(r.unit)) AS unit,
    u.name AS unit_name,
    coalesce(u.in_person, false) AS unit_in_person,
    coalesce(u.crisis_response, false) AS crisis_response,
    r.team,
    r.received_at,
    timezone($tz, r.received_at) AS received_local,
    timezone($tz, r.received_at)::DATE AS received_date,
    hour(timezone($tz, r.received_at)) AS received_hour,
    r.dispatched_at, r.arrived_at, r.cleared_at,
    r.contact_mode,
    r.resolved_without_in_person,
    r.police_requested,
    r.felt_safe,
    r.outcome,
    r.person_key,
    r.followup_due_at,
    timezone($tz, r.followup_due_at)::DATE AS followup_due_date,
    r.followup_done_at,
    (r.followup_done_at IS NOT NULL AND r.followup_done_at <= r.followup_due_at) AS followup_on_time,
    i.received_at AS incident_received_at,
    i.received_date AS incident_received_date,
    i.units_assigned AS incident_units_assigned,
    i.heart_in_person_responses AS incident_heart_in_person_responses,
    i.initial_call_type,
    i.beat,
    i.eligible AS incident_eligible,
    i.in_coverage AS incident_in_coverage,
    CASE WHEN u.in_person AND i.received_at IS NOT NULL AND r.arrived_at IS NOT NULL
         THEN epoch(r.arrived_at - i.received_at) / 60.0
    END AS response_minutes,
    coalesce(r.dispatched_at, r.received_at) AS busy_from,
    r.cleared_at AS busy_until,
    r.source_file
FROM staging.heart_responses AS r
LEFT JOIN staging.program_units AS u ON upper(trim(u.code)) = upper(trim(r.unit))
LEFT JOIN marts.cad_incidents AS i ON i.incident_id = r.cad_incident_id
WHERE $full OR r.response_id IN (SELECT response_id FROM mart_scope_responses);
