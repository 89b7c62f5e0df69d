-- check: every_file_reconciles
-- asset: load_audit
-- guards: Per file, rows read = accepted + quarantined + exact repeats: no row is lost or counted twice.
-- blocking: no
-- One row: how many files do not reconcile, and their names (load order).
SELECT
    count(*) FILTER (NOT reconciles) AS failures,
    coalesce(string_agg(file_name, ', ' ORDER BY load_seq) FILTER (NOT reconciles), 'none') AS files_not_reconciling
FROM audit.load_audit;
