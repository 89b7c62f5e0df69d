-- Program-to-date headline for the end-of-run summary: the `all` period's
-- ALL-unit, ALL-breakdown rows of a few metrics.
SELECT v.metric_id, d.name, d.kind, v.period_start, v.period_end, v.numerator, v.denominator, v.value
FROM metrics.metric_values AS v
JOIN metrics.metric_definitions AS d USING (metric_id)
WHERE v.grain = 'all' AND v.unit = 'ALL' AND v.dimension = 'ALL'
  AND v.metric_id IN ('eligible_calls', 'responses', 'eligible_answered_rate', 'diversion_rate', 'officer_hours_saved')
ORDER BY list_position(['eligible_calls', 'responses', 'eligible_answered_rate', 'diversion_rate',
                        'officer_hours_saved'], v.metric_id);
