-- Codes a source profile's lookup did not know (check unknown_code), per code
-- column, source profile and code, with the rows and files they hit and the export
-- dates they were seen in, so the profile's lookup can be fixed. The code is shown
-- as the lookup compares it (trimmed, upper case). in_lookup says the profile does
-- list the code but maps it to a value outside the contract. Only the contract's
-- code fields ($code_columns: 'kind.column' names) are read.
SELECT
    q.kind, q.column_name, f.profile,
    upper(trim(q.value)) AS code,
    count(DISTINCT (q.file_id, q.source_row)) AS rows_affected,
    list(DISTINCT q.file_id ORDER BY q.file_id) AS file_ids,
    min(f.export_as_of) AS first_export,
    max(f.export_as_of) AS last_export,
    bool_or(c.code IS NOT NULL) AS in_lookup
FROM quarantine.rows AS q
JOIN audit.file_loads AS f USING (file_id)
LEFT JOIN raw.profile_codes AS c
    ON c.profile = f.profile AND c.field = q.column_name AND c.code = upper(trim(q.value))
WHERE q.check_name = 'unknown_code'
    AND list_contains($code_columns, q.kind || '.' || q.column_name)
GROUP BY q.kind, q.column_name, f.profile, upper(trim(q.value))
ORDER BY rows_affected DESC, q.kind, q.column_name, f.profile, code;
