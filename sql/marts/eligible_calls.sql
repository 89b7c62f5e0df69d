-- marts.eligible_calls: the CAD incidents eligible for HEART (marts.cad_incidents
-- with eligible = true), whether HEART answered, and for the unanswered ones
-- the first reason that applies, in this order:
--   outside_service_hours  received outside the hours in force that day;
--   outside_service_area   in hours, but in a beat not served that day;
--   no_team_free           in coverage, but no in-person team was free when the
--                          call came in: every in-person crisis-response unit
--                          with teams on shift that day (capacity in
--                          config/program.toml) had at least as many of its
--                          responses open as it had teams, at the instant the
--                          call was received (vacuously so when no in-person
--                          team is on shift);
--   not_routed             in coverage with a team free, yet no HEART response.
-- A response is open from its dispatch (or from its receipt when it has no
-- dispatch time, as for a walk-up) until it clears: busy_from <= received_at <
-- busy_until in marts.heart_responses; one with no clear time is not counted.
-- Units are compared one by one: three Community Response responses open with
-- two Community Response teams on shift do not make a free Co-Response team
-- busy. teams_busy = the sum over those units of least(open responses, teams),
-- so no_team_free is exactly teams_busy >= teams_on_shift.
-- "Answered" means at least one linked response from a crisis-response unit
-- (Crisis Call Diversion, Community Response, Co-Response).
-- Rows: every eligible incident on a full build; on an incremental one (pipeline/marts.py)
-- only those in TEMP mart_scope_eligible, whose rows are deleted and inserted again.
-- Parameters: $full.
WITH eligible AS (
    SELECT * FROM marts.cad_incidents
    WHERE eligible AND ($full OR incident_id IN (SELECT incident_id FROM mart_scope_eligible))
),
unanswered_in_coverage AS (
    SELECT incident_id, received_at, received_date FROM eligible WHERE heart_responses = 0 AND in_coverage
),
shifts AS (
    -- Each unanswered call in coverage x each in-person crisis-response unit
    -- with teams on shift that day.
    SELECT c.incident_id, c.received_at, upper(trim(pc.unit)) AS unit, pc.teams
    FROM unanswered_in_coverage AS c
    JOIN marts.program_days AS d ON d.service_date = c.received_date
    JOIN staging.program_capacity AS pc ON pc.effective_from = d.capacity_from
    WHERE pc.teams > 0
      AND EXISTS (
          SELECT 1 FROM staging.program_units AS u
          WHERE upper(trim(u.code)) = upper(trim(pc.unit)) AND u.in_person AND u.crisis_response
            AND u.effective_from <= d.service_date
      )
),
open_by_unit AS (
    -- That unit's responses open at the instant the call was received.
    SELECT s.incident_id, s.unit, s.teams, count(r.response_id) AS open_responses
    FROM shifts AS s
    LEFT JOIN marts.heart_responses AS r
        ON r.unit = s.unit AND r.unit_in_person AND r.crisis_response
        AND r.busy_from <= s.received_at AND r.busy_until > s.received_at
    GROUP BY s.incident_id, s.unit, s.teams
),
teams_busy AS (
    SELECT incident_id, sum(least(open_responses, teams))::BIGINT AS teams_busy
    FROM open_by_unit
    GROUP BY incident_id
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
