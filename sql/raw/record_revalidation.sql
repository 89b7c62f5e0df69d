-- What this run did to one file loaded under an older version of its profile.
INSERT INTO audit.profile_revalidations (profile, changed, file_id, file_name, action, old_version, new_version)
VALUES ($profile, $changed, $file_id, $file_name, $action, $old_version, $new_version);
