-- Attach the new snapshot's temp file (beside the published file) for writing,
-- in a storage format older DuckDB releases can open: $storage_version is
-- pipeline.warehouse.publish.STORAGE_VERSION. DuckDB 2.0 binds ATTACH's path and options
-- as parameters, so neither is spliced into the SQL.
-- Used only when the working file is in another format (publish.py says when); otherwise
-- the temp file is a byte copy of the working file, attached by attach_copy_read_only.sql.
ATTACH $path AS published_copy (STORAGE_VERSION $storage_version);
