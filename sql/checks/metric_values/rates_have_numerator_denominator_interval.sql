-- check: rates_have_numerator_denominator_interval
-- asset: metrics/metric_values
-- guards: Every rate has numerator <= denominator and a Wilson interval around it.
-- blocking: yes
-- One row: how many rate rows fail, and one of them.
WITH rate_rows AS (
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
)
SELECT count(*) AS failures,
    any_value(metric_id || ' ' || grain || ' ' || period_start || ' ' || unit || ' ' || dimension_value) AS example
FROM bad_rates;
