-- The local days the warehouse holds program data for: the first and the last
-- program day (launch or later) on which a CAD call or a HEART response was
-- received. An export that starts after the launch date starts the range where
-- its data starts: the weeks before it hold no data, whatever the calendar says.
WITH data_days AS (
    SELECT received_date AS d FROM marts.cad_incidents
    UNION ALL
    SELECT received_date FROM marts.heart_responses
)
SELECT min(d) AS first_day, max(d) AS last_day
FROM data_days
WHERE d BETWEEN (SELECT min(service_date) FROM marts.program_days) AND (SELECT max(service_date) FROM marts.program_days);
