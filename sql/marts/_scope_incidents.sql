-- The incidents and responses an incremental build rebuilds (pipeline/marts.py), from what the
-- validate stage's run changed (staging.changed_incidents, staging.changed_responses):
--   incidents  the changed ones, and the incidents a changed response names, before (in
--              marts.heart_responses) and after (in staging): an incident's row counts the
--              responses that answered it;
--   responses  the changed ones, and every response naming an incident above: a response's
--              row carries its incident's time, call type and coverage.
INSERT INTO mart_scope_incidents
SELECT incident_id FROM staging.changed_incidents WHERE incident_id IS NOT NULL
UNION
SELECT cad_incident_id FROM staging.heart_responses
WHERE response_id IN (SELECT response_id FROM staging.changed_responses) AND cad_incident_id IS NOT NULL
UNION
SELECT cad_incident_id FROM marts.heart_responses
WHERE response_id IN (SELECT response_id FROM staging.changed_responses) AND cad_incident_id IS NOT NULL;

INSERT INTO mart_scope_responses
SELECT response_id FROM staging.changed_responses WHERE response_id IS NOT NULL
UNION
SELECT response_id FROM staging.heart_responses WHERE cad_incident_id IN (SELECT incident_id FROM mart_scope_incidents)
UNION
SELECT response_id FROM marts.heart_responses WHERE cad_incident_id IN (SELECT incident_id FROM mart_scope_incidents);
