-- The first local day, on or after $first_day (the program's first day in
-- metric_values), with a CAD incident: where the call records the council pages
-- read begin. A city whose exports start after launch has metric_values periods
-- from launch on, all zero before its first export; those days are not "no calls",
-- they are no records, so the pages start here (and a fiscal year with no record
-- gets no page). NULL with no incident.
SELECT min(received_date) AS first_day
FROM marts.cad_incidents
WHERE received_date >= $first_day;
