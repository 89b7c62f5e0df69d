"""Shared helpers: build a warehouse from fixture folders with the plain pipeline functions."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipeline import warehouse
from pipeline.build import build_marts_and_metrics, ingest_and_validate
from pipeline.program import load_program
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
    return ingest_and_validate(con, inbox, profiles_dir, timezone)


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
    path = tmp / "warehouse.duckdb"
    program = load_program(fixture / "program.toml")
    with warehouse.connect(path) as connection:
        build(connection, copy_into(tmp / "inbox", fixture / "inbox", *extra_inputs))
        build_marts_and_metrics(connection, program)
    return path, program


@pytest.fixture(scope="session")
def sample_city_run(tmp_path_factory, worker_id):
    """One `heart run` on data_samples/ for the whole session: the folder holding its published warehouse
    (heart.duckdb) and reports/. Shared by the slow end-to-end tests that only read it (a copy to write).

    Under pytest-xdist every worker is its own session: the first to ask builds it in the folder all the
    workers of this run share (the parent of their base temp, new for each run), the others wait on a lock
    and read it, so the ~90 s run happens once, not once per worker."""
    from filelock import FileLock

    from pipeline.cli import main

    if worker_id == "master":          # not distributed
        out = tmp_path_factory.mktemp("sample_city_run")
        return _sample_city_run(main, out)
    shared = tmp_path_factory.getbasetemp().parent / "sample_city_run"
    with FileLock(str(shared) + ".lock"):
        if (shared / "built").is_file():
            return shared
        shared.mkdir(exist_ok=True)
        _sample_city_run(main, shared)
        (shared / "built").touch()
    return shared


def _sample_city_run(main, out: Path) -> Path:
    code = main(["run", "--inbox", str(FIXTURES.parent.parent / "data_samples"),
                 "--warehouse", str(out / "heart.duckdb"), "--reports", str(out / "reports")])
    assert code == 0
    return out


@pytest.fixture(scope="session")
def metrics_small_warehouse(tmp_path_factory):
    """The hand-worked metrics_small fixture as a built warehouse (read it, don't write it)."""
    return build_metrics_warehouse(tmp_path_factory.mktemp("metrics_small_warehouse"))


# Strings planted in the canary fixture's input; none may reach a report (see test_report_privacy.py).
CANARY = {
    "name": "Jane Canaryfield",
    "phone": "(919) 555-0142",
    "address": "1234 Canary Lane",
    "narrative": "Caller says her brother has not slept in four days and is talking about the bridge",
    "person_key": "PK-CANARY-7731",
}
CANARY_SCRIPT = "<script>window.__heart_canary=1</script>"


def write_canary_inbox(inbox: Path) -> Path:
    """The metrics_small inbox with personal details planted where real exports carry them.

    CAD: caller name, phone and a narrative in extra columns the profile does not
    map, the street address in Address, a call type that is a <script> element,
    and the narrative again in a timestamp column (as a shifted export would
    have it) so it is quarantined with its value. HEART log: the person key and
    the name in text fields that are loaded, the narrative in Referrals.
    """
    import csv

    copy_into(inbox, METRICS_SMALL / "inbox")
    cad = inbox / "durham_cad_2024-03-18.csv"
    with cad.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    extra = ["CallerName", "CallerPhone", "Narrative"]
    for row in rows:
        row.update(dict.fromkeys(extra, ""))
    rows[0].update(CallerName=CANARY["name"], CallerPhone=CANARY["phone"], Narrative=CANARY["narrative"],
                   Address=CANARY["address"])
    script_row = dict(rows[1], IncidentNumber="24-0901", InitialNature=CANARY_SCRIPT, Address=CANARY["address"])
    shifted_row = dict(rows[2], IncidentNumber="24-0902", Dispatched=CANARY["narrative"])
    rows += [script_row, shifted_row]
    with cad.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    heart = inbox / "durham_heart_2024-03-18.csv"
    with heart.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    rows[0].update(PersonKey=CANARY["person_key"], Team=CANARY["name"], Referrals=CANARY["narrative"])
    with heart.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return inbox


@pytest.fixture(scope="session")
def canary_warehouse(tmp_path_factory):
    """metrics_small with the canary strings planted, built into a warehouse: (path, program)."""
    tmp = tmp_path_factory.mktemp("canary")
    path = tmp / "warehouse.duckdb"
    program = load_program(METRICS_SMALL / "program.toml")
    with warehouse.connect(path) as connection:
        build(connection, write_canary_inbox(tmp / "inbox"))
        build_marts_and_metrics(connection, program)
    return path, program


# The longest test files, started first: pytest-xdist (--dist loadfile, pyproject.toml) hands files out in
# collection order, and a long file collected last leaves one worker running alone at the end.
SLOW_FIRST = ("test_replay_weekly.py", "test_impact_regenerated.py", "test_bench_harness.py")


def pytest_collection_modifyitems(config, items):
    items.sort(key=lambda item: item.path.name not in SLOW_FIRST)   # stable: order within each group kept
