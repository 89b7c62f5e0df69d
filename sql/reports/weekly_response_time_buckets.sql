-- Distribution of response times (call received -> first arrival on scene) for
-- one week, in 5-minute bands with everything from 60 minutes on in one band:
-- HEART in-person units (Community Response, Co-Response) against police on
-- the eligible calls HEART did not answer (marts.response_times).
-- Aggregates only: counts per band, never a single call's time.
WITH timed AS (
    SELECT
        CASE WHEN responder = 'POLICE' THEN 'Police' ELSE 'HEART' END AS responder_group,
        least(floor(minutes / 5) * 5, 60)::INTEGER AS band_start
    FROM marts.response_times
    WHERE received_date >= $week_start AND received_date < $week_start + INTERVAL 7 DAY
),
bands AS (SELECT unnest(range(0, 65, 5))::INTEGER AS band_start),
groups AS (SELECT unnest(['HEART', 'Police']) AS responder_group)
SELECT g.responder_group, b.band_start, count(t.band_start) AS responses
FROM groups AS g
CROSS JOIN bands AS b
LEFT JOIN timed AS t ON t.responder_group = g.responder_group AND t.band_start = b.band_start
GROUP BY ALL
ORDER BY g.responder_group, b.band_start;
