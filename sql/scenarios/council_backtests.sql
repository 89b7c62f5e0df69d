-- The council dashboard's back-tests of the scenario replay (pipeline/reports/council/scenarios.py):
-- shares and errors per test, with the calls behind each (a count, checked against the
-- disclosure threshold before it is printed). No parameters.
SELECT kind, label, period_start, period_end, calls, observed_share, predicted_share, predicted_low,
       predicted_high, error_points, tolerance_points, within_tolerance, inside_interval, routing_share,
       calibration_start, calibration_end, seeds
FROM metrics.scenario_backtests
ORDER BY CASE kind WHEN 'in_sample' THEN 1 WHEN 'out_of_sample' THEN 2 ELSE 3 END, period_start;
