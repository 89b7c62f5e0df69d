-- The local days the warehouse holds program data for (launch .. last day with data).
SELECT min(service_date) AS first_day, max(service_date) AS last_day FROM marts.program_days;
