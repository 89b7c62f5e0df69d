-- Rows with no value in any mapped column that do have one in another column are
-- not blank (validation then quarantines them by their required fields). The second
-- read (the view blank_check_view, raw/read_csv_blank_check.sql) numbers the rows as
-- mapped_file does: rowid follows file order in a freshly created table.
CREATE OR REPLACE TEMP TABLE blank_check AS SELECT * FROM blank_check_view;

UPDATE mapped_file SET blank_row = false
WHERE blank_row AND rowid IN (SELECT rowid FROM blank_check WHERE NOT blank_row);
