"""The one plain build chain: inbox -> raw -> staging/quarantine/audit -> marts -> metric_values.

The Dagster assets (pipeline/defs/) run these same steps one asset at a time,
with checks between them; everything else that needs a built warehouse — the
tests, the benchmark, the data-dictionary generator (pipeline/warehouse/catalog.py) —
calls the functions here rather than writing the chain out again.

    validate_all(con)                         staging, quarantine and audit from raw (what is new; full=True: all)
    ingest_and_validate(con, inbox, ...)      read the inbox, then validate_all
    build_marts_and_metrics(con, program)     marts and metrics.metric_values (incrementally when it can);
                                              the scenario and impact tables, empty (their assets fill them)
    build_warehouse(path, inbox, program)     all of it into a new DuckDB file
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb

from pipeline import validate, warehouse
from pipeline.ingest import IngestSummary, ingest_inbox
from pipeline.marts import build_marts
from pipeline.metrics import build_metric_values
from pipeline.ingest.profiles import load_profiles
from pipeline.program import ProgramConfig
from pipeline.impact.results import ensure_tables as ensure_impact_tables
from pipeline.scenarios.results import ensure_tables as ensure_scenario_tables
from pipeline.settings import DEFAULT_PROFILES, DEFAULT_TIMEZONE


def validate_all(con: duckdb.DuckDBPyConnection, clock: datetime | None = None, full: bool = False) -> None:
    """Bring staging, quarantine and the load audit up to date with the raw tables (in dependency
    order, in one transaction): the rows not validated before, or every row when `full`."""
    with validate.transaction(con):
        validate.build_cad(con, clock=clock, full=full)
        validate.build_heart(con, clock=clock, full=full)
        validate.build_load_audit(con)


def ingest_and_validate(
    con: duckdb.DuckDBPyConnection,
    inbox: Path,
    profiles_dir: Path = DEFAULT_PROFILES,
    timezone: str = DEFAULT_TIMEZONE,
    clock: datetime | None = None,
    full: bool = False,
) -> IngestSummary:
    """Read every new file in the inbox and validate what is new (`full`: everything); returns the ingest summary."""
    summary = ingest_inbox(con, inbox, load_profiles(profiles_dir), timezone)
    validate_all(con, clock=clock, full=full)
    return summary


def build_marts_and_metrics(con: duckdb.DuckDBPyConnection, program: ProgramConfig, full: bool = False) -> int:
    """The program configuration, every mart and metrics.metric_values; returns the metric rows in metric_values.

    Incremental when the validate stage recorded what its run changed (staging.changed_incidents,
    staging.changed_responses) and nothing else that the marts or metrics depend on changed;
    `full` rebuilds everything from staging regardless (pipeline/marts.py, pipeline/metrics/compute.py).
    """
    build_marts(con, program, full=full)
    count = build_metric_values(con, program.fiscal_year_start_month, full=full)
    # The expansion scenarios' tables, empty until the scenario asset fills them (`heart run`), so the
    # catalog and the data dictionary see every table.
    ensure_scenario_tables(con)
    ensure_impact_tables(con)   # likewise the impact estimates (the impact asset fills them)
    return count


def build_warehouse(
    path: Path,
    inbox: Path,
    program: ProgramConfig,
    profiles_dir: Path = DEFAULT_PROFILES,
    timezone: str = DEFAULT_TIMEZONE,
) -> Path:
    """The whole chain into the DuckDB file at `path`; the connection is closed on return."""
    with warehouse.connect(path) as con:
        ingest_and_validate(con, inbox, profiles_dir, timezone)
        build_marts_and_metrics(con, program)
    return path
