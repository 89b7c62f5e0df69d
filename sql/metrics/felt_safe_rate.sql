-- metric_id: felt_safe_rate
-- name: Responders felt safe
-- kind: rate
-- value_unit: share
-- units: ALL, CR, COR, CN
-- dimensions: ALL
-- headline_dimension: ALL
-- period_by: the local date HEART received the request
-- definition: Of the in-person responses where responders answered the safety question, the share
--   where they said they felt safe.
-- numerator: in-person responses received in the period with felt safe = yes
-- denominator: in-person responses received in the period with the felt-safe question answered
--   (yes or no)
-- caveats: Responses where the question was left blank are excluded, not counted as safe; the
--   share left blank is the gap between this denominator and in-person responses. ALL includes
--   in-person Care Navigation visits.
CREATE OR REPLACE TEMP TABLE metric_result AS
WITH events AS (
    SELECT p.grain, p.period_start, p.period_end, r.unit, r.felt_safe
    FROM marts.heart_responses AS r
    JOIN metric_period_days AS p ON p.day = r.received_date
    WHERE r.contact_mode = 'in_person' AND r.felt_safe IS NOT NULL
),
counted AS (
    SELECT grain, period_start, period_end, unit,
        count(*) FILTER (WHERE felt_safe) AS numerator, count(*) AS denominator
    FROM events
    GROUP BY ALL
    UNION ALL
    SELECT grain, period_start, period_end, 'ALL',
        count(*) FILTER (WHERE felt_safe), count(*)
    FROM events
    GROUP BY ALL
)
SELECT grain, period_start, period_end, unit, 'ALL' AS dimension, 'ALL' AS dimension_value,
    numerator, denominator
FROM counted;
