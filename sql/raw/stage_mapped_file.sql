-- Materialise one file's mapped rows (the view mapped_view, built from the
-- profile) in file order, so rowid gives each row its number in the file.
CREATE OR REPLACE TEMP TABLE mapped_file AS SELECT * FROM mapped_view;
