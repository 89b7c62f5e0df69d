-- Does the program configuration's dated range fit the data? Counts, for the run
-- summary and the data-quality report (pipeline/config_fit.py), of:
--   CAD incidents and HEART responses received (local date, the program's time
--   zone) before [program] launch_date: the marts start at launch, so they count
--   nowhere;
--   CAD incidents on or after launch received on a day when the
--   [[eligible_call_types]] list in force is empty: before the first entry, or
--   under an entry with no natures;
--   eligible CAD incidents inside the program: the call type (trimmed,
--   upper-case) is on the list in force on the day received. None at all means
--   every eligible-call figure is 0 and `heart run` exits 1.
-- One row. Reads staging.cad_incidents, staging.heart_rows and the program file
-- registered as program_input, program_eligible_input (pipeline/config_fit.py), so it
-- also answers on a run whose marts were blocked or failed.
WITH p AS (SELECT launch_date, timezone AS tz FROM program_input LIMIT 1),
cad AS (
    SELECT timezone(p.tz, i.received_at)::DATE AS received_date, upper(trim(i.initial_call_type)) AS call_type
    FROM staging.cad_incidents AS i, p
),
lists AS (
    SELECT effective_from, count(call_type) AS types
    FROM program_eligible_input
    GROUP BY effective_from
),
placed AS (
    SELECT c.received_date, c.call_type, l.effective_from, coalesce(l.types, 0) AS types
    FROM cad AS c
    ASOF LEFT JOIN lists AS l ON c.received_date >= l.effective_from
),
heart AS (
    -- From the accepted rows (staging.heart_rows, built with the CAD tables), not staging.heart_responses,
    -- which the data-quality report does not wait for; a response exported twice counts once.
    SELECT count(DISTINCT r.response_id) AS responses,
        count(DISTINCT r.response_id) FILTER (WHERE timezone(p.tz, r.received_at)::DATE < p.launch_date) AS before_launch
    FROM staging.heart_rows AS r, p
),
judged AS (
    SELECT pl.*,
        EXISTS (SELECT 1 FROM program_eligible_input AS e
                WHERE e.effective_from = pl.effective_from AND upper(trim(e.call_type)) = pl.call_type) AS eligible
    FROM placed AS pl
)
SELECT
    p.launch_date,
    (SELECT min(effective_from) FROM lists WHERE types > 0) AS first_eligible_list,
    count(j.received_date) AS cad_incidents,
    count(*) FILTER (WHERE j.received_date < p.launch_date) AS cad_before_launch,
    min(j.received_date) FILTER (WHERE j.received_date < p.launch_date) AS cad_first_before_launch,
    count(*) FILTER (WHERE j.received_date >= p.launch_date AND j.types = 0) AS cad_without_eligible_list,
    count(*) FILTER (WHERE j.received_date >= p.launch_date AND j.eligible) AS eligible_in_program,
    any_value(h.before_launch) AS heart_before_launch,
    any_value(h.responses) AS heart_responses
FROM p
CROSS JOIN heart AS h
LEFT JOIN judged AS j ON true
GROUP BY p.launch_date;
