-- The council dashboard's "Is it working?" section (pipeline/reports/council/impact.py): one row per
-- outcome and design from the impact estimates, with its interval, pre-trend test, placebo and the
-- plausibility check against the calls HEART answered (a count of calls: checked against the
-- disclosure threshold before it is printed). No parameters.
SELECT outcome, design, estimator, estimate, ci_low, ci_high, pretrend_p, placebo_estimate, placebo_ci_low,
       placebo_ci_high, implied_change, heart_answered_in_treated, plausible, verdict, reason, n_units,
       n_treated_units, first_week, last_week
FROM metrics.impact_estimates
ORDER BY outcome, design;
