-- audit.profile_revalidations says what the latest run re-validated: emptied as a run starts.
DELETE FROM audit.profile_revalidations;
