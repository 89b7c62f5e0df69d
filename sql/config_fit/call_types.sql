-- Call types in the data that match no type on any [[eligible_call_types]] entry
-- (codes compared trimmed and upper-case), CAD incidents received on or after
-- launch only, most incidents first. `quotable` is true when the profile's
-- lookup knows the code (initial_call_type_label is set): only those codes may be
-- printed; a code no lookup lists is counted, never shown.
-- Also one row per configured eligible code that no CAD incident has (quotable:
-- the code comes from config/program.toml), so a list that matches nothing is seen.
WITH p AS (SELECT launch_date, timezone AS tz FROM program_input LIMIT 1),
configured AS (
    SELECT DISTINCT upper(trim(call_type)) AS call_type
    FROM program_eligible_input WHERE call_type IS NOT NULL
),
cad AS (
    SELECT upper(trim(i.initial_call_type)) AS call_type, i.initial_call_type_label IS NOT NULL AS known
    FROM staging.cad_incidents AS i, p
    WHERE timezone(p.tz, i.received_at)::DATE >= p.launch_date
)
SELECT 'not_eligible' AS finding, call_type, count(*) AS incidents, bool_and(known) AS quotable
FROM cad
WHERE call_type IS NOT NULL AND call_type NOT IN (SELECT call_type FROM configured)
GROUP BY call_type
UNION ALL
SELECT 'eligible_not_seen', c.call_type, 0, true
FROM configured AS c
WHERE c.call_type NOT IN (SELECT call_type FROM cad WHERE call_type IS NOT NULL)
ORDER BY finding, incidents DESC, call_type;
