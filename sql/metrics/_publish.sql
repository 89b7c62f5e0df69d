-- Publish the rows computed (metric_results_final): the rows of every metric x period computed
-- (metric_targets) and of every period that is no longer a standard period go, the new ones come
-- in. A full build starts from no table (pipeline/metrics/compute.py drops it), so every row is
-- new. The definitions (registered from the metric files' headers by
-- pipeline/metrics/definitions.py as metric_definitions_input) are replaced whole.
CREATE TABLE IF NOT EXISTS metrics.metric_values AS SELECT * FROM metric_results_final LIMIT 0;

DELETE FROM metrics.metric_values
WHERE EXISTS (
        SELECT 1 FROM metric_targets AS t
        WHERE t.metric_id = metric_values.metric_id AND t.grain = metric_values.grain
          AND t.period_start = metric_values.period_start)
   OR NOT EXISTS (
        SELECT 1 FROM standard_periods AS p
        WHERE p.grain = metric_values.grain AND p.period_start = metric_values.period_start
          AND p.period_end = metric_values.period_end);

INSERT INTO metrics.metric_values
SELECT * FROM metric_results_final
ORDER BY metric_id, grain, period_start, unit, dimension, dimension_value;

CREATE OR REPLACE TABLE metrics.metric_definitions AS
SELECT * FROM metric_definitions_input ORDER BY metric_id;
