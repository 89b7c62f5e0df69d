-- The council dashboard's scenario comparison (pipeline/reports/council/scenarios.py): the
-- projections and inputs of metrics.scenario_results the public page shows — totals, unmet by
-- reason, staff, cost and the assumptions — never utilisation detail or anything finer.
-- No parameters.
SELECT scenario_id, scenario_name, measure, unit, dimension, dimension_value, value, low, high, value_unit,
       assumption, source, period_start, period_end, seeds
FROM metrics.scenario_results
WHERE measure IN ('eligible_calls', 'share_answered', 'answered_per_year', 'unmet', 'staff_needed',
                  'annual_cost_usd', 'cost_per_answered_call_usd', 'hires_per_24_7_post', 'position_cost_usd',
                  'routing_share_in_coverage', 'service_minutes_median', 'after_call_minutes', 'post_hours_per_year')
ORDER BY scenario_id, measure, unit, dimension, dimension_value;
