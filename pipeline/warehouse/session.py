"""Opening the warehouse: every connection gets the same session settings; whether a table exists."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from pipeline.warehouse.sqlfiles import run_sql_file


def prepare(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    run_sql_file(con, "session.sql")
    return con


@contextmanager
def connect(path: Path | str, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    con = duckdb.connect(str(path), read_only=read_only)
    try:
        yield prepare(con)
    finally:
        con.close()


def has_table(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    rows = con.execute(
        # This database's own tables and views only: not those of a database attached beside it.
        "SELECT count(*) FROM information_schema.tables WHERE table_catalog = current_database() "
        "AND table_schema = ? AND table_name = ?", [schema, table]
    ).fetchall()
    return rows[0][0] > 0
