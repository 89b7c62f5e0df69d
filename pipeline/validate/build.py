"""Validation: type the raw rows, run the row-level checks in DuckDB, split accepted from quarantined.

Only what is new is validated. audit.validated_files records each file validated and
what it was validated under (its load, its profile's version and lookups:
sql/validate/file_inputs.sql; and the validator, a hash of the validation's SQL and
the contract's codes). A run types and checks the rows of the files not validated
before or validated under other inputs (new files, files re-validated or re-read
under a changed profile), plus the few rows of other files whose checks depend on
something outside their file: the run's clock (future_time) and, for HEART, the CAD
incidents this run changed (time_order across sources); it replaces their rows in
staging, quarantine and audit.duplicate_rows, then rebuilds the canonical tables for
the incidents and responses it touched (staging.changed_incidents,
staging.changed_responses). The result is the same as a full rebuild with the same
clock, which runs when asked (full=True), when the validator changed, or when a
table is missing: every table validation writes is dropped and built from all raw rows.

The checks themselves are SQL under sql/validate/; the allowed codes come from
the contract. The pandera checks in pipeline/validate/contract_checks.py then hold the
canonical tables to the contract as asset checks.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import cache
from pathlib import Path

import duckdb

from pipeline.ingest import contract
from pipeline.disclosure.redaction import code_columns
from pipeline.settings import SQL_DIR
from pipeline.warehouse.session import has_table
from pipeline.warehouse.sqlfiles import query_sql_file, run_sql_file

# The tables each side's validation writes (sql/validate/create_tables.sql): a full rebuild drops them.
TABLES = {
    "cad": ("staging.cad_rows", "quarantine.cad_failures", "staging.cad_incidents", "staging.cad_unit_assignments"),
    "heart": ("staging.heart_rows", "quarantine.heart_failures", "staging.heart_responses"),
}
SHARED_TABLES = ("audit.validated_files", "audit.duplicate_rows", "staging.changed_incidents",
                 "staging.changed_responses")


def define_macros(con: duckdb.DuckDBPyConnection) -> None:
    """Per-connection helpers the staging SQL uses: macros."""
    run_sql_file(con, "staging/macros.sql")


def run_clock(clock: datetime | None = None) -> datetime:
    """The instant validation judges "in the future" against: `clock`, or now (UTC)."""
    if clock is None:
        return datetime.now(timezone.utc)
    if clock.tzinfo is None:
        raise ValueError("the run's clock must be an aware datetime (with a time zone)")
    return clock


@cache
def validator_version() -> str:
    """A hash of everything that decides a row's outcome besides the row, its file and its profile:
    the validation's SQL (sql/staging/ but the program's tables, sql/validate/), this module and the
    contract's codes. When it changes, the next run rebuilds staging and quarantine from all raw rows."""
    digest = hashlib.sha256()
    sources = [p for p in sorted((SQL_DIR / "staging").glob("*.sql")) if p.name != "program_config.sql"]
    for path in [*sources, *sorted((SQL_DIR / "validate").glob("*.sql")), Path(__file__)]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    codes = (contract.DISCIPLINES, contract.HEART_UNITS, contract.CONTACT_MODES, contract.OUTCOMES)
    digest.update(repr(codes).encode())
    return digest.hexdigest()[:16]


def _starts_over(con: duckdb.DuckDBPyConnection, kind: str, full: bool) -> bool:
    """Whether this side's validation is a full rebuild: asked for, a table missing (a new warehouse,
    or one built before validation was incremental), no file validated yet, or another validator."""
    if full or not all(has_table(con, *name.split(".")) for name in (*TABLES[kind], *SHARED_TABLES)):
        return True
    files, current = con.execute(
        "SELECT count(*), count(*) FILTER (validator = $validator) FROM audit.validated_files WHERE kind = $kind",
        {"validator": validator_version(), "kind": kind},
    ).fetchall()[0]
    return files == 0 or current < files


def _begin(con: duckdb.DuckDBPyConnection, kind: str, full: bool, clock: datetime | None) -> dict:
    """The tables, the full rebuild if one is due, which rows to validate and their local hours;
    returns the parameters of the side's SQL files."""
    define_macros(con)
    full = _starts_over(con, kind, full)
    run_sql_file(con, "validate/create_tables.sql")
    if full:
        run_sql_file(con, f"validate/{kind}_start_over.sql")
        run_sql_file(con, "validate/create_tables.sql")
    params = {"validator": validator_version(), "clock": run_clock(clock)}
    run_sql_file(con, "validate/file_inputs.sql")
    run_sql_file(con, f"validate/{kind}_scope.sql", params)
    if not full:
        run_sql_file(con, f"validate/{kind}_touched.sql")
    run_sql_file(con, "staging/local_hours.sql")
    run_sql_file(con, f"staging/{kind}_rows_typed.sql")
    run_sql_file(con, f"validate/{kind}_forget.sql")
    run_sql_file(con, f"validate/{kind}_duplicates.sql")
    return params


def build_cad(con: duckdb.DuckDBPyConnection, clock: datetime | None = None, full: bool = False) -> None:
    """Type and check the CAD rows not validated before; the accepted rows, their failures and the
    canonical incident tables, for the incidents touched (staging.changed_incidents).

    `clock` is the run's clock (default: now); a time more than a day after it is quarantined.
    `full` rebuilds every CAD table from all raw rows.
    """
    params = _begin(con, "cad", full, clock)
    run_sql_file(con, "validate/cad_failures.sql", {**params, "disciplines": list(contract.DISCIPLINES)})
    run_sql_file(con, "staging/cad_rows.sql")
    run_sql_file(con, "validate/cad_validated.sql", params)
    run_sql_file(con, "staging/cad_incidents.sql")


def build_heart(con: duckdb.DuckDBPyConnection, clock: datetime | None = None, full: bool = False) -> None:
    """Type and check the HEART rows not validated before, and those linked to a CAD incident
    build_cad changed; the accepted rows, their failures and staging.heart_responses for the
    responses touched (staging.changed_responses). Run after build_cad: the checks across sources
    compare HEART times with staging.cad_incidents.

    `clock` is the run's clock (default: now); a time more than a day after it is quarantined.
    `full` rebuilds every HEART table from all raw rows.
    """
    params = _begin(con, "heart", full, clock)
    run_sql_file(
        con,
        "validate/heart_failures.sql",
        {
            **params,
            "units": list(contract.HEART_UNITS),
            "contact_modes": list(contract.CONTACT_MODES),
            "outcomes": list(contract.OUTCOMES),
        },
    )
    run_sql_file(con, "staging/heart_rows.sql")
    run_sql_file(con, "validate/heart_validated.sql", params)
    run_sql_file(con, "validate/heart_changed.sql")
    build_heart_responses(con)


def build_heart_responses(con: duckdb.DuckDBPyConnection) -> None:
    """Rebuild staging.heart_responses for the responses the latest build_heart touched
    (build_heart does it; idempotent)."""
    run_sql_file(con, "validate/create_tables.sql")
    run_sql_file(con, "staging/heart_responses.sql")


def build_load_audit(con: duckdb.DuckDBPyConnection) -> None:
    run_sql_file(con, "validate/create_tables.sql")
    run_sql_file(con, "audit/load_audit.sql")


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """One transaction around a validation: staging, quarantine and audit.validated_files change
    together or not at all, so an interrupted run leaves the last validated state.

    Mind a DuckDB 2.0.0 fault when changing the SQL it runs: a table appended to with no rows and
    then with many (a row group, ~120k, or more) in one transaction answers queries that use its
    statistics (DISTINCT, filters) as if it were empty, until the database is reopened. So each
    table gets at most one INSERT per side (CAD, HEART), and the touched ids are one CREATE TABLE
    AS each, never appended to; the tables both sides append to (audit.validated_files,
    audit.duplicate_rows) take far fewer rows from the HEART side than a row group.
    """
    con.execute("BEGIN TRANSACTION")
    try:
        yield con
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


@dataclass(frozen=True)
class QuarantineShare:
    kind: str
    rows_read: int
    rows_quarantined: int

    @property
    def share(self) -> float:
        return self.rows_quarantined / self.rows_read if self.rows_read else 0.0


def quarantine_share(con: duckdb.DuckDBPyConnection, kind: str) -> QuarantineShare:
    """Rows read and quarantined for a source, as its blocking check counts them
    (sql/checks/staging_<kind>_rows/<kind>_quarantine_share_within_limit.sql: one definition)."""
    from pipeline import checks   # checks builds Dagster specs; imported only when a share is asked for

    check = checks.load_check(f"staging_{kind}_rows", f"{kind}_quarantine_share_within_limit")
    figures = checks.run_check(con, check, {"limit": 1.0}).figures
    return QuarantineShare(kind, int(figures["rows_read"]), int(figures["rows_quarantined"]))


def load_audit_rows(con: duckdb.DuckDBPyConnection) -> list[dict]:
    return query_sql_file(con, "audit/load_audit_rows.sql")


def top_quarantine_reasons(con: duckdb.DuckDBPyConnection, limit: int = 8, kind: str | None = None) -> list[dict]:
    """The most frequent quarantine reasons, of one source or all; an example value only from code columns."""
    return query_sql_file(con, "audit/top_quarantine_reasons.sql",
                          {"limit": limit, "kind": kind, "code_columns": code_columns()})
