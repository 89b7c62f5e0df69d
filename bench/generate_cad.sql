-- Synthetic CAD export in the sample city's layout (profiles/durham_cad.toml), $rows rows,
-- about 1.5 unit rows per incident, with a small share of deliberate flaws
-- (1 in 5,000 unparseable times, 1 in 5,000 unknown natures, 1 in 2,000 clear-before-arrive).
WITH base AS (
    SELECT
        i,
        i * 2 // 3 AS incident,
        TIMESTAMP '2023-01-01 00:00:00' + to_seconds((i * 2 // 3) * 47) AS received,
        (i * 7919) % 29 AS nature_ix,
        (i * 104729) % 40 AS beat_ix
    FROM range($rows) AS r(i)
)
SELECT
    '23-' || lpad(CAST(incident AS VARCHAR), 8, '0') AS IncidentNumber,
    strftime(received, '%m/%d/%Y') AS CallDate,
    CASE WHEN i % 5000 = 17 THEN '25:61:00' ELSE strftime(received, '%H:%M:%S') END AS CallTime,
    CASE WHEN i % 5000 = 23 THEN 'XFER'
         ELSE ['MENTAL','SUICTH','WELFCK','TRESP','INTOX','PANHAN','INDEC','VERBDIS','ASSAULT','BURG',
               'LARC','ALARM','TRAFFIC','MVA','SUSP','NOISE','DOMESTIC','SHOTS','ROBBERY','FIGHT',
               'WEAPON','MISSING','PARKING','DAMAGE','FRAUD','INFO','FOLLOWUP','MEDICAL','FIRE'][nature_ix + 1]
    END AS InitialNature,
    ['MENTAL','SUICTH','WELFCK','TRESP','INTOX','PANHAN','INDEC','VERBDIS','ASSAULT','BURG',
     'LARC','ALARM','TRAFFIC','MVA','SUSP','NOISE','DOMESTIC','SHOTS','ROBBERY','FIGHT',
     'WEAPON','MISSING','PARKING','DAMAGE','FRAUD','INFO','FOLLOWUP','MEDICAL','FIRE'][nature_ix + 1] AS FinalNature,
    CAST(1 + i % 5 AS VARCHAR) AS Priority,
    CAST(111 + beat_ix * 10 AS VARCHAR) AS Beat,
    CAST(100 * (1 + i % 40) AS VARCHAR) || ' BLOCK MAIN ST' AS Address,
    ['RPT','NRPT','ARR','GOA','CANC','HRT'][1 + i % 6] AS Disposition,
    'P' || CAST(1000 + i % 700 AS VARCHAR) AS UnitID,
    ['LAW','LAW','LAW','EMS','FIRE','HEART'][1 + i % 6] AS UnitType,
    strftime(received + INTERVAL 3 MINUTE, '%Y-%m-%d %H:%M:%S') AS Dispatched,
    strftime(received + INTERVAL 4 MINUTE, '%Y-%m-%d %H:%M:%S') AS Enroute,
    CASE WHEN i % 33 = 0 THEN NULL ELSE strftime(received + INTERVAL 12 MINUTE, '%Y-%m-%d %H:%M:%S') END AS Arrived,
    CASE WHEN i % 2000 = 5 THEN strftime(received + INTERVAL 10 MINUTE, '%Y-%m-%d %H:%M:%S')
         ELSE strftime(received + INTERVAL 45 MINUTE, '%Y-%m-%d %H:%M:%S') END AS Cleared
FROM base
ORDER BY i
