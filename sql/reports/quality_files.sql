-- Every file the pipeline has seen, in load order, for the data-quality report:
-- its profile, source kind, export date, status (and error when unreadable), and
-- rows read / accepted / quarantined with whether they reconcile
-- (read = accepted + quarantined). One row per file; no record-level data.
SELECT
    file_id, file_name, profile, kind, export_as_of, load_seq, loaded_at, status, error,
    rows_read, rows_accepted, rows_quarantined, reconciles
FROM audit.load_audit
ORDER BY load_seq;
