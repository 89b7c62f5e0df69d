-- metric_id: people_reached
-- name: People reached
-- kind: count
-- value_unit: people
-- units: ALL, CCD, CR, COR, CN
-- dimensions: ALL
-- headline_dimension: ALL
-- period_by: the local date HEART received the request
-- definition: Distinct people HEART responded to in the period, by the log's pseudonymous person
--   key. ALL counts each person once across every unit, Care Navigation included.
-- numerator: distinct person keys among responses received in the period
-- denominator: none (a count)
-- caveats: Responses with no person key (nobody found, or not recorded) reach nobody countable.
--   Distinct counts do not add up: weekly figures sum to more than the monthly one when people
--   are seen in several weeks.
CREATE OR REPLACE TEMP TABLE metric_result AS
WITH events AS (
    SELECT p.grain, p.period_start, p.period_end, r.unit, r.person_key
    FROM marts.heart_responses AS r
    JOIN metric_period_days AS p ON p.day = r.received_date
    WHERE r.person_key IS NOT NULL
),
counted AS (
    SELECT grain, period_start, period_end, unit, count(DISTINCT person_key) AS people
    FROM events
    GROUP BY ALL
    UNION ALL
    SELECT grain, period_start, period_end, 'ALL', count(DISTINCT person_key)
    FROM events
    GROUP BY ALL
)
SELECT grain, period_start, period_end, unit, 'ALL' AS dimension, 'ALL' AS dimension_value,
    people AS numerator
FROM counted;
