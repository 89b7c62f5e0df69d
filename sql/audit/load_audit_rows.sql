-- The load audit as the run summary shows it: one row per file, in load order.
SELECT file_name, profile, kind, status, error, rows_read, rows_accepted, rows_quarantined, rows_duplicate,
    reconciles
FROM audit.load_audit
ORDER BY load_seq;
