-- Publish the collected rows and the definitions (registered from the metric
-- files' headers by pipeline/metrics/definitions.py as metric_definitions_input).
CREATE OR REPLACE TABLE metrics.metric_values AS
SELECT * FROM metric_results_all
ORDER BY metric_id, grain, period_start, unit, dimension, dimension_value;

CREATE OR REPLACE TABLE metrics.metric_definitions AS
SELECT * FROM metric_definitions_input ORDER BY metric_id;
