-- A file re-validated under its profile's current version: the time zone its times
-- are read in and the version; its as-of date from the file name when the profile's
-- export-date pattern changed ($restamp_as_of).
UPDATE audit.file_loads
SET timezone = $timezone,
    export_as_of = CASE WHEN $restamp_as_of THEN CAST($export_as_of AS DATE) ELSE export_as_of END,
    profile_version = $profile_version
WHERE file_id = $file_id;
