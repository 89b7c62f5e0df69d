-- The rows computed for a user-chosen window (pipeline.metrics.compute_window orders them for
-- reading).
SELECT metric_id, period_start, period_end, unit, dimension, dimension_value,
    numerator, denominator, value, ci_low, ci_high
FROM metric_results_final;
