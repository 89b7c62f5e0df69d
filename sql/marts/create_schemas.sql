-- Layers the metrics build writes: staging (the program configuration sits
-- beside the typed inputs), marts (one row per thing an analyst asks about)
-- and metrics (metric_values and metric_definitions, and the builds' own
-- bookkeeping, kept out of the analysts' marts):
--   metrics.build_state    one row per stage (marts, metric_values): how it was last built,
--                          which its next build reads to decide full or incremental
--                          (pipeline/marts.py, pipeline/metrics/compute.py);
--   metrics.changed_dates  the local dates each incremental marts build changed rows on: the
--                          days and periods metric_values has to recompute.
CREATE SCHEMA IF NOT EXISTS staging;
CREATE SCHEMA IF NOT EXISTS marts;
CREATE SCHEMA IF NOT EXISTS metrics;

CREATE TABLE IF NOT EXISTS metrics.build_state (
    stage VARCHAR NOT NULL,
    config_hash VARCHAR NOT NULL,
    build_seq BIGINT NOT NULL,
    full_build_seq BIGINT NOT NULL,
    marts_build_seq BIGINT NOT NULL,
    mode VARCHAR NOT NULL,
    reason VARCHAR NOT NULL,
    built_at TIMESTAMPTZ NOT NULL,
    incidents_rebuilt BIGINT,
    responses_rebuilt BIGINT,
    days_from DATE,
    days_end DATE,
    days_recomputed BIGINT,
    periods_recomputed BIGINT
);

CREATE TABLE IF NOT EXISTS metrics.changed_dates (
    marts_build_seq BIGINT NOT NULL,
    service_date DATE NOT NULL
);
