-- The expansion scenarios' results and back-tests (pipeline/scenarios/results.py), rebuilt whole
-- on every run from the frames the replay hands over (registered as scenario_results_frame and
-- scenario_backtests_frame). Types are cast here so an empty run still gives the same tables.
-- Column meanings: sql/catalog/metrics.sql. No parameters.
CREATE OR REPLACE TABLE metrics.scenario_results AS
SELECT
    scenario_id::VARCHAR AS scenario_id,
    scenario_name::VARCHAR AS scenario_name,
    measure::VARCHAR AS measure,
    unit::VARCHAR AS unit,
    dimension::VARCHAR AS dimension,
    dimension_value::VARCHAR AS dimension_value,
    value::DOUBLE AS value,
    low::DOUBLE AS low,
    high::DOUBLE AS high,
    value_unit::VARCHAR AS value_unit,
    assumption::BOOLEAN AS assumption,
    source::VARCHAR AS source,
    period_start::DATE AS period_start,
    period_end::DATE AS period_end,
    seeds::INTEGER AS seeds
FROM scenario_results_frame;

CREATE OR REPLACE TABLE metrics.scenario_backtests AS
SELECT
    kind::VARCHAR AS kind,
    label::VARCHAR AS label,
    period_start::DATE AS period_start,
    period_end::DATE AS period_end,
    calls::BIGINT AS calls,
    observed_share::DOUBLE AS observed_share,
    predicted_share::DOUBLE AS predicted_share,
    predicted_low::DOUBLE AS predicted_low,
    predicted_high::DOUBLE AS predicted_high,
    error_points::DOUBLE AS error_points,
    tolerance_points::DOUBLE AS tolerance_points,
    within_tolerance::BOOLEAN AS within_tolerance,
    inside_interval::BOOLEAN AS inside_interval,
    routing_share::DOUBLE AS routing_share,
    calibration_start::DATE AS calibration_start,
    calibration_end::DATE AS calibration_end,
    seeds::INTEGER AS seeds,
    "interval"::VARCHAR AS interval_kind
FROM scenario_backtests_frame;
