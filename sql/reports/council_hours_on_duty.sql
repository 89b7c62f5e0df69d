-- For each local hour of the day (0-23): on how many days from $first_day to
-- $end_day (exclusive) HEART's service hours in force that day covered at least
-- part of the hour, out of how many days. From marts.program_days, the same
-- dated configuration the metrics classify unmet calls by. The council
-- dashboard marks the hours with no day on duty: the demand no shift covered.
-- No row at all when the range holds no program day.
WITH hours AS (
    SELECT unnest(range(24)) AS hour_of_day
),
days AS (
    SELECT service_date,
        hour(service_start) * 60 + minute(service_start) AS start_minute,
        hour(service_end) * 60 + minute(service_end) AS end_minute   -- exclusive, like the metrics
    FROM marts.program_days
    WHERE service_date >= $first_day AND service_date < $end_day
)
SELECT
    h.hour_of_day,
    count(DISTINCT d.service_date) FILTER (
        WHERE d.start_minute IS NOT NULL AND d.start_minute < (h.hour_of_day + 1) * 60
          AND d.end_minute > h.hour_of_day * 60
    ) AS days_on_duty,
    (SELECT count(*) FROM days) AS days_in_period
FROM hours AS h
CROSS JOIN days AS d
GROUP BY h.hour_of_day
ORDER BY h.hour_of_day;
