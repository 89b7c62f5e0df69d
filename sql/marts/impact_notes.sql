-- What the impact marts (marts.impact_beat_week, impact_hour_week) could not count, one sentence
-- per profile and gap, for the run summary (pipeline/marts.py impact_notes). Profiles are those
-- with CAD incidents in the warehouse; profile names are the repository's own file names.
WITH profiles AS (
    SELECT profile, bool_or(block_key IS NOT NULL) AS has_blocks FROM staging.cad_incidents GROUP BY profile
),
classes AS (SELECT unnest(['arrest', 'ems_transport']) AS outcome_class),
unmapped AS (
    SELECT p.profile, list(c.outcome_class ORDER BY c.outcome_class) AS classes
    FROM profiles AS p CROSS JOIN classes AS c
    WHERE NOT EXISTS (SELECT 1 FROM raw.profile_outcome_classes AS o
                      WHERE o.profile = p.profile AND o.outcome_class = c.outcome_class)
    GROUP BY p.profile
)
SELECT note FROM (
    SELECT profile, 1 AS n,
        'profile ' || profile || ' maps no disposition code to ' || array_to_string(classes, ' or ')
        || ' ([outcome_classes]): those counts in marts.impact_* are NULL (unknown), not 0' AS note
    FROM unmapped
    UNION ALL
    SELECT profile, 2,
        'profile ' || profile || ' maps no block (block_key): its repeat calls in marts.impact_* match on '
        || 'beat and call type only'
    FROM profiles WHERE NOT has_blocks
)
ORDER BY profile, n;
