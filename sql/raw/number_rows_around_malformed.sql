-- Number the file's well-formed rows when some lines were malformed (temp table
-- malformed_lines: each malformed line's data-row number and why). The k-th
-- well-formed row (rowid + 1 of mapped_file, which follows file order) is data row
-- k + the malformed lines before it. For the i-th malformed line, at row p, p - i
-- well-formed rows come before it; an ASOF join on that count gives each
-- well-formed row the number of malformed lines before it.
CREATE OR REPLACE TEMP TABLE malformed_offsets AS
SELECT accepted_before, max(seq) AS malformed_before
FROM (
    SELECT source_row - row_number() OVER (ORDER BY source_row) AS accepted_before,
        row_number() OVER (ORDER BY source_row) AS seq
    FROM malformed_lines
)
GROUP BY accepted_before;

CREATE OR REPLACE TEMP VIEW numbered_file AS
SELECT m.k + coalesce(o.malformed_before, 0) AS source_row, m.* EXCLUDE (k)
FROM (SELECT rowid + 1 AS k, * FROM mapped_file) AS m
ASOF LEFT JOIN malformed_offsets AS o ON m.k > o.accepted_before;
