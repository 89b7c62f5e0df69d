-- Checks on metrics.metric_values, one row per check: name, failing rows, an
-- example of a failing row. Run as Dagster asset checks after every build.
WITH keyed AS (
    SELECT metric_id, grain, period_start, unit, dimension, dimension_value, count(*) AS copies
    FROM metrics.metric_values
    GROUP BY ALL
    HAVING count(*) > 1
),
rate_rows AS (
    SELECT v.*
    FROM metrics.metric_values AS v
    JOIN metrics.metric_definitions AS d USING (metric_id)
    WHERE d.kind = 'rate'
),
bad_rates AS (
    SELECT * FROM rate_rows
    WHERE numerator IS NULL OR denominator IS NULL OR ci_low IS NULL OR ci_high IS NULL
       OR denominator <= 0 OR numerator < 0 OR numerator > denominator
       OR NOT (ci_low <= value AND value <= ci_high)
),
headline AS (
    SELECT grain, period_start, metric_id, numerator, denominator
    FROM metrics.metric_values
    WHERE unit = 'ALL' AND dimension = 'ALL'
      AND metric_id IN ('eligible_calls', 'eligible_answered_rate', 'unmet_eligible_calls')
),
-- Every eligible call is either answered or unmet, in every period.
unbalanced AS (
    SELECT grain, period_start
    FROM headline
    GROUP BY grain, period_start
    HAVING coalesce(sum(numerator) FILTER (WHERE metric_id = 'eligible_calls'), 0)
        <> coalesce(sum(numerator) FILTER (WHERE metric_id IN ('eligible_answered_rate', 'unmet_eligible_calls')), 0)
),
undefined AS (
    SELECT DISTINCT metric_id FROM metrics.metric_values
    WHERE metric_id NOT IN (SELECT metric_id FROM metrics.metric_definitions)
)
SELECT 'one_row_per_metric_period_breakdown' AS check_name, count(*) AS failures,
    any_value(metric_id || ' ' || grain || ' ' || period_start || ' ' || unit || ' ' || dimension_value) AS example
FROM keyed
UNION ALL
SELECT 'rates_have_numerator_denominator_interval', count(*),
    any_value(metric_id || ' ' || grain || ' ' || period_start || ' ' || unit || ' ' || dimension_value)
FROM bad_rates
UNION ALL
SELECT 'answered_plus_unmet_equals_eligible', count(*), any_value(grain || ' ' || period_start) FROM unbalanced
UNION ALL
SELECT 'every_metric_defined', count(*), any_value(metric_id) FROM undefined;
