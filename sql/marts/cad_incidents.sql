-- marts.cad_incidents: one row per CAD incident (its latest version, from
-- staging.cad_incidents), with local time, what the program had in force for
-- it, and summaries of the units sent and the HEART responses that answered it.
--   eligible          initial call type on the eligible list in force on the
--                     local date received (marts.program_days);
--   in_service_area   beat served that day (every beat once citywide);
--   in_service_hours  local time received within that day's hours, [start, end);
--   in_coverage       in_service_area and in_service_hours.
-- Coverage flags describe the call's place and time whatever its type; the
-- metrics ask them of eligible calls only.
-- HEART answers are taken from the HEART log (responses linked by incident
-- number), counting only units the configuration marks crisis_response.
-- Codes (call types, beats, units) are compared trimmed and upper-case on both
-- sides, as the profiles' lookups read them: a call written `welfck` is the
-- eligible WELFCK. The mart carries the call types and beat in that form, so
-- every breakdown spells a code one way.
-- Rows: every incident on a full build; on an incremental one (pipeline/marts.py)
-- only those in TEMP mart_scope_incidents, whose rows are deleted and inserted again.
-- Parameters: $tz, $full.
WITH units AS (
    SELECT
        incident_id,
        count(*) AS units_assigned,
        count(*) FILTER (WHERE discipline = 'police') AS police_units,
        count(*) FILTER (WHERE discipline IN ('fire', 'ems')) AS fire_ems_units,
        min(dispatched_at) FILTER (WHERE discipline = 'police') AS first_police_dispatched_at,
        min(arrived_at) FILTER (WHERE discipline = 'police') AS first_police_arrived_at,
        -- Officer time on the call: each police unit from dispatch to clear.
        -- NULL when any police unit lacks either time, so an average is not
        -- pulled down by half-recorded assignments.
        CASE WHEN bool_and(dispatched_at IS NOT NULL AND cleared_at IS NOT NULL) FILTER (WHERE discipline = 'police')
             THEN sum(epoch(cleared_at - dispatched_at)) FILTER (WHERE discipline = 'police') / 3600.0
        END AS police_unit_hours
    FROM staging.cad_unit_assignments
    WHERE $full OR incident_id IN (SELECT incident_id FROM mart_scope_incidents)
    GROUP BY incident_id
),
heart AS (
    SELECT
        r.cad_incident_id AS incident_id,
        count(*) AS heart_responses,
        count(*) FILTER (WHERE u.in_person) AS heart_in_person_responses,
        list_sort(list_distinct(list(upper(trim(r.unit))))) AS heart_units,
        bool_or(coalesce(r.police_requested, false)) AS heart_police_requested,
        min(r.received_at) AS first_heart_received_at,
        min(r.arrived_at) FILTER (WHERE u.in_person) AS first_heart_arrived_at
    FROM staging.heart_responses AS r
    JOIN staging.program_units AS u ON upper(trim(u.code)) = upper(trim(r.unit))
    WHERE r.cad_linked AND u.crisis_response
      AND ($full OR r.cad_incident_id IN (SELECT incident_id FROM mart_scope_incidents))
    GROUP BY r.cad_incident_id
),
located AS (
    SELECT i.* REPLACE (
            upper(trim(i.initial_call_type)) AS initial_call_type,
            upper(trim(i.final_call_type)) AS final_call_type,
            upper(trim(i.beat)) AS beat),
        timezone($tz, i.received_at) AS received_local
    FROM staging.cad_incidents AS i
    WHERE $full OR i.incident_id IN (SELECT incident_id FROM mart_scope_incidents)
),
placed AS (
SELECT
    i.incident_id,
    i.received_at,
    i.received_local,
    i.received_local::DATE AS received_date,
    hour(i.received_local) AS received_hour,
    isodow(i.received_local) AS received_iso_weekday,
    i.initial_call_type, i.initial_call_type_label, i.final_call_type, i.final_call_type_label,
    i.priority, i.beat, i.disposition, i.disposition_label,
    (e.call_type IS NOT NULL) AS eligible,
    (d.service_date IS NOT NULL AND (d.citywide OR a.beat IS NOT NULL)) AS in_service_area,
    (d.service_start IS NOT NULL
        AND i.received_local::TIME >= d.service_start AND i.received_local::TIME < d.service_end) AS in_service_hours,
    coalesce(u.units_assigned, 0) AS units_assigned,
    coalesce(u.police_units, 0) AS police_units,
    coalesce(u.fire_ems_units, 0) AS fire_ems_units,
    u.first_police_dispatched_at,
    u.first_police_arrived_at,
    u.police_unit_hours,
    coalesce(h.heart_responses, 0) AS heart_responses,
    coalesce(h.heart_in_person_responses, 0) AS heart_in_person_responses,
    coalesce(h.heart_units, []) AS heart_units,
    coalesce(h.heart_police_requested, false) AS heart_police_requested,
    h.first_heart_received_at,
    h.first_heart_arrived_at,
    i.exports_seen,
    i.source_file
FROM located AS i
LEFT JOIN marts.program_days AS d ON d.service_date = i.received_local::DATE
LEFT JOIN staging.program_eligible_call_types AS e
    ON e.effective_from = d.eligible_from AND upper(trim(e.call_type)) = i.initial_call_type
LEFT JOIN staging.program_service_area AS a
    ON a.effective_from = d.area_from AND upper(trim(a.beat)) = i.beat
LEFT JOIN units AS u ON u.incident_id = i.incident_id
LEFT JOIN heart AS h ON h.incident_id = i.incident_id
)
SELECT *, in_service_area AND in_service_hours AS in_coverage
FROM placed;
