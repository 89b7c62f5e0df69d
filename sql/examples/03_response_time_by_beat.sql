-- question: In each beat, how long from the 911 call to the first responder arriving: the median
--   for HEART's in-person teams against the median for police on the eligible calls HEART did
--   not answer, over the last 12 months?
-- reading: One row per beat with at least min_timed_calls timed calls for HEART or for police
--   (params; 5 by default). heart_calls / police_calls: calls with an arrival time;
--   heart_median_minutes / police_median_minutes: the median minutes from the call being
--   received to the first arrival, blank when that side has fewer than min_timed_calls calls in
--   the beat. The 12 months end on the latest day with data (window_start inclusive, window_end
--   exclusive).
-- tables: marts.response_times (minutes per incident and responder), marts.cad_incidents (beat),
--   marts.program_days (the latest day with data)
-- defines: new here: the by-beat breakdown. The figures are the ones heart_response_time_median
--   (unit ALL: the first arrival of any HEART in-person unit, once per call) and
--   police_response_time_median take their medians over, split by beat; those metrics have no
--   beat breakdown of their own.
-- caveats: The two sides are different calls: police times are for eligible calls HEART did not
--   answer, at any hour and in any beat; HEART times are for calls HEART answered, in its service
--   hours and area, and may include call types that were not eligible. Measured from the CAD
--   received time, so the minutes with the call-taker count. Crisis Call Diversion works by phone
--   and has no arrival. A median over a handful of calls moves a lot from one call to the next.
WITH params AS (
    SELECT 5 AS min_timed_calls
),
latest AS (
    SELECT max(service_date) AS last_day FROM marts.program_days
),
span AS (
    SELECT (last_day + INTERVAL 1 DAY - INTERVAL 12 MONTH)::DATE AS window_start,
        (last_day + INTERVAL 1 DAY)::DATE AS window_end
    FROM latest
),
timed AS (
    -- One time per call and side: HEART's first in-person arrival, or the first police arrival.
    SELECT t.incident_id, CASE WHEN t.responder = 'POLICE' THEN 'POLICE' ELSE 'HEART' END AS side,
        min(t.minutes) AS minutes
    FROM marts.response_times AS t
    JOIN span AS s ON t.received_date >= s.window_start AND t.received_date < s.window_end
    GROUP BY ALL
),
by_beat AS (
    SELECT coalesce(i.beat, 'unknown') AS beat,
        count(*) FILTER (WHERE t.side = 'HEART') AS heart_calls,
        median(t.minutes) FILTER (WHERE t.side = 'HEART') AS heart_median,
        count(*) FILTER (WHERE t.side = 'POLICE') AS police_calls,
        median(t.minutes) FILTER (WHERE t.side = 'POLICE') AS police_median
    FROM timed AS t
    JOIN marts.cad_incidents AS i USING (incident_id)
    GROUP BY ALL
)
SELECT b.beat,
    b.heart_calls,
    CASE WHEN b.heart_calls >= p.min_timed_calls THEN round(b.heart_median, 1) END AS heart_median_minutes,
    b.police_calls,
    CASE WHEN b.police_calls >= p.min_timed_calls THEN round(b.police_median, 1) END AS police_median_minutes,
    s.window_start, s.window_end
FROM by_beat AS b
CROSS JOIN params AS p
CROSS JOIN span AS s
WHERE b.heart_calls >= p.min_timed_calls OR b.police_calls >= p.min_timed_calls
ORDER BY b.beat;
