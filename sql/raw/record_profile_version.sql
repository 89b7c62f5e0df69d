-- One profile version's aspects, kept the first time the version is seen.
INSERT INTO audit.profile_versions (profile, version, aspect, aspect_hash, first_seen)
SELECT $profile, $version, $aspect, $aspect_hash, now()
WHERE NOT EXISTS (
    SELECT 1 FROM audit.profile_versions
    WHERE profile = $profile AND version = $version AND aspect = $aspect
);
