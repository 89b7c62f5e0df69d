-- The eligible-call stream the scenario replay feeds through a scenario (pipeline/scenarios/stream.py):
-- one row per eligible CAD incident received on local dates [$start, $end), in the order received,
-- with where and when it came in (beat, local minute of the week) and what actually happened to it
-- (answered, by which unit, or the unmet reason), which calibration and the back-tests compare with.
-- No identifier, address or narrative: the replay needs none.
-- Parameters: $start, $end (local dates, end exclusive).
SELECT
    epoch(received_at)::DOUBLE AS t,
    received_date,
    (received_iso_weekday - 1) * 1440 + hour(received_local) * 60 + minute(received_local) AS minute_of_week,
    coalesce(beat, '') AS beat,
    coalesce(initial_call_type, '') AS call_type,
    in_service_area,
    in_service_hours,
    in_coverage,
    answered,
    answered_by_ccd,
    answered_by_cr,
    answered_by_cor,
    unmet_reason
FROM marts.eligible_calls
WHERE received_date >= $start AND received_date < $end
ORDER BY received_at, incident_id;
