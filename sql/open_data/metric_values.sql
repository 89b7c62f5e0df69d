-- exports/metric_values: the metrics.metric_values rows at the public grains ($grains:
-- month, fiscal_year, all), with each metric's kind from metrics.metric_definitions.
-- One row per metric x period x unit x breakdown, as in metric_values (docs/metrics.md).
-- pipeline/open_data/ keeps only the public breakdowns (PUBLIC_BREAKDOWNS there) and
-- suppresses small counts before anything is written to the open-data folder.
SELECT
    v.metric_id, v.grain, v.period_start, v.period_end, v.unit, v.dimension, v.dimension_value,
    v.numerator, v.denominator, v.value, v.ci_low, v.ci_high, d.kind
FROM metrics.metric_values AS v
JOIN metrics.metric_definitions AS d USING (metric_id)
WHERE list_contains($grains, v.grain)
ORDER BY v.metric_id, v.grain, v.period_start, v.unit, v.dimension, v.dimension_value;
