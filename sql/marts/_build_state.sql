-- What the last build of the marts was (pipeline/marts.py), kept for the next one:
--   marts.build_state    one row: the hash of what every mart row depends on besides the data
--                        (program configuration, time zone, the marts' SQL; a change means a
--                        full rebuild), the build's sequence number, that of the last full build;
--   marts.changed_dates  the local dates of the rows each incremental build deleted or inserted,
--                        by build: metric_values recomputes the periods holding them
--                        (pipeline/metrics/compute.py). A full build empties it.
-- Parameters: $config_hash, $full, $reason.
CREATE TABLE IF NOT EXISTS marts.build_state (
    config_hash VARCHAR NOT NULL,
    build_seq BIGINT NOT NULL,
    full_build_seq BIGINT NOT NULL,
    mode VARCHAR NOT NULL,
    reason VARCHAR NOT NULL,
    built_at TIMESTAMPTZ NOT NULL,
    incidents_rebuilt BIGINT NOT NULL,
    responses_rebuilt BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS marts.changed_dates (
    build_seq BIGINT NOT NULL,
    service_date DATE NOT NULL
);

CREATE OR REPLACE TEMP TABLE mart_build_state AS
SELECT
    $config_hash AS config_hash,
    coalesce(max(build_seq), 0) + 1 AS build_seq,
    CASE WHEN $full THEN coalesce(max(build_seq), 0) + 1 ELSE max(full_build_seq) END AS full_build_seq,
    CASE WHEN $full THEN 'full' ELSE 'incremental' END AS mode,
    $reason AS reason,
    now() AS built_at,
    CASE WHEN $full THEN (SELECT count(*) FROM marts.cad_incidents)
         ELSE (SELECT count(*) FROM mart_scope_incidents) END AS incidents_rebuilt,
    CASE WHEN $full THEN (SELECT count(*) FROM marts.heart_responses)
         ELSE (SELECT count(*) FROM mart_scope_responses) END AS responses_rebuilt
FROM marts.build_state;

DELETE FROM marts.changed_dates WHERE $full;
INSERT INTO marts.changed_dates
SELECT DISTINCT s.build_seq, d.service_date
FROM mart_changed_dates AS d CROSS JOIN mart_build_state AS s
WHERE NOT $full AND d.service_date IS NOT NULL;

DELETE FROM marts.build_state;
INSERT INTO marts.build_state SELECT * FROM mart_build_state;
DROP TABLE mart_build_state;
