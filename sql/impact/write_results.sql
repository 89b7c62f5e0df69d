-- The impact estimates and their event studies (pipeline/impact/results.py), rebuilt whole on every
-- estimation from the frames it hands over (registered as impact_estimates_frame and
-- impact_event_study_frame). Types are cast here so an empty run gives the same tables.
-- Column meanings: sql/catalog/metrics.sql. No parameters.
CREATE SCHEMA IF NOT EXISTS metrics;

CREATE OR REPLACE TABLE metrics.impact_estimates AS
SELECT
    outcome::VARCHAR AS outcome,
    design::VARCHAR AS design,
    scale::VARCHAR AS scale,
    estimator::VARCHAR AS estimator,
    estimate::DOUBLE AS estimate,
    ci_low::DOUBLE AS ci_low,
    ci_high::DOUBLE AS ci_high,
    estimate_level::DOUBLE AS estimate_level,
    counterfactual_level::DOUBLE AS counterfactual_level,
    pretrend_p::DOUBLE AS pretrend_p,
    placebo_estimate::DOUBLE AS placebo_estimate,
    placebo_ci_low::DOUBLE AS placebo_ci_low,
    placebo_ci_high::DOUBLE AS placebo_ci_high,
    implied_change::DOUBLE AS implied_change,
    heart_answered_in_treated::DOUBLE AS heart_answered_in_treated,
    plausible::BOOLEAN AS plausible,
    verdict::VARCHAR AS verdict,
    reason::VARCHAR AS reason,
    n_units::INTEGER AS n_units,
    n_treated_units::INTEGER AS n_treated_units,
    first_week::DATE AS first_week,
    last_week::DATE AS last_week,
    inputs_fingerprint::VARCHAR AS inputs_fingerprint
FROM impact_estimates_frame;

CREATE OR REPLACE TABLE metrics.impact_event_study AS
SELECT
    outcome::VARCHAR AS outcome,
    design::VARCHAR AS design,
    event_time::INTEGER AS event_time,
    estimate::DOUBLE AS estimate,
    ci_low::DOUBLE AS ci_low,
    ci_high::DOUBLE AS ci_high,
    n_units::INTEGER AS n_units
FROM impact_event_study_frame;
