-- Profiles are re-read on every run; their lookups replace the stored ones so a
-- fixed profile re-validates earlier files on the next run without reloading them.
DELETE FROM raw.profile_codes;
DELETE FROM raw.profile_coded_fields;
INSERT INTO raw.profile_coded_fields SELECT * FROM new_coded_fields;
INSERT INTO raw.profile_codes SELECT * FROM new_codes;
