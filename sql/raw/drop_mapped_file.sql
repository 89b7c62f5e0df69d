DROP VIEW IF EXISTS numbered_file;
DROP TABLE IF EXISTS mapped_file;
DROP VIEW IF EXISTS mapped_view;
DROP TABLE IF EXISTS malformed_lines;
DROP TABLE IF EXISTS malformed_offsets;
DROP TABLE IF EXISTS file_rejects;
DROP TABLE IF EXISTS file_reject_scans;
