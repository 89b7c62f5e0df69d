-- The TEMP tables a computation collects into (pipeline/metrics/compute.py):
--   metric_results_all  each metric's rows for the periods computed, as its file gives them;
--   metric_day_rows     the same for the metrics summed by day, one period per local day;
--   metric_kinds        each metric's kind and units (from its header), for _derive.sql;
--   metric_targets      the metric x period pairs being computed, for _derive.sql's zero rows
--                       and for replacing exactly those rows in metric_values.
-- Parameters: $metric_ids, $kinds, $units (one entry per metric, in the same order).
CREATE OR REPLACE TEMP TABLE metric_results_all (
    metric_id VARCHAR NOT NULL,
    grain VARCHAR NOT NULL,
    period_start DATE NOT NULL,
    period_end DATE NOT NULL,
    unit VARCHAR NOT NULL,
    dimension VARCHAR NOT NULL,
    dimension_value VARCHAR NOT NULL,
    numerator DOUBLE,
    denominator DOUBLE,
    value DOUBLE,
    ci_low DOUBLE,
    ci_high DOUBLE
);

CREATE OR REPLACE TEMP TABLE metric_day_rows (
    metric_id VARCHAR NOT NULL,
    day DATE NOT NULL,
    unit VARCHAR NOT NULL,
    dimension VARCHAR NOT NULL,
    dimension_value VARCHAR NOT NULL,
    numerator DOUBLE,
    denominator DOUBLE
);

CREATE OR REPLACE TEMP TABLE metric_kinds AS
SELECT unnest($metric_ids::VARCHAR[]) AS metric_id, unnest($kinds::VARCHAR[]) AS kind,
    unnest($units::VARCHAR[][]) AS units;

CREATE OR REPLACE TEMP TABLE metric_targets (
    metric_id VARCHAR NOT NULL,
    grain VARCHAR NOT NULL,
    period_start DATE NOT NULL,
    period_end DATE NOT NULL
);
