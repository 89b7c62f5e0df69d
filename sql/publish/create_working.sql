-- Create an empty working file in the published storage format, so that publishing can copy
-- the file's bytes as they are: $storage_version is pipeline.warehouse.publish.STORAGE_VERSION.
-- The format is fixed when a file is created; every later write, by any DuckDB release, keeps it.
ATTACH $path AS new_working (STORAGE_VERSION $storage_version);
DETACH new_working;
