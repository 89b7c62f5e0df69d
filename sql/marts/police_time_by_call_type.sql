-- marts.police_time_by_call_type: how much officer time a call of each type
-- typically takes when police handle it. Comparable incidents: same initial
-- call type, at least one police unit, no HEART crisis response, and every
-- police unit's dispatch and clear time recorded. Officer time of an incident
-- is the sum over its police units of dispatched -> cleared, in hours.
-- The mean (not the median) is the typical value used for officer-hours saved:
-- a sum of expected values needs the mean of a skewed distribution.
-- The mean is taken over DECIMAL values (summed exactly, as integers) so that it is the same
-- double on every run: a sum of doubles depends on the order DuckDB's threads add them in.
-- Rebuilt whole on every build (one row per call type; the means move whenever data is added).
CREATE OR REPLACE TABLE marts.police_time_by_call_type AS
SELECT
    initial_call_type,
    count(*) AS comparable_incidents,
    avg(police_unit_hours::DECIMAL(38, 18))::DOUBLE AS mean_police_unit_hours,
    median(police_unit_hours) AS median_police_unit_hours,
    avg(police_units) AS mean_police_units
FROM marts.cad_incidents
WHERE police_units > 0 AND heart_responses = 0 AND police_unit_hours IS NOT NULL
GROUP BY initial_call_type;
