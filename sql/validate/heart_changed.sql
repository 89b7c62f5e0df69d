-- The responses this run's HEART validation touched: every response that had
-- (heart_touched, validate/heart_touched.sql) or has an accepted row among the rows
-- validated, for staging/heart_responses.sql and for anything downstream that follows
-- only what changed. Responses linked to a changed CAD incident are among them: their
-- rows are validated again (validate/heart_scope.sql).
-- Added to, not replaced: the ids stay until the marts have rebuilt them (pipeline/marts.py empties
-- the table after a successful build), so a run stopped by a blocking check between validation
-- and the marts does not lose its changes to the next run.
INSERT INTO staging.changed_responses
SELECT response_id FROM (
    SELECT response_id FROM heart_touched WHERE response_id IS NOT NULL
    UNION
    SELECT response_id FROM staging.heart_rows SEMI JOIN heart_files_to_validate USING (file_id)
    UNION
    SELECT response_id FROM staging.heart_rows SEMI JOIN heart_rows_to_recheck USING (file_id, source_row)
)
EXCEPT
SELECT response_id FROM staging.changed_responses;
