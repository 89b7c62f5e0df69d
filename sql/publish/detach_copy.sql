-- Close the snapshot's temp file. DETACH checkpoints a copy written by COPY FROM DATABASE, so
-- the file holds everything and no write-ahead log is left beside it; a read-only byte copy
-- is closed unchanged.
DETACH DATABASE IF EXISTS published_copy;
