-- Materialise one CAD file's mapped rows (the view mapped_view, built from the
-- profile) in file order, so rowid gives each row its number in the file, with the
-- block of the call's address replaced by a keyed hash (pipeline/ingest/pseudonym.py):
-- the first 32 hex characters of sha256($key || U+001F || 'block' || U+001F || the block
-- normalised: upper case, runs of spaces as one, trimmed), so "1200 block w main st" and
-- "1200 BLOCK W  MAIN ST" are one place. The 'block' tag keeps a block's hash apart from
-- a person key's. $key is the secret, bound here and never stored; a blank block stays NULL.
-- From here on nothing (raw, quarantine, duplicates, staging, marts) sees the address text.
CREATE OR REPLACE TEMP TABLE mapped_file AS
SELECT * REPLACE (
    CASE
        WHEN nullif(trim(block_key), '') IS NULL THEN NULL
        ELSE left(sha256($key || chr(31) || 'block' || chr(31)
                         || upper(trim(regexp_replace(block_key, '\s+', ' ', 'g')))), $hex_chars)
    END AS block_key)
FROM mapped_view;
