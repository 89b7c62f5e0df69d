-- metric_id: outcome_share
-- name: Outcomes of HEART responses
-- kind: rate
-- value_unit: share
-- units: ALL, CCD, CR, COR, CN
-- dimensions: outcome
-- headline_dimension: outcome
-- period_by: the local date HEART received the request
-- definition: How HEART responses ended: resolved on scene, referred, transported, declined,
--   unable to locate. The numerator is the count with that outcome; the value its share. ALL
--   counts the crisis-response units (as the responses metric does).
-- numerator: responses received in the period with this outcome
-- denominator: responses received in the period with an outcome recorded
-- caveats: Responses with no outcome recorded are left out of both; their number is the gap
--   between this denominator and the responses metric. "Resolved on scene" for a phone response
--   means resolved on the call. Every outcome has a row, 0 of n included, for a unit with
--   outcomes recorded in the period.
CREATE OR REPLACE TEMP TABLE metric_result AS
WITH events AS (
    SELECT p.grain, p.period_start, p.period_end, r.unit, r.crisis_response, r.outcome
    FROM marts.heart_responses AS r
    JOIN metric_period_days AS p ON p.day = r.received_date
    WHERE r.outcome IS NOT NULL
),
with_all AS (
    SELECT grain, period_start, period_end, unit, outcome FROM events
    UNION ALL
    SELECT grain, period_start, period_end, 'ALL', outcome FROM events WHERE crisis_response
),
counted AS (
    SELECT grain, period_start, period_end, unit, outcome,
        count(*) AS numerator,
        sum(count(*)) OVER (PARTITION BY grain, period_start, unit) AS denominator
    FROM with_all
    GROUP BY grain, period_start, period_end, unit, outcome
),
-- Zero rows: every outcome, 0 of n, for a unit with outcomes recorded in the period.
every_outcome AS (
    SELECT DISTINCT grain, period_start, period_end, unit, denominator, unnest(outcomes()) AS outcome
    FROM counted
)
SELECT grain, period_start, period_end, unit, 'outcome' AS dimension, outcome AS dimension_value,
    numerator, denominator
FROM counted
UNION ALL
SELECT z.grain, z.period_start, z.period_end, z.unit, 'outcome', z.outcome, 0, z.denominator
FROM every_outcome AS z
ANTI JOIN counted AS c USING (grain, period_start, unit, outcome);
