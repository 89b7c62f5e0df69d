-- The inputs fingerprint(s) metrics.impact_estimates was computed from (pipeline/impact/results.py
-- up_to_date): one value when the table is current. No parameters.
SELECT DISTINCT inputs_fingerprint FROM metrics.impact_estimates;
