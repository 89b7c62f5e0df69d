-- Read one export as text, exactly as written: every column VARCHAR so nothing is
-- coerced or lost before validation. The profile supplies dialect and null tokens;
-- the columns are the file's own header, read beforehand (ingest.read_header), so
-- nothing is sniffed and one malformed line cannot stop the file being read.
-- Lines that are not a record of the header's shape (too few or too many fields,
-- a quote left open) are left out of the result and listed, with their line
-- number, in the temp table file_rejects: they become malformed rows.
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
    rejects_table = 'file_rejects',
    rejects_scan = 'file_reject_scans'
)
