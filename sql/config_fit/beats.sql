-- CAD incidents received on or after launch whose beat (trimmed, upper-case) is not
-- in [beats] all: one row, the incidents and how many distinct beats. Nothing is
-- counted when [beats] all is empty (then no list to check against). The beats
-- themselves come from the export, not from a lookup, so they are not returned.
WITH p AS (SELECT launch_date, timezone AS tz FROM program_input LIMIT 1),
known AS (SELECT DISTINCT upper(trim(beat)) AS beat FROM program_beats_input WHERE beat IS NOT NULL),
cad AS (
    SELECT upper(trim(i.beat)) AS beat
    FROM staging.cad_incidents AS i, p
    WHERE timezone(p.tz, i.received_at)::DATE >= p.launch_date AND nullif(trim(i.beat), '') IS NOT NULL
)
SELECT
    (SELECT count(*) FROM known) AS beats_configured,
    count(*) FILTER (WHERE beat NOT IN (SELECT beat FROM known)) AS incidents,
    count(DISTINCT beat) FILTER (WHERE beat NOT IN (SELECT beat FROM known)) AS beats
FROM cad
WHERE (SELECT count(*) FROM known) > 0;
