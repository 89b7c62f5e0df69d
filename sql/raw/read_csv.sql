-- Read one export as text, exactly as written: every column VARCHAR so nothing is
-- coerced or lost before validation. The profile supplies dialect and null tokens.
SELECT *
FROM read_csv(
    $path,
    header = true,
    all_varchar = true,
    delim = $delimiter,
    quote = '"',
    escape = '"',
    nullstr = $null_tokens,
    encoding = $encoding
)
