"""Ingestion: read every new file in the inbox once, through its source profile, into raw tables.

A file is identified by the SHA-256 of its bytes: a file seen before (under any
name) is skipped, so re-running on the same inbox changes nothing. Each file is
loaded in its own transaction together with its audit row, so a crash never
leaves half a file. A file that cannot be read is recorded with the reason and
the other files still load.

Why one module of ~580 lines: reading a file is one procedure (match a
profile, read its header, map its columns onto the contract as DuckDB
expressions, find malformed lines, store the rows with lineage, record the
load in one transaction), and its helpers serve nothing else. Profiles and
their versions are their own modules (profiles.py, profile_versions.py).
"""

from __future__ import annotations

import bisect
import csv
import gzip
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from pipeline import contract, profile_versions
from pipeline.profiles import Profile, normalise_code
from pipeline.sqlfiles import read_sql, run_sql_file
from pipeline.warehouse import has_table

Progress = Callable[[str], None]

# Files in the inbox that are documentation, not data.
IGNORED_SUFFIXES = {".md", ".txt", ".toml"}
# A copy still in progress (browsers, rsync, Office lock files): not a file to read yet.
IN_PROGRESS_SUFFIXES = {".part", ".partial", ".tmp", ".crdownload"}


class UnreadableFile(Exception):
    """A file that cannot be loaded at all; the message is the reason shown to the user."""


@dataclass
class FileResult:
    file_name: str
    status: str  # loaded | unreadable | already_loaded
    profile: str | None = None
    kind: str | None = None
    rows_read: int = 0
    reason: str | None = None

    @property
    def refused(self) -> bool:
        """True when none of the file's rows were taken (status 'unreadable'; reason says why).

        A file with malformed rows is not refused: those rows are quarantined
        (check malformed_row) and the rest of the file loads.
        """
        return self.status == "unreadable"


@dataclass
class IngestSummary:
    files: list[FileResult] = field(default_factory=list)
    # Files loaded before under an older version of their profile, and what this run did to them.
    revalidations: list[profile_versions.Revalidation] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for f in self.files if f.status == status)

    @property
    def new_files(self) -> list[FileResult]:
        """Files seen for the first time in this run (loaded or refused; not already_loaded)."""
        return [f for f in self.files if f.status != "already_loaded"]

    @property
    def every_new_file_refused(self) -> bool:
        """True when this run had new files and every one of them was refused."""
        new = self.new_files
        return bool(new) and all(f.refused for f in new)


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    run_sql_file(con, "raw/create_tables.sql")


def inbox_files(inbox: Path) -> list[Path]:
    """Candidate data files in the inbox (not hidden files, not documentation)."""
    if not inbox.is_dir():
        raise FileNotFoundError(f"inbox folder not found: {inbox}")
    return sorted(
        p
        for p in inbox.iterdir()
        if p.is_file() and not p.name.startswith((".", "~"))
        and p.suffix.lower() not in IGNORED_SUFFIXES | IN_PROGRESS_SUFFIXES
    )


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


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


def refresh_profile_codes(con: duckdb.DuckDBPyConnection, profiles: list[Profile]) -> None:
    """Store every profile's code lookups (and boolean tokens) for the validation SQL."""
    coded_fields: list[tuple[str, str, str]] = []
    codes: list[tuple[str, str, str, str]] = []
    for profile in profiles:
        for field_name, source in profile.fields.items():
            spec = contract.get_field(profile.kind, field_name)
            if source.lookup:
                lookup = profile.lookups[source.lookup]
                coded_fields.append((profile.name, field_name, lookup.on_unknown))
                codes.extend((profile.name, field_name, code, value) for code, value in lookup.codes.items())
            elif spec.type == "boolean":
                coded_fields.append((profile.name, field_name, "quarantine"))
                codes.extend((profile.name, field_name, normalise_code(t), "true") for t in profile.true_tokens)
                codes.extend((profile.name, field_name, normalise_code(t), "false") for t in profile.false_tokens)
    new_coded_fields = pd.DataFrame(coded_fields, columns=["profile", "field", "on_unknown"])
    # A lookup file may list a code twice (San Diego's lists FP twice); the last entry wins.
    new_codes = pd.DataFrame(codes, columns=["profile", "field", "code", "value"]).drop_duplicates(
        ["profile", "field", "code"], keep="last"
    )
    con.register("new_coded_fields", new_coded_fields)
    con.register("new_codes", new_codes)
    try:
        run_sql_file(con, "raw/refresh_profile_codes.sql")
    finally:
        con.unregister("new_coded_fields")
        con.unregister("new_codes")


def _field_expressions(profile: Profile) -> list[duckdb.Expression]:
    """Relational expressions mapping the file's columns onto the contract's raw table.

    Built with DuckDB's expression API rather than SQL text, so no source column
    name is ever pasted into a query string.
    """
    col = duckdb.ColumnExpression
    expressions: list[duckdb.Expression] = []
    checks: list[duckdb.Expression] = []  # [field, check, text] per two-column time (NULL when fine)
    labels: list[duckdb.Expression] = []  # [field, code, label] per field with a label_column
    for spec in contract.FIELDS[profile.kind]:
        source = profile.fields.get(spec.name)
        if source is not None and source.label_column:
            labels.append(duckdb.FunctionExpression(
                "list_value", duckdb.ConstantExpression(spec.name), col(source.column), col(source.label_column)
            ))
        if source is None:
            text = duckdb.ConstantExpression(None).cast(duckdb.sqltypes.VARCHAR)
            formats: list[str] = []
        elif source.value is not None:
            text = duckdb.ConstantExpression(source.value)
            formats = list(profile.datetime_formats)
        elif source.date_column:
            text = duckdb.FunctionExpression(
                "concat_ws", duckdb.ConstantExpression(" "), col(source.date_column), col(source.time_column)
            )
            parsed, check = _two_column_time(spec.name, source, profile)
            expressions += [text.alias(spec.name), parsed.alias(f"{spec.name}_local")]
            checks.append(check)
            continue
        else:
            text = col(source.column)
            formats = list(profile.datetime_formats)
        expressions.append(text.alias(spec.name))
        if spec.type == "timestamp":
            if formats and source is not None:
                parsed = duckdb.FunctionExpression(
                    "try_strptime", duckdb.FunctionExpression("trim", text), duckdb.ConstantExpression(formats)
                ).cast(duckdb.sqltypes.TIMESTAMP)
            else:
                parsed = duckdb.ConstantExpression(None).cast(duckdb.sqltypes.TIMESTAMP)
            expressions.append(parsed.alias(f"{spec.name}_local"))
    # Kept beside the contract's columns, never inserted into raw.*_rows:
    # row_checks [field, check, text] -> raw.row_checks, code_labels [field, code, label] -> raw.code_labels.
    for name, items in (("row_checks", checks), ("code_labels", labels)):
        extra = (
            duckdb.FunctionExpression("list_value", *items) if items
            else duckdb.ConstantExpression(None).cast(duckdb.list_type(duckdb.list_type(duckdb.sqltypes.VARCHAR)))
        )
        expressions.append(extra.alias(name))
    return expressions


def _parse_all(text: duckdb.Expression, formats: tuple[str, ...]) -> list[duckdb.Expression]:
    trimmed = duckdb.FunctionExpression("trim", text)
    return [
        duckdb.FunctionExpression("try_strptime", trimmed, duckdb.ConstantExpression(f)).cast(duckdb.sqltypes.TIMESTAMP)
        for f in formats
    ]


def _reads_two_ways(parses: list[duckdb.Expression]) -> duckdb.Expression:
    """True when two of the formats read the text as different values (03/04 as March or April)."""
    if len(parses) < 2:
        return duckdb.ConstantExpression(False)
    values = duckdb.FunctionExpression("list_value", *parses)
    distinct = duckdb.FunctionExpression("list_distinct", values)  # drops NULLs
    return duckdb.FunctionExpression("len", distinct) > duckdb.ConstantExpression(1)


def _two_column_time(name: str, source, profile: Profile) -> tuple[duckdb.Expression, duckdb.Expression]:
    """A time given as a date column and a time column, each read by its own formats.

    The value is the date column's day plus the time column's time of day. The check
    (else NULL) is [field, check, text]: inconsistent_date_time when the date column
    carries a time of day other than midnight (a real time, not the fake midnight of
    "6/14/2022 12:00:00 AM"), ambiguous_time when either column reads two ways.
    """
    col, const = duckdb.ColumnExpression, duckdb.ConstantExpression
    date_parses = _parse_all(col(source.date_column), source.date_formats or profile.date_formats)
    time_parses = _parse_all(col(source.time_column), source.time_formats or profile.time_formats)
    day = duckdb.CoalesceOperator(*date_parses)
    clock = duckdb.CoalesceOperator(*time_parses)
    parsed = (day.cast(duckdb.sqltypes.DATE) + clock.cast(duckdb.sqltypes.TIME)).cast(duckdb.sqltypes.TIMESTAMP)
    text = duckdb.FunctionExpression("concat_ws", const(" "), col(source.date_column), col(source.time_column))
    midnight = const("00:00:00").cast(duckdb.sqltypes.TIME)
    check = duckdb.CaseExpression(
        _reads_two_ways(date_parses) | _reads_two_ways(time_parses),
        duckdb.FunctionExpression("list_value", const(name), const("ambiguous_time"), text),
    ).when(
        day.cast(duckdb.sqltypes.TIME) != midnight,
        duckdb.FunctionExpression("list_value", const(name), const("inconsistent_date_time"), text),
    )
    return parsed, check


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
    """True when no column of the row has a value: a line of only delimiters (or null tokens).

    Nulls only, no trimming: a blank check over every column of every row has to be
    cheap. A row of only spaces is still quarantined, by its required fields.
    """
    return duckdb.CoalesceOperator(*(duckdb.ColumnExpression(c) for c in columns)).isnull()


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
    con: duckdb.DuckDBPyConnection, path: Path, profile: Profile, limit: int | None = None
) -> tuple[int, list[str], list[str]]:
    """Read one file through its profile into temp tables, ready to insert.

    mapped_file holds the rows DuckDB read, mapped onto the contract, in file order,
    with blank_row (no value in any column); numbered_file adds each row's data-row
    number; malformed_lines lists the lines that are not a record of the header's
    shape (wrong number of fields, a quote left open) with their row number and why.
    Returns (rows read, the file's columns, its columns no field maps); rows read
    counts every data row, malformed ones included. A file with only a header has
    0 rows. Raises UnreadableFile with a one-line reason when the file cannot be read.
    With `limit`, only the first `limit` well-formed rows are read (heart profile check).
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
        relation.select(
            *_field_expressions(profile), _blank_expression(columns).alias("blank_row")
        ).create_view("mapped_view", replace=True)
        run_sql_file(con, "raw/stage_mapped_file.sql")
        read_ok = con.execute("SELECT count(*) FROM mapped_file").fetchall()[0][0]
        lines = _malformed_lines(con, profile, len(columns))
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


def ingest_inbox(
    con: duckdb.DuckDBPyConnection,
    inbox: Path,
    profiles: list[Profile],
    default_timezone: str,
    progress: Progress = lambda message: None,
) -> IngestSummary:
    """Load every file not seen before; return what happened to each file in the inbox.

    `default_timezone` is the program's (config/program.toml): the zone a profile's
    times are read in unless the profile overrides it. Files loaded under an older
    version of their profile are brought up to date first (pipeline/profile_versions.py).
    """
    ensure_schema(con)
    refresh_profile_codes(con, profiles)
    hashes = {path: file_sha256(path) for path in inbox_files(inbox)}
    versions = {p.name: profile_versions.version(p, default_timezone) for p in profiles}

    def reread(path: Path, file_id: str, profile: Profile, load_seq: int, version: str) -> str:
        progress(f"re-reading {path.name} (profile {profile.name} changed)")
        result = _load_one(con, path, file_id, profile, default_timezone, load_seq, version, replace=True)
        return result.status

    summary = IngestSummary()
    summary.revalidations = profile_versions.bring_up_to_date(
        con, profiles, default_timezone, {file_id: path for path, file_id in hashes.items()}, reread
    )
    known = {row[0] for row in con.execute("SELECT file_id FROM audit.file_loads").fetchall()}
    next_seq = con.execute("SELECT coalesce(max(load_seq), 0) + 1 FROM audit.file_loads").fetchall()[0][0]
    # Each new file with its profile (or why none fits), matched once.
    pending: list[tuple[str, str, Path, Profile | UnreadableFile]] = []
    for path, file_id in hashes.items():
        if file_id in known:
            summary.files.append(FileResult(path.name, "already_loaded"))
            continue
        known.add(file_id)
        try:
            profile: Profile | UnreadableFile = match_profile(path, profiles)
            as_of = profile.export_as_of(path.name) or ""
        except UnreadableFile as exc:
            profile, as_of = exc, ""
        pending.append((as_of, file_id, path, profile))
    # Load the exports in as-of order so load order agrees with export age.
    pending.sort(key=lambda item: (item[0], item[2].name))
    for number, (_, file_id, path, profile) in enumerate(pending, start=1):
        progress(f"[{number}/{len(pending)}] {path.name}")
        version = versions.get(profile.name) if isinstance(profile, Profile) else None
        summary.files.append(_load_one(con, path, file_id, profile, default_timezone, next_seq, version))
        next_seq += 1
    return summary


def _load_one(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    file_id: str,
    profile: Profile | UnreadableFile,
    default_timezone: str,
    load_seq: int,
    profile_version: str | None = None,
    replace: bool = False,
) -> FileResult:
    """Read one file and record it; `replace`: it was loaded before, and its old rows and audit row go."""
    audit = {
        "file_id": file_id,
        "file_name": path.name,
        "file_path": str(path.resolve()),
        "file_bytes": path.stat().st_size,
        "profile": None,
        "kind": None,
        "timezone": None,
        "export_as_of": None,
        "load_seq": load_seq,
        "status": "loaded",
        "error": None,
        "rows_read": 0,
        "columns_read": None,
        "columns_unused": None,
        "profile_version": profile_version,
    }
    try:
        if isinstance(profile, UnreadableFile):
            raise profile
        audit.update(
            profile=profile.name,
            kind=profile.kind,
            timezone=profile.timezone or default_timezone,
            export_as_of=profile.export_as_of(path.name),
        )
        # Staged outside the transaction: rowids of a table created inside one
        # are transaction-local and would not number the rows from 0.
        rows, columns, unused = read_file(con, path, profile)
        audit.update(rows_read=rows, columns_read=len(columns), columns_unused=unused)
        if profile.as_of_field:
            audit.update(export_as_of=as_of_from_rows(con, profile))
    except UnreadableFile as exc:
        audit.update(status="unreadable", error=str(exc), rows_read=0)
    # The file's rows and its audit row land together or not at all.
    con.execute("BEGIN TRANSACTION")
    try:
        if replace:
            run_sql_file(con, "raw/forget_file.sql", {"file_id": file_id})
            if has_table(con, "raw", "row_checks") and has_table(con, "raw", "code_labels"):
                run_sql_file(con, "raw/forget_file_extras.sql", {"file_id": file_id})
        if audit["status"] == "loaded":
            lineage = {"file_id": file_id, "source_file": path.name, "profile": audit["profile"]}
            run_sql_file(con, f"raw/insert_{audit['kind']}_rows.sql", lineage)
            run_sql_file(con, "raw/insert_malformed_rows.sql", {**lineage, "kind": audit["kind"]})
            run_sql_file(con, "raw/insert_row_extras.sql", {**lineage, "kind": audit["kind"]})
        run_sql_file(con, "raw/record_file_load.sql", audit)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    finally:
        run_sql_file(con, "raw/drop_mapped_file.sql")
    return FileResult(
        path.name,
        audit["status"],
        profile=audit["profile"],
        kind=audit["kind"],
        rows_read=audit["rows_read"],
        reason=audit["error"],
    )
