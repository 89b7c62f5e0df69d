-- Care Navigation follow-ups pending at the data's end: due (local date) after
-- the last day with data (marts.program_days). They are in no period's
-- care_nav_followup_48h_rate until the data reaches the day they fall due
-- (the same rule as sql/metrics/care_nav_followup_48h_rate.sql).
SELECT count(*) AS pending, min(r.followup_due_date) AS first_due
FROM marts.heart_responses AS r
WHERE r.unit = 'CN' AND r.followup_due_at IS NOT NULL
  AND r.followup_due_date > (SELECT max(service_date) FROM marts.program_days);
