-- `heart impact` (pipeline/cli/impact.py): the estimates as the pipeline last wrote them, one row per
-- outcome x design; figures only, never a record. No parameters.
SELECT outcome, design, scale, estimate, ci_low, ci_high, pretrend_p, placebo_estimate, placebo_ci_low,
       placebo_ci_high, implied_change, heart_answered_in_treated, plausible, verdict, reason, n_units,
       n_treated_units, first_week, last_week
FROM metrics.impact_estimates
ORDER BY design DESC, outcome;   -- staggered_beats first: the main design
