-- Append one metric's rows (the TEMP table metric_result its file built) to
-- metric_results_all, and derive what every metric of a kind derives the same
-- way, so that no metric file repeats it:
--   rate          value = numerator / denominator, with the Wilson 95% interval;
--   count, sum    value = numerator;
--   median, p90   the file gives value and interval itself.
-- Columns a file does not produce (BY NAME) start as NULL.
INSERT INTO metric_results_all BY NAME
SELECT $metric_id AS metric_id, * FROM metric_result;

UPDATE metric_results_all
SET value = numerator / denominator,
    ci_low = wilson_low(numerator, denominator),
    ci_high = wilson_high(numerator, denominator)
WHERE metric_id = $metric_id AND $kind = 'rate';

UPDATE metric_results_all
SET value = numerator
WHERE metric_id = $metric_id AND $kind IN ('count', 'sum');

-- A count or sum with no events in a period has no row in metric_result; it
-- gets an explicit zero for every unit the metric reports, so trends show zero
-- weeks instead of gaps. Rates, medians and percentiles with nothing to
-- measure stay absent: they are undefined, not 0.
INSERT INTO metric_results_all
SELECT $metric_id, p.grain, p.period_start, p.period_end, u.unit, 'ALL', 'ALL', 0, NULL, 0, NULL, NULL
FROM metric_periods AS p
CROSS JOIN (SELECT unnest($units::VARCHAR[]) AS unit) AS u
WHERE $kind IN ('count', 'sum')
  AND NOT EXISTS (
      SELECT 1 FROM metric_result AS r
      WHERE r.grain = p.grain AND r.period_start = p.period_start AND r.unit = u.unit AND r.dimension = 'ALL'
  );
