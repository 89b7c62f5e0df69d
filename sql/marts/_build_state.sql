-- Record the marts build just done (pipeline/marts.py) in metrics.build_state (stage 'marts'):
-- the hash of what every mart row depends on besides the data (program configuration, time
-- zone, the marts' SQL; a different one next time means a full build), its sequence number and
-- that of the last full build; and, for an incremental build, the local dates of the rows it
-- deleted or inserted in metrics.changed_dates, which a full build empties.
-- Parameters: $config_hash, $full, $reason.
CREATE OR REPLACE TEMP TABLE mart_build_state AS
SELECT
    'marts' AS stage,
    $config_hash AS config_hash,
    coalesce(max(build_seq), 0) + 1 AS build_seq,
    CASE WHEN $full THEN coalesce(max(build_seq), 0) + 1 ELSE max(full_build_seq) END AS full_build_seq,
    coalesce(max(build_seq), 0) + 1 AS marts_build_seq,
    CASE WHEN $full THEN 'full' ELSE 'incremental' END AS mode,
    $reason AS reason,
    now() AS built_at,
    CASE WHEN $full THEN (SELECT count(*) FROM marts.cad_incidents)
         ELSE (SELECT count(*) FROM mart_scope_incidents) END AS incidents_rebuilt,
    CASE WHEN $full THEN (SELECT count(*) FROM marts.heart_responses)
         ELSE (SELECT count(*) FROM mart_scope_responses) END AS responses_rebuilt
FROM metrics.build_state
WHERE stage = 'marts';

DELETE FROM metrics.changed_dates WHERE $full;
INSERT INTO metrics.changed_dates
SELECT DISTINCT s.build_seq, d.service_date
FROM mart_changed_dates AS d CROSS JOIN mart_build_state AS s
WHERE NOT $full AND d.service_date IS NOT NULL;

DELETE FROM metrics.build_state WHERE stage = 'marts';
INSERT INTO metrics.build_state BY NAME SELECT * FROM mart_build_state;
DROP TABLE mart_build_state;
