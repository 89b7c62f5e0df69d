"""Run the SQL files under sql/ against a DuckDB connection with bound parameters.

Every transformation lives in a .sql file an analyst can read. Files may hold
several statements; each statement receives only the named parameters
($name) it uses, so one parameter dict serves a whole file.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from functools import cache
from typing import Any

import duckdb

from pipeline.settings import SQL_DIR


# A SQL file's comment header: `-- key: value`, continued on lines indented after `--`
# (the metric files in sql/metrics/, the worked questions in sql/examples/).
HEADER_LINE = re.compile(r"^--\s?([a-z_]+):\s*(.*)$")
CONTINUATION = re.compile(r"^--\s{2,}(.*)$")


def read_header(text: str) -> dict[str, str]:
    """The `-- key: value` header at the top of a SQL file's text, continuations joined."""
    values: dict[str, str] = {}
    key = None
    for line in text.splitlines():
        if not line.startswith("--"):
            break
        continued = CONTINUATION.match(line)
        matched = HEADER_LINE.match(line)
        if continued and key:
            values[key] += " " + continued.group(1).strip()
        elif matched:
            key = matched.group(1)
            values[key] = matched.group(2).strip()
    return values


def quote_identifier(name: str) -> str:
    """A SQL identifier in double quotes, inner quotes doubled: for names that cannot be bound as parameters."""
    return '"' + name.replace('"', '""') + '"'


@cache
def read_sql(relative_path: str) -> str:
    return (SQL_DIR / relative_path).read_text(encoding="utf-8")


def run_sql(con: duckdb.DuckDBPyConnection, sql: str, params: dict[str, Any] | None = None, source: str = "SQL"):
    """Execute every statement of `sql`, each with the named parameters it uses; returns the connection after
    the last one. For SQL a caller composes from a file (e.g. a mart's query wrapped in CREATE TABLE ... AS)."""
    params = params or {}
    result = None
    for statement in duckdb.extract_statements(sql):
        missing = statement.named_parameters - params.keys()
        if missing:
            raise KeyError(f"{source} needs parameters {sorted(missing)}")
        result = con.execute(statement, {name: params[name] for name in statement.named_parameters})
    return result


def run_sql_file(con: duckdb.DuckDBPyConnection, relative_path: str, params: dict[str, Any] | None = None):
    """Execute every statement of a SQL file; returns the connection after the last one."""
    return run_sql(con, read_sql(relative_path), params, source=relative_path)


def query_sql_file(con: duckdb.DuckDBPyConnection, relative_path: str, params: dict[str, Any] | None = None):
    """Run a single-query SQL file and return its rows as a list of dicts."""
    cursor = run_sql_file(con, relative_path, params)
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, row)) for row in cursor.fetchall()]


@contextmanager
def registered(con: duckdb.DuckDBPyConnection, tables: Mapping[str, Any]) -> Iterator[None]:
    """The frames or Arrow tables visible to SQL under their names for the block, and gone after it
    (a registered name left behind would shadow a later one of the same name)."""
    for name, table in tables.items():
        con.register(name, table)
    try:
        yield
    finally:
        for name in tables:
            con.unregister(name)
