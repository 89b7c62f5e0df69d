"""Validation: type the raw rows, run the row-level checks in DuckDB, split accepted from quarantined.

Everything is rebuilt from the raw tables on each run (fast in DuckDB, and it
makes re-runs idempotent and lets a corrected profile re-validate old files).
The checks themselves are SQL under sql/validate/; the allowed codes come from
the contract. The pandera checks in pipeline/validate/contract_checks.py then hold the
canonical tables to the contract as asset checks.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

import duckdb

from pipeline.ingest import contract
from pipeline.warehouse.sqlfiles import query_sql_file, run_sql_file


def define_macros(con: duckdb.DuckDBPyConnection) -> None:
    """Per-connection helpers the staging SQL uses: macros and the local-hour table."""
    run_sql_file(con, "staging/macros.sql")
    run_sql_file(con, "staging/local_hours.sql")


def run_clock(clock: datetime | None = None) -> datetime:
    """The instant validation judges "in the future" against: `clock`, or now (UTC)."""
    if clock is None:
        return datetime.now(timezone.utc)
    if clock.tzinfo is None:
        raise ValueError("the run's clock must be an aware datetime (with a time zone)")
    return clock


def build_cad(con: duckdb.DuckDBPyConnection, clock: datetime | None = None) -> None:
    """Typed CAD rows, their failures, the accepted rows and the canonical incident tables.

    `clock` is the run's clock (default: now); a time more than a day after it is quarantined.
    """
    define_macros(con)
    run_sql_file(con, "staging/cad_rows_typed.sql")
    run_sql_file(con, "validate/cad_duplicates.sql")
    run_sql_file(
        con, "validate/cad_failures.sql", {"disciplines": list(contract.DISCIPLINES), "clock": run_clock(clock)}
    )
    run_sql_file(con, "staging/cad_rows.sql")
    run_sql_file(con, "staging/cad_incidents.sql")


def build_heart(con: duckdb.DuckDBPyConnection, clock: datetime | None = None) -> None:
    """Typed HEART rows, their failures and the accepted rows. Run after build_cad: the
    checks across sources compare HEART times with staging.cad_incidents.

    `clock` is the run's clock (default: now); a time more than a day after it is quarantined.
    """
    define_macros(con)
    run_sql_file(con, "staging/heart_rows_typed.sql")
    run_sql_file(con, "validate/heart_duplicates.sql")
    run_sql_file(
        con,
        "validate/heart_failures.sql",
        {
            "units": list(contract.HEART_UNITS),
            "contact_modes": list(contract.CONTACT_MODES),
            "outcomes": list(contract.OUTCOMES),
            "clock": run_clock(clock),
        },
    )
    run_sql_file(con, "staging/heart_rows.sql")


def build_heart_responses(con: duckdb.DuckDBPyConnection) -> None:
    run_sql_file(con, "staging/heart_responses.sql")


def build_load_audit(con: duckdb.DuckDBPyConnection) -> None:
    run_sql_file(con, "audit/load_audit.sql")


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


def top_quarantine_reasons(con: duckdb.DuckDBPyConnection, limit: int = 8) -> list[dict]:
    return query_sql_file(con, "audit/top_quarantine_reasons.sql", {"limit": limit})
