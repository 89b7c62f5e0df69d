-- The eligible calls an incremental build rebuilds (pipeline/marts.py), once marts.heart_responses
-- is rebuilt and before marts.eligible_calls is: the incidents rebuilt, and every call left
-- unanswered in coverage that was received while a rebuilt response was open, as it was or as it
-- is (mart_busy_changes): whether a team was free for it may have changed. The other calls'
-- rows in marts.eligible_calls are read as they stand: nothing about them changed.
INSERT INTO mart_scope_eligible
SELECT incident_id FROM mart_scope_incidents
UNION
SELECT e.incident_id
FROM marts.eligible_calls AS e
JOIN mart_busy_changes AS b ON b.busy_from <= e.received_at AND b.busy_until > e.received_at
WHERE NOT e.answered AND e.in_coverage;
