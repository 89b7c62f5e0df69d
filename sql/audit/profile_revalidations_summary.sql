-- What the latest run did to files loaded under an older version of their profile:
-- one row per profile, change and action, with the files.
SELECT profile, changed, action, count(*) AS files, list(file_name ORDER BY file_name) AS file_names
FROM audit.profile_revalidations
GROUP BY profile, changed, action
ORDER BY profile, list_position(['re-validated', 're-read', 'not in inbox'], action), changed;
