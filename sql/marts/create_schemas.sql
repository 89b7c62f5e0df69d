-- Layers above staging: marts (one row per thing an analyst asks about) and
-- metrics (metric_values and metric_definitions).
CREATE SCHEMA IF NOT EXISTS marts;
CREATE SCHEMA IF NOT EXISTS metrics;
