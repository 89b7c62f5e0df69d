"""The SQL checks: every file sql/checks/<asset>/<check>.sql, turned into Dagster asset checks by one runner.

A check file opens with a header naming the check, the asset it guards (as
the asset key's path, `metrics/metric_values`), what it guards and whether a
failure blocks what is downstream:

    -- check: answered_plus_unmet_equals_eligible
    -- asset: metrics/metric_values
    -- guards: In every period, eligible calls = answered + unmet.
    -- blocking: yes

and then one query returning one row: `failures` (0 when the check passes)
and `example` (one failing row, in words). `check_specs` gives the asset's
Dagster check specs, `run_checks` their results; the Dagster asset that builds
the table yields them (pipeline/defs/). The pandera contract checks on the
canonical tables live beside the validate stage (pipeline/validate/contract_checks.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import duckdb

from pipeline.settings import SQL_DIR
from pipeline.warehouse.sqlfiles import query_sql_file, read_header

CHECKS_DIR = SQL_DIR / "checks"
HEADER_KEYS = ("check", "asset", "guards", "blocking")


class CheckFileError(ValueError):
    """A check file whose header is missing a key or names the wrong check."""


@dataclass(frozen=True)
class SqlCheck:
    name: str
    asset: tuple[str, ...]
    guards: str
    blocking: bool
    path: Path

    @property
    def asset_key(self) -> dg.AssetKey:
        return dg.AssetKey(list(self.asset))

    @property
    def sql_path(self) -> str:
        return self.path.relative_to(SQL_DIR).as_posix()


def parse_check(path: Path) -> SqlCheck:
    header = read_header(path.read_text(encoding="utf-8"))
    missing = [k for k in HEADER_KEYS if not header.get(k)]
    if missing:
        raise CheckFileError(f"{path}: header lacks {', '.join(missing)}")
    if header["check"] != path.stem:
        raise CheckFileError(f"{path}: the header names check {header['check']!r}, the file {path.stem!r}")
    if header["blocking"] not in ("yes", "no"):
        raise CheckFileError(f"{path}: blocking must be yes or no, not {header['blocking']!r}")
    return SqlCheck(header["check"], tuple(header["asset"].split("/")), header["guards"],
                    header["blocking"] == "yes", path)


def load_checks(folder: str) -> list[SqlCheck]:
    """The checks in sql/checks/<folder>/, in file-name order."""
    return [parse_check(p) for p in sorted((CHECKS_DIR / folder).glob("*.sql"))]


def check_specs(folder: str) -> list[dg.AssetCheckSpec]:
    return [dg.AssetCheckSpec(c.name, asset=c.asset_key, description=c.guards, blocking=c.blocking)
            for c in load_checks(folder)]


def run_checks(con: duckdb.DuckDBPyConnection, folder: str) -> list[dict]:
    """Each check's check_name, failures and example."""
    results = []
    for check in load_checks(folder):
        row = query_sql_file(con, check.sql_path)[0]
        results.append({"check_name": check.name, "failures": int(row["failures"]), "example": row["example"]})
    return results


def check_results(con: duckdb.DuckDBPyConnection, folder: str) -> list[dg.AssetCheckResult]:
    """The folder's checks run, as Dagster check results (failing rows and an example as metadata)."""
    by_name = {c.name: c for c in load_checks(folder)}
    return [
        dg.AssetCheckResult(
            asset_key=by_name[r["check_name"]].asset_key, check_name=r["check_name"], passed=r["failures"] == 0,
            metadata={"failing_rows": r["failures"], "example": r["example"] or "none"},
        )
        for r in run_checks(con, folder)
    ]
