-- The check has read the row counts: drop them with the copy.
DROP TABLE IF EXISTS temp.main.published_row_counts;
