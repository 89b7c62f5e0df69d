-- The rows to publish (or to show, for `heart metrics`): what every metric of a kind derives the
-- same way, so that no metric file repeats it:
--   rate          value = numerator / denominator, with the Wilson 95% interval;
--   count, sum    value = numerator;
--   median, p90   the file gives value and interval itself.
-- A count or sum with no events in a period has no row in its results; it gets an explicit zero
-- for every unit the metric reports (metric_kinds.units), for every period it was computed for
-- (metric_targets), so trends show zero weeks instead of gaps. Rates, medians and percentiles
-- with nothing to measure stay absent: they are undefined, not 0.
CREATE OR REPLACE TEMP TABLE metric_results_final AS
WITH computed AS (
    SELECT r.metric_id, r.grain, r.period_start, r.period_end, r.unit, r.dimension, r.dimension_value,
        r.numerator, r.denominator,
        CASE WHEN k.kind = 'rate' THEN r.numerator / r.denominator
             WHEN k.kind IN ('count', 'sum') THEN r.numerator
             ELSE r.value END AS value,
        CASE WHEN k.kind = 'rate' THEN wilson_low(r.numerator, r.denominator) ELSE r.ci_low END AS ci_low,
        CASE WHEN k.kind = 'rate' THEN wilson_high(r.numerator, r.denominator) ELSE r.ci_high END AS ci_high
    FROM metric_results_all AS r
    JOIN metric_kinds AS k USING (metric_id)
),
zeros AS (
    SELECT t.metric_id, t.grain, t.period_start, t.period_end, u.unit, 'ALL' AS dimension,
        'ALL' AS dimension_value, 0::DOUBLE AS numerator, NULL::DOUBLE AS denominator, 0::DOUBLE AS value,
        NULL::DOUBLE AS ci_low, NULL::DOUBLE AS ci_high
    FROM metric_targets AS t
    JOIN metric_kinds AS k USING (metric_id)
    CROSS JOIN (SELECT unnest(units) AS unit, metric_id FROM metric_kinds) AS u
    WHERE u.metric_id = t.metric_id AND k.kind IN ('count', 'sum')
      AND NOT EXISTS (
          SELECT 1 FROM metric_results_all AS r
          WHERE r.metric_id = t.metric_id AND r.grain = t.grain AND r.period_start = t.period_start
            AND r.unit = u.unit AND r.dimension = 'ALL'
      )
)
SELECT * FROM computed
UNION ALL
SELECT * FROM zeros;
