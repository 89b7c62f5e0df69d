-- The rows computed for a user-chosen window, in a stable order.
SELECT metric_id, period_start, period_end, unit, dimension, dimension_value,
    numerator, denominator, value, ci_low, ci_high
FROM metric_results_all
ORDER BY metric_id,
    CASE unit WHEN 'ALL' THEN 0 ELSE 1 END, unit,
    CASE dimension WHEN 'ALL' THEN 0 ELSE 1 END, dimension, dimension_value;
