-- Close the snapshot's temp file: DETACH checkpoints it, so the file holds
-- everything and no write-ahead log is left beside it.
DETACH DATABASE IF EXISTS published_copy;
