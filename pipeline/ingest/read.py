"""Reading one CSV file through its source profile into temp tables, ready to insert.

Matches the file's profile, reads its header, maps its columns onto the contract
(mapping.py), finds the malformed lines and numbers the rows around them. A file
that cannot be read raises UnreadableFile with a one-line reason. `heart profile
check` reads files with the same code (check.py).
"""

from __future__ import annotations

import bisect
import csv
import gzip
import secrets
from pathlib import Path

import duckdb

from pipeline.ingest.mapping import _field_expressions
from pipeline.ingest.profiles import Profile
from pipeline.ingest.pseudonym import PSEUDONYM_HEX_CHARS
from pipeline.warehouse.sqlfiles import read_sql, run_sql_file


class UnreadableFile(Exception):
    """A file that cannot be loaded at all; the message is the reason shown to the user."""


def match_profile(path: Path, profiles: list[Profile]) -> Profile:
    matching = [p for p in profiles if p.matches(path.name)]
    if not matching:
        raise UnreadableFile(
            "no source profile reads files named like this (see [match].filenames in the profiles folder)"
        )
    if len(matching) > 1:
        names = ", ".join(p.name for p in matching)
        raise UnreadableFile(f"several source profiles match this file name ({names}); make their patterns distinct")
    return matching[0]


ENCODING_CODECS = {"utf-8": "utf-8-sig", "utf-16": "utf-16", "latin-1": "latin-1"}
# DuckDB's reject types that mean the bytes are not text in the profile's encoding:
# the file, not a row, is wrong, so the file is refused.
ENCODING_REJECTS = {"INVALID ENCODING", "INVALID UNICODE"}


def _encoding_reason(profile: Profile) -> str:
    others = " or ".join(sorted(e for e in ENCODING_CODECS if e != profile.encoding))
    return (
        f"the file is not in the {profile.encoding} encoding (not valid unicode text in it) that profile"
        f" {profile.name} expects; if the export is in {others}, set [csv].encoding in {profile.path.name}"
    )


def _open_text(path: Path, profile: Profile):
    codec = ENCODING_CODECS[profile.encoding]
    if path.name.lower().endswith(".gz"):
        return gzip.open(path, "rt", encoding=codec, newline="")
    return path.open(encoding=codec, newline="")


def read_header(path: Path, profile: Profile) -> list[str]:
    """The file's column names from its first line, named as DuckDB names repeated columns (a, a_1).

    Read here, not sniffed, so that a malformed line further down cannot stop the
    file being read: the data rows are then parsed against this header.
    """
    try:
        with _open_text(path, profile) as handle:
            first = next(csv.reader(handle, delimiter=profile.delimiter, quotechar='"', doublequote=True), None)
    except UnicodeError as exc:
        raise UnreadableFile(_encoding_reason(profile)) from exc
    except (OSError, EOFError, csv.Error) as exc:
        raise UnreadableFile(f"not a readable CSV file ({type(exc).__name__}: {exc})") from exc
    if not first or all(not name.strip() for name in first):
        raise UnreadableFile("the first line is not a header (it is empty)")
    if any("\x00" in name for name in first):
        raise UnreadableFile(_encoding_reason(profile))
    names: list[str] = []
    for index, name in enumerate(first):
        name = name or f"column{index}"
        unique, n = name, 0
        while unique in names:
            n += 1
            unique = f"{name}_{n}"
        names.append(unique)
    return names


def _blank_expression(columns: list[str]) -> duckdb.Expression:
    """True when none of these columns of the row has a value.

    Nulls only, no trimming: a blank check over every row has to be cheap. A row of
    only spaces is still quarantined, by its required fields.
    """
    return duckdb.CoalesceOperator(*(duckdb.ColumnExpression(c) for c in columns)).isnull()


def _recheck_blank_rows(con: duckdb.DuckDBPyConnection, params: dict, columns: list[str], limit: int | None) -> None:
    """Of the rows with no value in any column the profile maps, keep blank_row only for those with
    no value in any column at all (a line of only delimiters or null tokens).

    The first read parses only the columns the profile maps (a check over all of them would make
    DuckDB parse every column of every row), so this second read of the file happens only when that
    read found such rows. Same reader and options, so its rows come in the same order: the k-th row
    here is the k-th row of mapped_file.
    """
    relation = con.sql(read_sql("raw/read_csv_blank_check.sql"), params=params)
    if limit is not None:
        relation = relation.limit(limit)
    relation.select(_blank_expression(columns).alias("blank_row")).create_view("blank_check_view", replace=True)
    run_sql_file(con, "raw/recheck_blank_rows.sql")


def _malformed_lines(con: duckdb.DuckDBPyConnection, profile: Profile, n_columns: int) -> list[tuple[int, str]]:
    """The records DuckDB could not read as a record of the header's shape: (record, why).

    DuckDB numbers records from 1 = the header, counting empty lines (which it
    skips) and a record whose quoted field spans lines once.

    Raises UnreadableFile when a line is not valid text in the profile's encoding:
    then the file, not a row, is wrong.
    """
    found = con.execute(
        "SELECT line, list(DISTINCT error_type ORDER BY error_type), "
        "min(TRY_CAST(regexp_extract(error_message, 'Found: (\\d+)', 1) AS INTEGER)) "
        "FROM file_rejects GROUP BY line ORDER BY line"
    ).fetchall()
    lines: list[tuple[int, str]] = []
    for line, types, fields_found in found:
        if ENCODING_REJECTS & set(types):
            raise UnreadableFile(_encoding_reason(profile))
        if fields_found is not None and {"TOO MANY COLUMNS", "MISSING COLUMNS"} & set(types):
            why = f"{fields_found} fields where the header has {n_columns}"
        elif "UNQUOTED VALUE" in types:
            why = "a quoted field is not closed (a cut line?)"
        else:
            why = "it cannot be read as a record (" + ", ".join(t.lower() for t in types) + ")"
        lines.append((int(line), why))
    return lines


def _scan_records(path: Path, profile: Profile, last: int) -> tuple[list[int], dict[int, int]]:
    """Records 1..last of the file as DuckDB numbers them (1 = the header): which are
    empty lines, and the physical line each starts on. Only read when a line was malformed.
    """
    empty: list[int] = []
    starts: dict[int, int] = {}
    try:
        with _open_text(path, profile) as handle:
            reader = csv.reader(handle, delimiter=profile.delimiter, quotechar='"', doublequote=True)
            previous_line = 0
            for index, record in enumerate(reader, start=1):
                starts[index] = previous_line + 1
                if not record:
                    empty.append(index)
                previous_line = reader.line_num
                if index >= last:
                    break
    except (OSError, EOFError, UnicodeError, csv.Error):
        pass  # numbering falls back to DuckDB's record numbers
    return empty, starts


def _reject_positions(
    path: Path, profile: Profile, lines: list[tuple[int, str]], accepted: int
) -> list[tuple[int, str]]:
    """Each malformed record's data-row number (1 = first row after the header) and message.

    DuckDB's record L is data row L - 1, less the empty lines before it (not rows);
    the numbers are kept increasing and within the file's rows, so the well-formed
    rows fill the gaps in order and no two rows share a number. The message gives
    the physical line the record starts on.
    """
    if not lines:
        return []
    empty, starts = _scan_records(path, profile, lines[-1][0])
    total = accepted + len(lines)
    positions: list[tuple[int, str]] = []
    previous = 0
    for i, (record, why) in enumerate(lines, start=1):
        row = record - 1 - bisect.bisect_left(empty, record)
        position = min(max(row, previous + 1), total - (len(lines) - i))
        line = starts.get(record, record)
        positions.append((position, f"line {line} of the file is malformed: {why}"))
        previous = position
    return positions


def as_of_from_rows(con: duckdb.DuckDBPyConnection, profile: Profile) -> str | None:
    """[export].as_of = { field = ..., take = "max" | "min" }: the local date of the latest
    (or earliest) parsed value of that time field among the file's rows (mapped_file)."""
    parsed = duckdb.ColumnExpression(f"{profile.as_of_field}_local")
    value = con.table("mapped_file").aggregate([duckdb.FunctionExpression(profile.as_of_take, parsed)]).fetchall()[0][0]
    return value.date().isoformat() if value is not None else None


def read_file(
    con: duckdb.DuckDBPyConnection, path: Path, profile: Profile, limit: int | None = None,
    pseudonym_key: str | None = None,
) -> tuple[int, list[str], list[str]]:
    """Read one file through its profile into temp tables, ready to insert.

    mapped_file holds the rows DuckDB read, mapped onto the contract, in file order,
    with blank_row (no value in any column; the file is read a second time only when a
    row has no value in any column the profile maps); numbered_file adds each row's data-row
    number; malformed_lines lists the lines that are not a record of the header's
    shape (wrong number of fields, a quote left open) with their row number and why.
    Returns (rows read, the file's columns, its columns no field maps); rows read
    counts every data row, malformed ones included. A file with only a header has
    0 rows. Raises UnreadableFile with a one-line reason when the file cannot be read.
    With `limit`, only the first `limit` well-formed rows are read (heart profile check).
    A HEART file's person keys and a CAD file's address blocks are hashed as they are staged, with `pseudonym_key`
    (pipeline/ingest/pseudonym.py); None, for a read that stores nothing: a throwaway secret.
    """
    if path.stat().st_size == 0:
        raise UnreadableFile("the file is empty (0 bytes)")
    columns = read_header(path, profile)
    missing = [c for c in profile.required_columns() if c not in columns]
    if missing:
        raise UnreadableFile(
            f"missing required columns for profile {profile.name}: {', '.join(missing)}"
            f" (the file has {len(columns)} columns)"
        )
    params = {
        "path": str(path),
        "columns": dict.fromkeys(columns, "VARCHAR"),
        "delimiter": profile.delimiter,
        "null_tokens": list(profile.null_tokens),
        "encoding": profile.encoding,
    }
    try:
        run_sql_file(con, "raw/drop_mapped_file.sql")
        relation = con.sql(read_sql("raw/read_csv.sql"), params=params)
        if limit is not None:  # heart profile check: the first rows only
            relation = relation.limit(limit)
        # blank_row here: no value in any column the profile maps; rechecked over every column below.
        relation.select(
            *_field_expressions(profile), _blank_expression(profile.required_columns()).alias("blank_row")
        ).create_view("mapped_view", replace=True)
        # Person keys (HEART) and address blocks (CAD) are hashed before anything is stored.
        staging_sql = "raw/stage_mapped_heart_file.sql" if profile.kind == "heart" else "raw/stage_mapped_file.sql"
        run_sql_file(con, staging_sql, {
            "key": pseudonym_key if pseudonym_key is not None else secrets.token_hex(32),
            "hex_chars": PSEUDONYM_HEX_CHARS})
        read_ok, maybe_blank = con.execute(
            "SELECT count(*), count(*) FILTER (WHERE blank_row) FROM mapped_file"
        ).fetchall()[0]
        lines = _malformed_lines(con, profile, len(columns))
        if maybe_blank:
            _recheck_blank_rows(con, params, columns, limit)
        positions = _reject_positions(path, profile, lines, read_ok)
        con.execute("CREATE OR REPLACE TEMP TABLE malformed_lines (source_row BIGINT, problem VARCHAR)")
        if positions:
            con.executemany("INSERT INTO malformed_lines VALUES (?, ?)", positions)
        run_sql_file(con, "raw/number_rows_around_malformed.sql" if positions else "raw/number_rows.sql")
    except duckdb.Error as exc:
        raise UnreadableFile(_first_line(exc)) from exc
    used = set(profile.required_columns())
    return read_ok + len(positions), columns, [c for c in columns if c not in used]


def _first_line(exc: Exception) -> str:
    """DuckDB's error as one line: its headline and the sentence that says what is wrong.

    The "Original Line" DuckDB quotes is left out on purpose: it is a record
    from the file and may describe a person.
    """
    lines = [line for line in str(exc).splitlines() if line.strip()]
    if not lines:
        return type(exc).__name__
    detail = next(
        (
            line.strip()
            for line in lines[1:]
            if not line.startswith(("Original Line", "Possible Solution", " ", "\t"))
        ),
        None,
    )
    return f"{lines[0]}: {detail}" if detail else lines[0]
