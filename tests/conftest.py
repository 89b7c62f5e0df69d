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
