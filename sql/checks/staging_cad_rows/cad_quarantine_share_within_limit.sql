-- check: cad_quarantine_share_within_limit
-- asset: staging_cad_rows
-- guards: The quarantined share of CAD rows is within the configured limit ($limit,
--   heart run --max-quarantine-share); past it the canonical tables are not built from this batch.
-- blocking: yes
-- Rows read are every cad row loaded, malformed lines included (they are quarantined); a row
-- counts once however many of its checks failed. The run summary's figures come from here too.
WITH counts AS (
    SELECT
        (SELECT count(*) FROM raw.cad_rows) + (SELECT count(*) FROM raw.malformed_rows WHERE kind = 'cad')
            AS rows_read,
        (SELECT count(DISTINCT (file_id, source_row)) FROM quarantine.cad_failures) AS rows_quarantined
),
shares AS (
    SELECT rows_read, rows_quarantined,
        CASE WHEN rows_read = 0 THEN 0.0 ELSE rows_quarantined / rows_read END AS share
    FROM counts
)
SELECT
    (share > $limit)::INTEGER AS failures,
    rows_quarantined || ' of ' || rows_read || ' cad rows quarantined' AS description,
    rows_read,
    rows_quarantined,
    round(share, 5) AS quarantined_share,
    $limit::DOUBLE AS "limit"
FROM shares;
