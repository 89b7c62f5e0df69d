-- One audit row per file: what was read, by which profile, or why it could not be.
INSERT INTO audit.file_loads (
    file_id, file_name, file_path, file_bytes, profile, kind, timezone, export_as_of,
    load_seq, loaded_at, status, error, rows_read, columns_read, columns_unused, profile_version
)
VALUES (
    $file_id, $file_name, $file_path, $file_bytes, $profile, $kind, $timezone,
    CAST($export_as_of AS DATE), $load_seq, now(), $status, $error, $rows_read,
    $columns_read, CAST($columns_unused AS VARCHAR[]), $profile_version
);
