"""Shared helpers: build a warehouse from fixture folders with the plain pipeline functions."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipeline import validate, warehouse
from pipeline.ingest import ingest_inbox
from pipeline.profiles import load_profiles
from pipeline.settings import DEFAULT_PROFILES

FIXTURES = Path(__file__).parent / "fixtures"
DURHAM_SMALL = FIXTURES / "durham_small"


def copy_into(inbox: Path, *sources: Path) -> Path:
    inbox.mkdir(parents=True, exist_ok=True)
    for source in sources:
        files = [source] if source.is_file() else sorted(p for p in source.iterdir() if p.is_file())
        for path in files:
            shutil.copy2(path, inbox / path.name)
    return inbox


def build(con, inbox: Path, profiles_dir: Path = DEFAULT_PROFILES, timezone: str = "America/New_York"):
    """Ingest the inbox and rebuild every validated table; returns the ingest summary."""
    summary = ingest_inbox(con, inbox, load_profiles(profiles_dir), timezone)
    validate.build_cad(con)
    validate.build_heart(con)
    validate.build_heart_responses(con)
    validate.build_load_audit(con)
    return summary


@pytest.fixture
def con(tmp_path):
    with warehouse.connect(tmp_path / "test.duckdb") as connection:
        yield connection


def rows(con, sql: str, params=None) -> list[tuple]:
    return con.execute(sql, params or []).fetchall()


METRICS_SMALL = FIXTURES / "metrics_small"


def build_metrics_warehouse(tmp: Path, fixture: Path = METRICS_SMALL, extra_inputs: tuple[Path, ...] = ()):
    """Ingest a fixture inbox (plus extra files) and build marts and metric_values; returns (path, program).

    The connection is closed on return, so tests can reopen the file as they need.
    """
    from pipeline.marts import build_marts
    from pipeline.metrics import build_metric_values
    from pipeline.program import load_program

    path = tmp / "warehouse.duckdb"
    program = load_program(fixture / "program.toml")
    with warehouse.connect(path) as connection:
        build(connection, copy_into(tmp / "inbox", fixture / "inbox", *extra_inputs))
        build_marts(connection, program)
        build_metric_values(connection, program.fiscal_year_start_month)
    return path, program


@pytest.fixture(scope="session")
def metrics_small_warehouse(tmp_path_factory):
    """The hand-worked metrics_small fixture as a built warehouse (read it, don't write it)."""
    return build_metrics_warehouse(tmp_path_factory.mktemp("metrics_small_warehouse"))
