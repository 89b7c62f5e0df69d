-- marts.eligible_calls: the CAD incidents eligible for HEART (marts.cad_incidents
-- with eligible = true), whether HEART answered, and for the unanswered ones
-- the first reason that applies, in this order:
--   outside_service_hours  received outside the hours in force that day;
--   outside_service_area   in hours, but in a beat not served that day;
--   no_team_free           in coverage, but every in-person team on shift was
--                          committed to another response when the call came in
--                          (busy intervals from marts.heart_responses, against
--                          marts.program_days.in_person_teams);
--   not_routed             in coverage with a team free, yet no HEART response.
-- "Answered" means at least one linked response from a crisis-response unit
-- (Crisis Call Diversion, Community Response, Co-Response).
CREATE OR REPLACE TABLE marts.eligible_calls AS
WITH eligible AS (
    SELECT * FROM marts.cad_incidents WHERE eligible
),
unanswered_in_coverage AS (
    SELECT incident_id, received_at FROM eligible WHERE heart_responses = 0 AND in_coverage
),
teams_busy AS (
    -- Distinct teams committed at the moment the call was received. A response
    -- with no team name counts as its own team.
    SELECT c.incident_id, count(DISTINCT coalesce(r.team, r.response_id)) AS teams_busy
    FROM unanswered_in_coverage AS c
    JOIN marts.heart_responses AS r
        ON r.unit_in_person AND r.crisis_response
        AND r.busy_from <= c.received_at AND r.busy_until > c.received_at
    GROUP BY c.incident_id
)
SELECT
    e.incident_id, e.received_at, e.received_local, e.received_date, e.received_hour, e.received_iso_weekday,
    e.initial_call_type, e.initial_call_type_label, e.priority, e.beat,
    e.in_service_area, e.in_service_hours, e.in_coverage,
    e.heart_responses > 0 AS answered,
    list_contains(e.heart_units, 'CCD') AS answered_by_ccd,
    list_contains(e.heart_units, 'CR') AS answered_by_cr,
    list_contains(e.heart_units, 'COR') AS answered_by_cor,
    e.heart_units,
    d.in_person_teams AS teams_on_shift,
    CASE WHEN e.heart_responses = 0 AND e.in_coverage THEN coalesce(b.teams_busy, 0) END AS teams_busy,
    CASE
        WHEN e.heart_responses > 0 THEN NULL
        WHEN NOT e.in_service_hours THEN 'outside_service_hours'
        WHEN NOT e.in_service_area THEN 'outside_service_area'
        WHEN coalesce(b.teams_busy, 0) >= d.in_person_teams THEN 'no_team_free'
        ELSE 'not_routed'
    END AS unmet_reason,
    e.police_units,
    e.first_police_arrived_at
FROM eligible AS e
LEFT JOIN marts.program_days AS d ON d.service_date = e.received_date
LEFT JOIN teams_busy AS b ON b.incident_id = e.incident_id;
