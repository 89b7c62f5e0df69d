-- The hours HEART took calls on each day of one week (from the dated program
-- configuration in force that day), for the weekly report's day x hour heat map.
-- service_start/service_end are local wall-clock times, end exclusive.
SELECT service_date, iso_weekday, service_start, service_end, hours_label, area_label, in_person_teams
FROM marts.program_days
WHERE service_date >= $week_start AND service_date < $week_start + INTERVAL 7 DAY
ORDER BY service_date;
