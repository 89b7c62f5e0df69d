-- metric_id: unmet_eligible_calls
-- name: Eligible calls HEART did not answer, by reason
-- kind: count
-- value_unit: calls
-- units: ALL
-- dimensions: ALL, reason, hour_of_day, reason+hour_of_day
-- headline_dimension: ALL, reason
-- period_by: the local date the 911 call was received
-- definition: Eligible calls with no HEART crisis response, each given the first reason that
--   applies: outside_service_hours (received outside the hours in force that day),
--   outside_service_area (in hours, in a beat not served that day), no_team_free (in coverage,
--   but no in-person team was free: every in-person crisis-response unit with teams on shift
--   that day had at least as many of its own responses open as it had teams, at the instant
--   the call was received), not_routed (in coverage with a team free, yet HEART was not sent).
--   Units are taken one by one, so Community Response responses beyond its own teams never make
--   a free Co-Response team busy.
-- numerator: eligible CAD incidents received in the period with no linked HEART crisis response
-- denominator: none (a count; eligible_calls is the total it is part of)
-- caveats: A response is open from its dispatch (or its receipt when it has no dispatch time, as
--   for a walk-up) until it clears, as the HEART log records it (start inclusive, clear
--   exclusive; one with no clear time is not counted open);
--   travel back and paperwork after clearing are not seen, so no_team_free is a lower bound and
--   not_routed an upper bound. Teams on shift come from the capacity in config/program.toml, not
--   from rosters. A Crisis Call Diversion clinician could sometimes have taken a no_team_free call
--   by phone. Every reason has a row (0 when no call had it) in a period with unmet calls, and
--   in reason+hour_of_day at each hour with unmet calls.
CREATE OR REPLACE TEMP TABLE metric_result AS
WITH events AS (
    SELECT p.grain, p.period_start, p.period_end, e.*
    FROM marts.eligible_calls AS e
    JOIN metric_period_days AS p ON p.day = e.received_date
    WHERE NOT e.answered
),
broken_down AS (
    SELECT grain, period_start, period_end, unnest([
        {'dimension': 'ALL', 'dimension_value': 'ALL'},
        {'dimension': 'reason', 'dimension_value': unmet_reason},
        {'dimension': 'hour_of_day', 'dimension_value': hour_label(received_hour)},
        {'dimension': 'reason+hour_of_day', 'dimension_value': unmet_reason || '|' || hour_label(received_hour)}
    ], recursive := true)
    FROM events
),
counted AS (
    SELECT grain, period_start, period_end, dimension, dimension_value, count(*) AS numerator
    FROM broken_down
    GROUP BY ALL
),
-- Zero rows: every reason in a period with unmet calls, and every reason at
-- each hour with unmet calls.
every_reason AS (
    SELECT DISTINCT grain, period_start, period_end, 'reason' AS dimension, unnest(unmet_reasons()) AS dimension_value
    FROM events
    UNION
    SELECT DISTINCT grain, period_start, period_end, 'reason+hour_of_day',
        unnest(unmet_reasons()) || '|' || hour_label(received_hour)
    FROM events
)
SELECT grain, period_start, period_end, 'ALL' AS unit, dimension, dimension_value, numerator
FROM counted
UNION ALL
SELECT z.grain, z.period_start, z.period_end, 'ALL', z.dimension, z.dimension_value, 0
FROM every_reason AS z
ANTI JOIN counted AS c USING (grain, period_start, dimension, dimension_value);
