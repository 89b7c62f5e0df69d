-- Layers the metrics build writes: staging (the program configuration sits
-- beside the typed inputs), marts (one row per thing an analyst asks about)
-- and metrics (metric_values and metric_definitions).
CREATE SCHEMA IF NOT EXISTS staging;
CREATE SCHEMA IF NOT EXISTS marts;
CREATE SCHEMA IF NOT EXISTS metrics;
