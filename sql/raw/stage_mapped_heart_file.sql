-- Materialise one HEART file's mapped rows (the view mapped_view, built from the
-- profile) in file order, so rowid gives each row its number in the file, with the
-- person key replaced by its pseudonym (pipeline/ingest/pseudonym.py): the first 32
-- hex characters of sha256($key || U+001F || the trimmed key). $key is the secret,
-- bound here and never stored; a blank key stays as written (it names nobody).
-- From here on nothing (raw, quarantine, duplicates, staging, marts) sees the log's key.
CREATE OR REPLACE TEMP TABLE mapped_file AS
SELECT * REPLACE (
    CASE
        WHEN nullif(trim(person_key), '') IS NULL THEN person_key
        ELSE left(sha256($key || chr(31) || trim(person_key)), $hex_chars)
    END AS person_key)
FROM mapped_view;
