-- The table every metric's rows are collected into before publishing.
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
