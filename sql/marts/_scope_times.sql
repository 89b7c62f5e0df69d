-- The incidents whose response times an incremental build rebuilds (pipeline/marts.py): those
-- rebuilt in marts.cad_incidents (HEART arrivals) and in marts.eligible_calls (police arrivals on
-- calls HEART did not answer).
INSERT INTO mart_scope_times
SELECT incident_id FROM mart_scope_incidents
UNION
SELECT incident_id FROM mart_scope_eligible;
