"""The warehouse opened read-only, statements run one by one, results printed as a table, CSV or JSON."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb

from pipeline import warehouse
from pipeline.cli import output

DEFAULT_MAX_ROWS = 200
CELL_WIDTH = 80
FORMATS = ("table", "csv", "json")

_READ_ONLY_ERROR = re.compile(
    r'Cannot execute statement of type "([A-Z_ ]+)" on database "[^"]*" which is attached in read-only mode'
)
_ATTACH_FOR_WRITING = re.compile(r"\bREAD_WRITE\b|\bREAD_ONLY\s*(?:=\s*)?(?:FALSE|0)\b", re.IGNORECASE)


class SqlError(Exception):
    """A problem to show as one line: a bad query, a refused write, a missing file."""


@dataclass(frozen=True)
class Result:
    columns: list[str]
    rows: list[tuple]
    total: int  # rows the query returned; more than len(rows) when output was capped

    @property
    def more(self) -> int:
        return self.total - len(self.rows)


# --- the warehouse, read-only ---------------------------------------------------------------


def _one_line(exc: BaseException) -> str:
    """DuckDB's message on one line: its first line, plus its "Did you mean" hint when it gives one."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    if not lines:
        return type(exc).__name__
    text = lines[0]
    hint = next((line for line in lines[1:] if line.startswith("Did you mean")), None)
    return f"{text} {hint}" if hint else text


def _sql_error(exc: duckdb.Error) -> SqlError:
    message = str(exc)
    refused = _READ_ONLY_ERROR.search(message)
    if refused:
        return SqlError(
            f"the analysts' warehouse is read-only; {refused.group(1)} statements cannot change it "
            "(TEMP tables are allowed; the warehouse itself is rebuilt by `heart run`)"
        )
    return SqlError(_one_line(exc))


def open_warehouse(path: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the published warehouse, with the pipeline's session settings."""
    path = Path(path)
    if not path.is_file():
        raise SqlError(f"no published warehouse at {path} yet: run `heart run` first")
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error as exc:
        text = str(exc)
        if "Conflicting lock" in text or "Could not set lock" in text:
            raise SqlError(
                f"the warehouse {path} is held open for writing by another program "
                "(a `heart run` in progress?); try again when it has finished"
            ) from exc
        raise SqlError(f"cannot read the warehouse {path}: {_one_line(exc)}") from exc
    try:
        return warehouse.prepare(con)
    except Exception:
        con.close()
        raise


def _statements(sql: str) -> list:
    try:
        statements = duckdb.extract_statements(sql)
    except duckdb.Error as exc:
        raise _sql_error(exc) from exc
    if not statements:
        raise SqlError("no SQL statement to run")
    for statement in statements:
        if statement.type == duckdb.StatementType.ATTACH and _ATTACH_FOR_WRITING.search(statement.query):
            raise SqlError("the analysts' warehouse is read-only; ATTACH is allowed only read-only here")
    return statements


def execute(con: duckdb.DuckDBPyConnection, sql: str, max_rows: int | None = None) -> Result:
    """Run every statement of `sql`; the last one's rows (at most max_rows kept, all counted)."""
    cursor = None
    try:
        for statement in _statements(sql):
            cursor = con.execute(statement)
        if cursor is None or cursor.description is None:
            return Result([], [], 0)
        columns = [d[0] for d in cursor.description]
        if max_rows is None:
            rows = cursor.fetchall()
            return Result(columns, rows, len(rows))
        rows = cursor.fetchmany(max_rows) if max_rows > 0 else []
        total = len(rows)
        while chunk := cursor.fetchmany(10_000):
            total += len(chunk)
        return Result(columns, rows, total)
    except duckdb.Error as exc:
        raise _sql_error(exc) from exc


def run_query(path: Path, sql: str) -> tuple[list[str], list[tuple]]:
    """Run `sql` read-only against the warehouse file at `path`; (column names, rows)."""
    con = open_warehouse(path)
    try:
        result = execute(con, sql)
    finally:
        con.close()
    return result.columns, result.rows


# --- output -------------------------------------------------------------------------------


def _cell(value: Any) -> str:
    """One value as table text."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return str(value)
        if value == 0 or 1e-4 <= abs(value) < 1e15:
            text = f"{value:.6f}".rstrip("0").rstrip(".")
            return "0" if text in ("-0", "") else text
        return f"{value:.6g}"
    if isinstance(value, (list, dict, tuple)):
        text = json.dumps(output.plain_value(value), ensure_ascii=False)
    else:
        text = str(value)
    text = text.replace("\r", "\\r").replace("\n", "\\n").replace("\t", " ")
    return text if len(text) <= CELL_WIDTH else text[: CELL_WIDTH - 1] + "…"


def _unique(columns: Sequence[str]) -> list[str]:
    """Column names as keys: a repeated name gets _2, _3 (SELECT 1 AS a, 2 AS a)."""
    seen: dict[str, int] = {}
    names = []
    for column in columns:
        seen[column] = seen.get(column, 0) + 1
        names.append(column if seen[column] == 1 else f"{column}_{seen[column]}")
    return names


def render(result: Result, fmt: str, all_rows_hint: str = "use --format csv for all of them") -> str:
    if fmt in ("csv", "json"):
        columns = _unique(result.columns)
        rows = [{c: output.plain_value(v) for c, v in zip(columns, row)} for row in result.rows]
        if fmt == "json":
            return output.to_json(rows)
        return output.to_csv(rows, columns).rstrip("\n") if columns else ""
    if not result.columns:
        return "OK"
    numeric = [
        bool(result.rows) and all(
            isinstance(r[i], (int, float, Decimal)) and not isinstance(r[i], bool) for r in result.rows
            if r[i] is not None
        )
        for i in range(len(result.columns))
    ]
    text = output.to_table([[_cell(v) for v in row] for row in result.rows], result.columns, numeric)
    shown = len(result.rows)
    footer = f"({shown} row{'' if shown == 1 else 's'})"
    if result.more:
        footer = f"(first {shown} rows shown; {result.more} more row{'' if result.more == 1 else 's'}; {all_rows_hint})"
    return f"{text}\n{footer}"
