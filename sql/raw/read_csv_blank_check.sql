-- A second read of one export, made only when the first (raw/read_csv.sql) found rows
-- with no value in any column the profile maps: whether those rows have a value in
-- any other column. The same reader with the same options, so the same rows come in
-- the same order; the lines that are not records are left out as in the first read
-- (listed in their own temp tables, which nothing reads: the first read's list counts).
SELECT *
FROM read_csv(
    $path,
    header = true,
    auto_detect = false,
    columns = $columns,
    delim = $delimiter,
    quote = '"',
    escape = '"',
    nullstr = $null_tokens,
    encoding = $encoding,
    store_rejects = true,
    rejects_table = 'blank_check_rejects',
    rejects_scan = 'blank_check_reject_scans'
)
