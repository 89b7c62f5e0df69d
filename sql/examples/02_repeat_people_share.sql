-- question: Over the last 12 months, what share of HEART's crisis responses involved someone HEART
--   responded to on two or more separate occasions in that time?
-- reading: One row. crisis_responses: responses by Crisis Call Diversion, Community Response and
--   Co-Response (as the responses metric, unit ALL, counts them) received in the 12 months ending
--   on the latest day with data (window_start inclusive, window_end exclusive).
--   responses_with_person_key: those naming a person. people: distinct person keys among them.
--   repeat_people: people seen on at least 2 occasions; repeat_people_responses: their responses;
--   repeat_share = repeat_people_responses / responses_with_person_key. Change min_occasions in
--   params to ask about 3 or more.
-- tables: marts.heart_responses, marts.program_days (the latest day with data)
-- defines: new here, not a published metric: "occasion" and "repeat person". An occasion is one
--   911 call (the CAD incident the response names) or, for a walk-up with no call, the response
--   itself; two units answering one call are one occasion. Care Navigation follow-ups are left
--   out: they follow up a crisis rather than being a new one.
-- caveats: Person keys are pseudonymous and this query returns counts only; never list the keys
--   themselves or join them to anything that names a person. A person the log records under two
--   keys (or none) is not seen as a repeat, so the share is a lower bound. Small counts can
--   identify people: suppress counts below 11 before publishing (as the council reports do).
WITH params AS (
    SELECT 2 AS min_occasions
),
latest AS (
    SELECT max(service_date) AS last_day FROM marts.program_days
),
span AS (
    SELECT (last_day + INTERVAL 1 DAY - INTERVAL 12 MONTH)::DATE AS window_start,
        (last_day + INTERVAL 1 DAY)::DATE AS window_end
    FROM latest
),
responses AS (
    SELECT r.person_key, coalesce(r.cad_incident_id, r.response_id) AS occasion
    FROM marts.heart_responses AS r
    JOIN span AS s ON r.received_date >= s.window_start AND r.received_date < s.window_end
    WHERE r.crisis_response
),
people AS (
    SELECT person_key, count(DISTINCT occasion) AS occasions, count(*) AS responses
    FROM responses
    WHERE person_key IS NOT NULL
    GROUP BY person_key
),
counted AS (
    SELECT
        (SELECT count(*) FROM responses) AS crisis_responses,
        (SELECT count(*) FROM responses WHERE person_key IS NOT NULL) AS responses_with_person_key,
        (SELECT count(*) FROM people) AS people,
        (SELECT count(*) FROM people, params WHERE occasions >= min_occasions) AS repeat_people,
        (SELECT coalesce(sum(responses), 0) FROM people, params WHERE occasions >= min_occasions)::BIGINT
            AS repeat_people_responses
)
SELECT s.window_start, s.window_end, c.crisis_responses, c.responses_with_person_key, c.people,
    c.repeat_people, c.repeat_people_responses,
    round(c.repeat_people_responses / nullif(c.responses_with_person_key, 0), 3) AS repeat_share
FROM counted AS c
CROSS JOIN span AS s;
