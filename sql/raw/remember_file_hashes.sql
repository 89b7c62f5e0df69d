-- Remember the SHA-256 of files just hashed ($hashes: a list of {file_path, file_bytes,
-- modified_ns, changed_ns, file_id}): one row per path, the latest hash replacing the last.
DELETE FROM audit.file_hashes
WHERE file_path IN (SELECT h.file_path FROM (SELECT unnest($hashes) AS h));

INSERT INTO audit.file_hashes (file_path, file_bytes, modified_ns, changed_ns, file_id, hashed_at)
SELECT file_path, file_bytes, modified_ns, changed_ns, file_id, now()
FROM (SELECT unnest($hashes, recursive := true));
