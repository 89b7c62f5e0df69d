-- check: answered_plus_unmet_equals_eligible
-- asset: metrics/metric_values
-- guards: In every period, eligible calls = answered + unmet.
-- blocking: yes
-- One row: how many periods do not balance, and one of them.
WITH headline AS (
    SELECT grain, period_start, metric_id, numerator, denominator
    FROM metrics.metric_values
    WHERE unit = 'ALL' AND dimension = 'ALL'
      AND metric_id IN ('eligible_calls', 'eligible_answered_rate', 'unmet_eligible_calls')
),
unbalanced AS (
    SELECT grain, period_start
    FROM headline
    GROUP BY grain, period_start
    HAVING coalesce(sum(numerator) FILTER (WHERE metric_id = 'eligible_calls'), 0)
        <> coalesce(sum(numerator) FILTER (WHERE metric_id IN ('eligible_answered_rate', 'unmet_eligible_calls')), 0)
)
SELECT count(*) AS failures, any_value(grain || ' ' || period_start) AS example FROM unbalanced;
