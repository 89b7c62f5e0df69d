-- Observed busy times of HEART's crisis-response units, for the scenario replay's service times
-- (pipeline/scenarios/calibrate.py draws from them at random): one row per response linked to an
-- eligible call received on local dates [$start, $end), with its unit, the call's type, and the
-- minutes the team or clinician was committed (marts.heart_responses busy_from -> busy_until:
-- dispatch, or receipt when not dispatched, to clear). Responses with no clear time, or a clear
-- time not after the start, say nothing about how long a call takes and are left out.
-- Parameters: $start, $end (local dates, end exclusive).
SELECT
    unit,
    coalesce(initial_call_type, '') AS call_type,
    epoch(busy_until - busy_from) / 60.0 AS busy_minutes
FROM marts.heart_responses
WHERE crisis_response AND cad_linked AND incident_eligible
  AND busy_until > busy_from
  AND incident_received_date >= $start AND incident_received_date < $end
ORDER BY unit, call_type, busy_minutes;
