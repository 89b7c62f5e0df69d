-- question: Which files loaded in the last 8 weeks had rows quarantined or could not be read at
--   all, and what was the most common problem in each?
-- reading: One row per file loaded in the 8 weeks up to the most recent load; unreadable files
--   first, then by the share of rows quarantined, highest first. rows_read = rows_accepted +
--   rows_quarantined (reconciles says whether they do). top_check is the quarantine check that
--   failed most often in the file (ties: alphabetical) and top_check_failures how often;
--   error says why an unreadable file could not be read. Fix the export or the source profile,
--   then drop the corrected file into the inbox. Change lookback in params for another span.
-- tables: audit.load_audit (one row per file), quarantine.rows (one row per failed check)
-- defines: nothing that is a metric: this is the load audit, for the people who run the loads.
-- caveats: Weeks are counted back from the latest load time in the warehouse, not from today, so
--   an old warehouse still shows its last loads. A row can fail several checks: failures count
--   checks, rows_quarantined counts rows. quarantine.rows holds the offending values themselves,
--   which can include personal details; this query shows none of them.
WITH params AS (
    SELECT INTERVAL 8 WEEK AS lookback
),
latest AS (
    SELECT max(loaded_at) AS last_load FROM audit.load_audit
),
recent AS (
    SELECT a.*
    FROM audit.load_audit AS a
    CROSS JOIN latest AS l
    CROSS JOIN params AS p
    WHERE a.loaded_at > l.last_load - p.lookback
),
checks AS (
    SELECT file_id, check_name, count(*) AS failures
    FROM quarantine.rows
    GROUP BY ALL
),
top_check AS (
    SELECT file_id,
        first(check_name ORDER BY failures DESC, check_name) AS top_check,
        max(failures) AS top_check_failures
    FROM checks
    GROUP BY file_id
)
SELECT r.file_name, r.kind, r.loaded_at, r.status, r.rows_read, r.rows_accepted, r.rows_quarantined,
    round(r.rows_quarantined / nullif(r.rows_read, 0), 3) AS quarantined_share,
    t.top_check, t.top_check_failures, r.reconciles, r.error
FROM recent AS r
LEFT JOIN top_check AS t USING (file_id)
ORDER BY r.status <> 'loaded' DESC, quarantined_share DESC NULLS LAST, r.file_name;
