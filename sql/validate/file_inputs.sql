-- What a file's rows are validated under besides its rows themselves, as one hash per
-- file: its load (status, profile and profile version, time zone, as-of date, load
-- order, rows read) and its profile's lookups as they stand now (raw.profile_codes,
-- refreshed from the profiles on every run). A file whose hash differs from the one in
-- audit.validated_files is validated again: re-validated or re-read under a changed
-- profile (pipeline/ingest/versions.py), restamped, or read under lookups that changed.
CREATE OR REPLACE TEMP VIEW file_inputs AS
WITH lookups AS (
    SELECT profile, md5(list(entry ORDER BY entry)::VARCHAR) AS digest
    FROM (
        SELECT profile, ['field', field, on_unknown] AS entry FROM raw.profile_coded_fields
        UNION ALL
        SELECT profile, ['code', field, code, value] FROM raw.profile_codes
    )
    GROUP BY profile
)
SELECT f.file_id, f.kind,
    md5([f.status, f.profile, f.profile_version, f.timezone, CAST(f.export_as_of AS VARCHAR),
         CAST(f.load_seq AS VARCHAR), CAST(f.rows_read AS VARCHAR), l.digest]::VARCHAR) AS inputs
FROM audit.file_loads AS f
LEFT JOIN lookups AS l USING (profile)
WHERE f.kind IS NOT NULL;
