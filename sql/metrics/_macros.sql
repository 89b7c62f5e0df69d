-- Macros shared by the metric files. TEMP, so they also work on a read-only
-- connection (`heart metrics` computes any window without writing).

-- Wilson score interval, 95% (z = 1.96), for k successes out of n.
-- Chosen over the normal approximation because it stays inside [0, 1] and
-- behaves for the small weekly counts of a small program.
-- At k = 0 the lower bound is exactly 0 and at k = n the upper bound exactly 1;
-- they are set so, because the formula leaves floating-point residue there
-- (1e-17 above a rate of 0 would put the rate outside its own interval).
CREATE OR REPLACE TEMP MACRO wilson_low(k, n) AS
    CASE
        WHEN n <= 0 THEN NULL
        WHEN k <= 0 THEN 0.0
        ELSE ((k / n) + 1.96 ^ 2 / (2 * n) - 1.96 * sqrt((k / n) * (1 - k / n) / n + 1.96 ^ 2 / (4 * n ^ 2)))
             / (1 + 1.96 ^ 2 / n)
    END;

CREATE OR REPLACE TEMP MACRO wilson_high(k, n) AS
    CASE
        WHEN n <= 0 THEN NULL
        WHEN k >= n THEN 1.0
        ELSE ((k / n) + 1.96 ^ 2 / (2 * n) + 1.96 * sqrt((k / n) * (1 - k / n) / n + 1.96 ^ 2 / (4 * n ^ 2)))
             / (1 + 1.96 ^ 2 / n)
    END;

-- Distribution-free 95% interval for the p-quantile of a sample: the order
-- statistics at ranks n*p -/+ 1.96*sqrt(n*p*(1-p)), rounded outward (the lower
-- rank down, the upper rank up, plus one), clamped to [1, n]. `xs` is the list
-- of observations; it is sorted here.
CREATE OR REPLACE TEMP MACRO quantile_ci_low(xs, p) AS
    list_sort(xs)[greatest(1, floor(len(xs) * p - 1.96 * sqrt(len(xs) * p * (1 - p))))::BIGINT];

CREATE OR REPLACE TEMP MACRO quantile_ci_high(xs, p) AS
    list_sort(xs)[least(len(xs), ceil(len(xs) * p + 1.96 * sqrt(len(xs) * p * (1 - p))) + 1)::BIGINT];

-- Dimension labels, so every metric spells a breakdown value the same way.
CREATE OR REPLACE TEMP MACRO hour_label(h) AS lpad(h::VARCHAR, 2, '0');
CREATE OR REPLACE TEMP MACRO weekday_label(iso) AS ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'][iso];
CREATE OR REPLACE TEMP MACRO value_label(v) AS coalesce(v::VARCHAR, 'unknown');

-- The fixed value lists of the categorical breakdowns. A breakdown over one of
-- these lists has a row for every value, 0 included, whenever its denominator
-- (the period's total it splits, for the unit) is not zero. The lists match
-- pipeline/ingest/contract.py (CONTACT_MODES, OUTCOMES) and marts.eligible_calls
-- (unmet_reason, in the order the reasons are tried); a test keeps them in step.
CREATE OR REPLACE TEMP MACRO unmet_reasons() AS
    ['outside_service_hours', 'outside_service_area', 'no_team_free', 'not_routed'];
CREATE OR REPLACE TEMP MACRO contact_modes() AS ['in_person', 'phone', 'none'];
CREATE OR REPLACE TEMP MACRO outcomes() AS
    ['resolved_on_scene', 'referred', 'transported', 'declined', 'unable_to_locate'];
