-- Append what one file's rows say beyond the contract's columns (ingest._field_expressions):
-- row_checks, the problems found while reading a time given as a date column and a
-- time column (inconsistent_date_time, ambiguous_time), quarantined by validation;
-- code_labels, the label the export itself gives each code of a field mapped with a
-- label_column: per code the label written most often (ties: the first in sort order).
INSERT INTO raw.row_checks BY NAME
SELECT $file_id AS file_id, $source_file AS source_file, source_row, $profile AS profile, $kind AS kind,
    c[1] AS field, c[2] AS check_name, c[3] AS value
FROM (SELECT source_row, unnest(row_checks) AS c FROM numbered_file WHERE NOT blank_row)
WHERE c IS NOT NULL;

INSERT INTO raw.code_labels BY NAME
SELECT $file_id AS file_id, field, code, label
FROM (
    SELECT field, code, label, row_number() OVER (PARTITION BY field, code ORDER BY n DESC, label) AS rank
    FROM (
        SELECT l[1] AS field, upper(trim(l[2])) AS code, trim(l[3]) AS label, count(*) AS n
        FROM (SELECT unnest(code_labels) AS l FROM numbered_file WHERE NOT blank_row)
        WHERE nullif(trim(l[2]), '') IS NOT NULL AND nullif(trim(l[3]), '') IS NOT NULL
        GROUP BY ALL
    )
)
WHERE rank = 1;
