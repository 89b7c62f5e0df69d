DROP TABLE IF EXISTS mapped_file;
DROP VIEW IF EXISTS mapped_view;
