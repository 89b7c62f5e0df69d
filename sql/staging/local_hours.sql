-- Every (time zone, local hour) that a time of the rows being typed falls in (the temp
-- view scope_local_times, validate/<kind>_scope.sql), with the instant the hour starts
-- at (DuckDB's reading: the later one in the repeated autumn hour) and whether the hour
-- is ambiguous (the instant an hour earlier shows the same clock).
-- Resolving times through this small table, instead of calling the time-zone
-- library several times for every time of every row, keeps validation fast.
CREATE OR REPLACE TEMP TABLE local_hours AS
WITH hours AS (
    SELECT DISTINCT f.timezone AS tz, date_trunc('hour', h.local_ts) AS hour_local
    FROM scope_local_times AS h
    JOIN audit.file_loads AS f USING (file_id)
    WHERE h.local_ts IS NOT NULL
)
SELECT
    tz,
    hour_local,
    timezone(tz, hour_local) AS hour_start,
    timezone(tz, timezone(tz, hour_local) - INTERVAL 1 HOUR) = hour_local AS ambiguous
FROM hours;
