-- CAD incidents and HEART responses received in one week (local date), and how
-- many of them:
--   updated  appear in more than one export (a later export changed them);
--   late     first arrived in an export dated after the week's own export
--            ($cad_export / $heart_export from weekly_files.sql; NULL when the
--            week has no export yet, and then nothing counts as late);
--   unlinked (HEART crisis responses) name no CAD incident the warehouse holds.
WITH cad_first AS (
    SELECT incident_id, min(export_as_of) AS first_export FROM staging.cad_rows GROUP BY incident_id
),
cad AS (
    SELECT 'CAD incidents' AS records, count(*) AS received,
        count(*) FILTER (WHERE i.exports_seen > 1) AS updated,
        count(*) FILTER (WHERE f.first_export > $cad_export) AS late,
        NULL::BIGINT AS unlinked
    FROM marts.cad_incidents AS i
    JOIN cad_first AS f USING (incident_id)
    WHERE i.received_date >= $week_start AND i.received_date < $week_start + INTERVAL 7 DAY
),
heart_first AS (
    SELECT response_id, min(export_as_of) AS first_export, count(DISTINCT file_id) AS exports_seen
    FROM staging.heart_rows GROUP BY response_id
),
heart AS (
    SELECT 'HEART responses' AS records, count(*) AS received,
        count(*) FILTER (WHERE f.exports_seen > 1) AS updated,
        count(*) FILTER (WHERE f.first_export > $heart_export) AS late,
        count(*) FILTER (WHERE NOT r.cad_linked AND r.crisis_response) AS unlinked
    FROM marts.heart_responses AS r
    JOIN heart_first AS f USING (response_id)
    WHERE r.received_date >= $week_start AND r.received_date < $week_start + INTERVAL 7 DAY
)
SELECT * FROM cad
UNION ALL
SELECT * FROM heart;
