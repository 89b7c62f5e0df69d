-- The WAL size at which DuckDB checkpoints (writes the WAL's changes into the database
-- file). Ingest commits once per file; at the default (16 MiB) a week's export is
-- bigger than that, so every commit was a checkpoint of its own. Ingest raises it
-- while it loads, checkpoints once at the end and puts the setting back.
SET checkpoint_threshold = $threshold;
