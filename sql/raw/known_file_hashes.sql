-- The remembered SHA-256 of the inbox files ($paths: their absolute paths), with the
-- size and times each file had when it was hashed (pipeline/ingest/inbox.py).
SELECT file_path, file_bytes, modified_ns, changed_ns, file_id
FROM audit.file_hashes
WHERE list_contains(CAST($paths AS VARCHAR[]), file_path);
