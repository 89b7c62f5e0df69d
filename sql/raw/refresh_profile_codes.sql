-- Profiles are re-read on every run; their lookups replace the stored ones so a
-- fixed profile re-validates earlier files on the next run without reloading them.
DELETE FROM raw.profile_codes;
DELETE FROM raw.profile_coded_fields;
INSERT INTO raw.profile_coded_fields SELECT * FROM new_coded_fields;
INSERT INTO raw.profile_codes SELECT * FROM new_codes;
-- Outcome classes (which disposition codes mean an arrest or an EMS transport), read by the
-- impact marts, which are rebuilt whole on every run: nothing needs re-validating.
DELETE FROM raw.profile_outcome_classes;
INSERT INTO raw.profile_outcome_classes SELECT profile, outcome_class, code FROM new_outcome_classes;
