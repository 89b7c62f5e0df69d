-- check: every_metric_defined
-- asset: metrics/metric_values
-- guards: Every metric_id in metric_values has a row in metric_definitions.
-- blocking: yes
-- One row: how many metric_ids have no definition, and one of them.
WITH undefined AS (
    SELECT DISTINCT metric_id FROM metrics.metric_values
    WHERE metric_id NOT IN (SELECT metric_id FROM metrics.metric_definitions)
)
SELECT count(*) AS failures, any_value(metric_id) AS example FROM undefined;
