-- Canonical HEART responses: one row per response id, newest export winning.
-- A response naming a CAD incident not (yet) in the warehouse is kept and
-- flagged unlinked; it links on the run that brings that CAD export.
-- Only the changed responses (staging.changed_responses) are rebuilt, each from all
-- its accepted rows; the responses linked to a changed CAD incident are among them
-- (their rows are checked again, validate/heart_scope.sql). Idempotent.
DELETE FROM staging.heart_responses WHERE response_id IN (SELECT response_id FROM staging.changed_responses);
INSERT INTO staging.heart_responses BY NAME
WITH ranked AS (
    SELECT *,
        count(DISTINCT file_id) OVER (PARTITION BY response_id) AS exports_seen,
        row_number() OVER (
            PARTITION BY response_id
            ORDER BY export_as_of DESC NULLS LAST, load_seq DESC, source_row DESC
        ) AS version_rank
    FROM staging.heart_rows
    WHERE response_id IN (SELECT response_id FROM staging.changed_responses)
)
SELECT
    r.response_id, r.cad_incident_id,
    (i.incident_id IS NOT NULL) AS cad_linked,
    r.unit, r.team, r.received_at, r.dispatched_at, r.arrived_at, r.cleared_at,
    r.contact_mode, r.resolved_without_in_person, r.police_requested, r.felt_safe,
    r.outcome, r.referrals, r.person_key, r.followup_due_at, r.followup_done_at,
    r.profile, r.timezone, r.exports_seen,
    r.file_id AS source_file_id, r.source_file, r.source_row
FROM ranked AS r
LEFT JOIN staging.cad_incidents AS i ON i.incident_id = r.cad_incident_id
WHERE r.version_rank = 1;
