-- Files read by a profile under another version than its current one ($current: a
-- list of {profile, version}), with the aspects of the version they were read under.
WITH cur AS (SELECT unnest($current, recursive := true))
SELECT f.file_id, f.file_name, f.profile, f.kind, f.status, f.load_seq, f.rows_read,
    f.profile_version AS old_version,
    (SELECT map_from_entries(list((v.aspect, v.aspect_hash)))
     FROM audit.profile_versions AS v
     WHERE v.profile = f.profile AND v.version = f.profile_version) AS old_aspects
FROM audit.file_loads AS f
JOIN cur ON cur.profile = f.profile
WHERE f.profile_version IS DISTINCT FROM cur.version
ORDER BY f.load_seq;
