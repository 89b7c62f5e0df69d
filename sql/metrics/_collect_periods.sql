-- Append one metric's rows (the TEMP table metric_result its file built) to metric_results_all.
-- Columns a file does not produce (BY NAME) start as NULL; _derive.sql fills what every metric
-- of a kind derives the same way.
INSERT INTO metric_results_all BY NAME
SELECT $metric_id AS metric_id, * FROM metric_result;
