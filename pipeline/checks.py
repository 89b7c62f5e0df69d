"""The SQL checks: every file sql/checks/<asset>/<check>.sql, turned into Dagster asset checks by one runner.

A check file opens with a header naming the check, the asset it guards (as
the asset key's path, `metrics/metric_values`), what it guards and whether a
failure blocks what is downstream:

    -- check: answered_plus_unmet_equals_eligible
    -- asset: metrics/metric_values
    -- guards: In every period, eligible calls = answered + unmet.
    -- blocking: yes

and then one query returning one row: `failures` (0 when the check passes) and
either `example` (one failing row, in words) or the figures that explain the
result, one column each (rows read, the limit, ...), in the order a person
should read them; an optional `description` column is the result's one-line
summary. Parameters are bound by name (`$limit`): `run_checks` passes each
query the ones it uses from the dict it is given. `check_specs` gives an
asset's Dagster check specs, `check_results` their results; the Dagster asset
that builds the table yields them (pipeline/defs/). The pandera contract checks
on the canonical tables live beside the validate stage
(pipeline/validate/contract_checks.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

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


def load_check(folder: str, name: str) -> SqlCheck:
    """One check, sql/checks/<folder>/<name>.sql."""
    return parse_check(CHECKS_DIR / folder / f"{name}.sql")


def check_specs(folder: str) -> list[dg.AssetCheckSpec]:
    return [dg.AssetCheckSpec(c.name, asset=c.asset_key, description=c.guards, blocking=c.blocking)
            for c in load_checks(folder)]


@dataclass(frozen=True)
class CheckOutcome:
    check: SqlCheck
    failures: int
    description: str | None
    figures: dict[str, Any]     # every other column: `example`, or the figures behind the result

    @property
    def passed(self) -> bool:
        return self.failures == 0

    @property
    def metadata(self) -> dict[str, Any]:
        """The figures; a check that returns only an example shows the failing rows' count beside it."""
        if set(self.figures) <= {"example"}:
            return {"failing_rows": self.failures, "example": self.figures.get("example") or "none"}
        return dict(self.figures)

    def result(self) -> dg.AssetCheckResult:
        return dg.AssetCheckResult(asset_key=self.check.asset_key, check_name=self.check.name, passed=self.passed,
                                   metadata=self.metadata, description=self.description)


def run_check(con: duckdb.DuckDBPyConnection, check: SqlCheck, params: dict[str, Any] | None = None) -> CheckOutcome:
    row = query_sql_file(con, check.sql_path, params)[0]
    figures = {k: v for k, v in row.items() if k not in ("failures", "description")}
    return CheckOutcome(check, int(row["failures"]), row.get("description"), figures)


def run_checks(con: duckdb.DuckDBPyConnection, folder: str, params: dict[str, Any] | None = None) -> list[CheckOutcome]:
    """Every check in sql/checks/<folder>/, run on `con`, in file-name order."""
    return [run_check(con, check, params) for check in load_checks(folder)]


def check_results(con: duckdb.DuckDBPyConnection, folder: str,
                  params: dict[str, Any] | None = None) -> list[dg.AssetCheckResult]:
    """The folder's checks run, as Dagster check results (figures, or failing rows and an example, as metadata)."""
    return [outcome.result() for outcome in run_checks(con, folder, params)]
