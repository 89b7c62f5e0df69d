-- Each metric's plain-language definition, shown beside its figures in every report.
SELECT metric_id, name, kind, value_unit, definition, numerator, denominator, caveats, period_by, sql_file
FROM metrics.metric_definitions;
