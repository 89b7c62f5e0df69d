-- With raw/forget_file.sql, where the warehouse has them: the checks and code labels
-- found while reading the file.
DELETE FROM raw.row_checks WHERE file_id = $file_id;
DELETE FROM raw.code_labels WHERE file_id = $file_id;
