-- Before a file is re-read from the inbox under a changed profile: its rows and its
-- audit row go, in the same transaction that writes the new ones.
DELETE FROM raw.cad_rows WHERE file_id = $file_id;
DELETE FROM raw.heart_rows WHERE file_id = $file_id;
DELETE FROM raw.malformed_rows WHERE file_id = $file_id;
DELETE FROM audit.file_loads WHERE file_id = $file_id;
