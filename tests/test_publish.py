"""The analysts' file: a snapshot of the working warehouse, published atomically after a successful run.

An open read-only session never blocks a run and keeps reading the data it
opened; a new session sees the new run; a failed run leaves the published file
as it was; the file opens in a DuckDB 1.x CLI (HEART_DUCKDB_CLI, installed by
.ci/run; HEART_REQUIRE_DUCKDB_CLI=1 makes its absence a failure, not a skip).
"""

from __future__ import annotations

import hashlib
from ast import literal_eval
import os
import re
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from conftest import METRICS_SMALL, copy_into
from pipeline.warehouse import publish
from pipeline.definitions import all_assets
from pipeline.defs import publish as publish_assets
from pipeline.defs.resources import resources_for
from pipeline.cli.run import QUIET, run_pipeline
from pipeline.settings import Settings

# The first run sees only the November export pair; the second adds the March pair.
FIRST_FILES = ("durham_cad_2023-11-13.csv", "durham_heart_2023-11-13.csv")
# A week the November files cover (they run to 2023-11-09): weeks without data are never built.
WEEK = [date(2023, 11, 6)]
COUNTS = "SELECT (SELECT count(*) FROM audit.file_loads), (SELECT count(*) FROM metrics.metric_values)"

# Opens the file read-only, prints COUNTS, then again each time a line arrives on stdin.
HOLDER = """
import sys, duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
query = sys.argv[2]
print(con.execute(query).fetchall()[0], flush=True)
for _ in sys.stdin:
    print(con.execute(query).fetchall()[0], flush=True)
"""


def _settings(root: Path) -> Settings:
    return Settings(inbox=root / "inbox", warehouse=root / "wh" / "heart.duckdb", reports=root / "reports",
                    program=METRICS_SMALL / "program.toml")


@pytest.fixture(scope="module")
def first_run(tmp_path_factory) -> Path:
    """A folder after one successful run on the November files: inbox, working and published files, reports."""
    root = tmp_path_factory.mktemp("published")
    for name in FIRST_FILES:
        copy_into(root / "inbox", METRICS_SMALL / "inbox" / name)
    outcome = run_pipeline(_settings(root), weeks=WEEK)
    assert outcome.success and outcome.published
    return root


@pytest.fixture
def run_dir(first_run, tmp_path) -> Path:
    """A private copy of the first run's folder, to run again in."""
    root = tmp_path / "run"
    shutil.copytree(first_run, root)
    return root


def _counts_in_new_session(path: Path) -> tuple:
    out = subprocess.run([sys.executable, "-c", HOLDER, str(path), COUNTS], input="", capture_output=True,
                         text=True, check=True, timeout=60).stdout
    return literal_eval(out.splitlines()[0])


def _fingerprint(path: Path) -> tuple:
    stat = path.stat()
    return stat.st_ino, stat.st_mtime_ns, hashlib.sha256(path.read_bytes()).hexdigest()


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".publishing" in p.name or p.name.endswith(".wal"))


def test_open_session_does_not_block_a_run_and_keeps_its_data(run_dir):
    settings = _settings(run_dir)
    old = _counts_in_new_session(settings.warehouse)
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(settings.warehouse), COUNTS],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert literal_eval(holder.stdout.readline()) == old  # the session is open before the run starts
        copy_into(settings.inbox, METRICS_SMALL / "inbox")
        outcome = run_pipeline(settings, weeks=WEEK)
        assert outcome.success and outcome.published
        holder.stdin.write("again\n")
        holder.stdin.flush()
        assert literal_eval(holder.stdout.readline()) == old, "the open session still reads the data it opened"
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)
    new = _counts_in_new_session(settings.warehouse)
    assert new[0] == old[0] + 2 and new[1] > old[1], (old, new)
    assert _leftovers(settings.warehouse.parent) == []


def test_failed_run_leaves_the_published_file_untouched(run_dir, monkeypatch):
    from pipeline import marts

    settings = _settings(run_dir)
    copy_into(settings.inbox, METRICS_SMALL / "inbox")
    before = _fingerprint(settings.warehouse)
    build_mart = marts.build_mart

    def failing(con, model, program):
        if model == "eligible_calls":
            raise RuntimeError("injected failure mid-run")
        return build_mart(con, model, program)

    monkeypatch.setattr(marts, "build_mart", failing)
    outcome = run_pipeline(settings, weeks=WEEK)
    assert not outcome.success and not outcome.published
    done = {e.asset_key for r in outcome.results for e in r.get_asset_materialization_events()}
    assert dg.AssetKey(["marts", "program_days"]) in done  # the run got part of the way
    assert _fingerprint(settings.warehouse) == before
    assert _leftovers(settings.warehouse.parent) == []


def test_dagster_skips_publishing_after_an_upstream_failure(run_dir, monkeypatch):
    """As in `dg dev`, with the publish asset in the same run as the asset that fails."""
    from pipeline import metrics

    settings = _settings(run_dir)
    before = _fingerprint(settings.warehouse)

    def failing(con, fiscal_year_start_month):
        raise RuntimeError("injected failure")

    monkeypatch.setattr(metrics, "build_metric_values", failing)
    result = dg.materialize(all_assets(settings),
                            selection=[dg.AssetKey(["metrics", "metric_values"]), dg.AssetKey(["metrics", "metric_definitions"]),
                                       publish_assets.PUBLISHED_KEY],
                            resources=resources_for(settings), raise_on_error=False, run_config=QUIET)
    assert not result.success
    started = {e.step_key for e in result.all_events if e.event_type_value == "STEP_START"}
    assert started == {"metric_values"}  # the publish step never started
    assert _fingerprint(settings.warehouse) == before


def test_published_file_has_the_chosen_storage_version_and_the_working_data(first_run):
    settings = _settings(first_run)
    assert _leftovers(settings.warehouse.parent) == []
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        tag = con.execute("SELECT tags['storage_version'] FROM duckdb_databases() "
                          "WHERE database_name = current_database()").fetchall()[0][0]
        published = con.execute(COUNTS).fetchall()[0]
    assert tag.startswith(publish.STORAGE_VERSION), tag
    assert published == (2, _counts_in_new_session(settings.working)[1])


def _storage_tag(path: Path) -> str:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute("SELECT tags['storage_version'] FROM duckdb_databases() "
                           "WHERE database_name = current_database()").fetchall()[0][0]


# A working file as runs create it now (in the published format: published by a file copy), and
# one an earlier version created in DuckDB's newest format (published by COPY FROM DATABASE).
FORMATS = ["published_format", "newer_format"]


def _small_working_db(path: Path, storage: str = "published_format") -> None:
    if storage == "published_format":
        assert publish.create_working(path)
    with duckdb.connect(str(path)) as con:
        con.execute("CREATE SCHEMA metrics")
        con.execute("CREATE TABLE metrics.metric_values AS SELECT range AS n, 'x' || range AS label FROM range(5)")
        con.execute("COMMENT ON TABLE metrics.metric_values IS 'Every metric, one row per period'")
        con.execute("COMMENT ON COLUMN metrics.metric_values.n IS 'The numerator''s count'")
        con.execute("CREATE VIEW metrics.big AS SELECT * FROM metrics.metric_values WHERE n > 2")
        con.execute("COMMENT ON VIEW metrics.big IS 'Big ones'")
        con.execute("CREATE MACRO metrics.twice(x) AS 2 * x")


def _publish_small(working: Path, published: Path) -> publish.Published:
    with duckdb.connect(str(working)) as con:
        con.execute("CREATE TEMP TABLE scratch AS SELECT 1 AS one")
        con.execute("CREATE TEMP MACRO wilson_low(k, n) AS k / n")
        return publish.publish(con, published)


COMMENTS = """
SELECT 'table', table_name, '', comment FROM duckdb_tables() WHERE database_name = current_database()
UNION ALL SELECT 'view', view_name, '', comment FROM duckdb_views() WHERE database_name = current_database()
UNION ALL SELECT 'column', table_name, column_name, comment FROM duckdb_columns()
    WHERE database_name = current_database() AND comment IS NOT NULL
ORDER BY ALL
"""


@pytest.mark.parametrize("storage", FORMATS)
def test_copy_keeps_comments_views_macros_and_leaves_temp_objects_behind(tmp_path, storage):
    working, published = tmp_path / "w.duckdb", tmp_path / "p" / "heart.duckdb"
    published.parent.mkdir()
    _small_working_db(working, storage)
    (published.parent / "heart.duckdb.publishing").write_bytes(b"left by a killed run")
    result = _publish_small(working, published)
    assert (result.tables, result.rows) == (1, 5)
    assert [c.check.name for c in result.checks] == ["copy_matches_working"]
    assert _storage_tag(published).startswith(publish.STORAGE_VERSION)
    with duckdb.connect(str(working), read_only=True) as con:
        expected = con.execute(COMMENTS).fetchall()
    assert ("column", "metric_values", "n", "The numerator's count") in expected
    with duckdb.connect(str(published), read_only=True) as con:
        assert con.execute(COMMENTS).fetchall() == expected
        assert con.execute("SELECT metrics.twice(n) FROM metrics.big ORDER BY n").fetchall() == [(6,), (8,)]
        temp = con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'scratch' UNION ALL "
                           "SELECT count(*) FROM duckdb_functions() WHERE function_name = 'wilson_low'").fetchall()
        assert temp == [(0,), (0,)]
    assert _leftovers(published.parent) == []


@pytest.mark.parametrize("storage", FORMATS)
def test_a_failure_while_publishing_keeps_the_old_file_and_no_temp_file(tmp_path, monkeypatch, storage):
    working, published = tmp_path / "w.duckdb", tmp_path / "heart.duckdb"
    _small_working_db(working, storage)
    _publish_small(working, published)
    before = _fingerprint(published)
    with duckdb.connect(str(working)) as con:
        con.execute("INSERT INTO metrics.metric_values VALUES (99, 'new')")

    def mismatch(con, source):
        raise publish.PublishError("row counts differ")

    monkeypatch.setattr(publish, "_check_copy", mismatch)
    with pytest.raises(publish.PublishError):
        _publish_small(working, published)
    assert _fingerprint(published) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["heart.duckdb", "w.duckdb"]


def test_a_working_file_in_the_published_format_is_published_by_copying_its_bytes(tmp_path):
    working, published = tmp_path / "w.duckdb", tmp_path / "heart.duckdb"
    _small_working_db(working)
    with duckdb.connect(str(working)) as con:
        con.execute("INSERT INTO metrics.metric_values VALUES (99, 'in the write-ahead log until CHECKPOINT')")
    result = _publish_small(working, published)
    assert result.method == publish.FILE_COPY
    assert result.rows == 6
    assert published.read_bytes() == working.read_bytes()
    assert _storage_tag(working) == _storage_tag(published) == f"{publish.STORAGE_VERSION}+"


def test_a_working_file_in_a_newer_format_is_published_by_copy_from_database(tmp_path):
    working, published = tmp_path / "w.duckdb", tmp_path / "heart.duckdb"
    _small_working_db(working, "newer_format")
    assert not publish.has_published_format(_storage_tag(working))
    result = _publish_small(working, published)
    assert result.method.startswith(publish.DATABASE_COPY)
    assert "storage format" in result.method
    assert (result.tables, result.rows) == (1, 5)
    assert publish.has_published_format(_storage_tag(published))
    assert publish.has_published_format(_storage_tag(working)) is False  # left as it was


def test_an_in_memory_database_is_published_by_copy_from_database(tmp_path):
    published = tmp_path / "heart.duckdb"
    with duckdb.connect() as con:
        con.execute("CREATE TABLE t AS SELECT range AS n FROM range(3)")
        result = publish.publish(con, published)
    assert result.method.startswith(publish.DATABASE_COPY) and (result.tables, result.rows) == (1, 3)


def test_a_copy_that_does_not_match_the_working_file_is_not_published(tmp_path, monkeypatch):
    working, published = tmp_path / "w.duckdb", tmp_path / "heart.duckdb"
    _small_working_db(working)
    _publish_small(working, published)
    before = _fingerprint(published)
    stale = tmp_path / "stale.duckdb"
    shutil.copyfile(published, stale)
    with duckdb.connect(str(working)) as con:
        con.execute("INSERT INTO metrics.metric_values VALUES (99, 'new')")
    real_copy = shutil.copyfile

    def copy_stale(src, dst, *args, **kwargs):  # as if the copy had lost the last run's rows
        return real_copy(stale if Path(src) == working else src, dst, *args, **kwargs)

    monkeypatch.setattr(shutil, "copyfile", copy_stale)
    with pytest.raises(publish.PublishError, match=r"rows metrics\.metric_values: 6 in the working file, 5 in the copy"):
        _publish_small(working, published)
    assert _fingerprint(published) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["heart.duckdb", "stale.duckdb", "w.duckdb"]


def test_the_check_names_what_differs(tmp_path):
    with duckdb.connect() as con:
        con.execute(f"ATTACH ':memory:' AS {publish.COPY_ALIAS}")
        for database in ("memory", publish.COPY_ALIAS):
            con.execute(f"CREATE SCHEMA {database}.m")
            con.execute(f"CREATE TABLE {database}.m.t (a INTEGER, b VARCHAR)")
            con.execute(f"CREATE MACRO {database}.m.twice(x) AS 2 * x")
        con.execute("COMMENT ON COLUMN memory.m.t.b IS 'the b'")
        with pytest.raises(publish.PublishError, match='column m.t.b: comment "the b" in the working file, "" in the copy'):
            publish._check_copy(con, "memory")
        con.execute(f"COMMENT ON COLUMN {publish.COPY_ALIAS}.m.t.b IS 'the b'")
        con.execute(f"ALTER TABLE {publish.COPY_ALIAS}.m.t ALTER a TYPE BIGINT")
        with pytest.raises(publish.PublishError, match="column m.t.a: INTEGER in the working file, BIGINT in the copy"):
            publish._check_copy(con, "memory")
        con.execute(f"ALTER TABLE {publish.COPY_ALIAS}.m.t ALTER a TYPE INTEGER")
        con.execute("CREATE VIEW memory.m.v AS SELECT 1 AS one")
        with pytest.raises(publish.PublishError, match="view m.v is missing from the copy"):
            publish._check_copy(con, "memory")
        con.execute(f"CREATE VIEW {publish.COPY_ALIAS}.m.v AS SELECT 1 AS one")
        results, tables, rows = publish._check_copy(con, "memory")
        assert (results[0].failures, tables, rows) == (0, 1, 0)
        # The row counts lived in a temp table for the check only.
        assert con.execute("SELECT count(*) FROM duckdb_tables() WHERE temporary").fetchall() == [(0,)]


def test_a_new_working_file_is_created_in_the_published_format(tmp_path, capsys):
    from pipeline.cli import _preflight

    settings = Settings(inbox=METRICS_SMALL / "inbox", warehouse=tmp_path / "wh" / "heart.duckdb",
                        reports=tmp_path / "reports", program=METRICS_SMALL / "program.toml")
    _preflight(settings)
    assert "as a copy of" not in capsys.readouterr().err
    assert not settings.warehouse.exists()
    assert _storage_tag(settings.working) == f"{publish.STORAGE_VERSION}+"
    before = _fingerprint(settings.working)
    assert not publish.create_working(settings.working)  # an existing file is left as it is
    assert _fingerprint(settings.working) == before
    assert sorted(p.name for p in settings.working.parent.iterdir()) == ["heart.work.duckdb"]


def test_runs_keep_the_working_file_in_the_published_format(first_run):
    settings = _settings(first_run)
    assert _storage_tag(settings.working) == f"{publish.STORAGE_VERSION}+"


def test_an_old_single_file_warehouse_becomes_the_working_file(tmp_path, capsys):
    from pipeline.cli import _preflight

    settings = Settings(inbox=METRICS_SMALL / "inbox", warehouse=tmp_path / "wh" / "heart.duckdb",
                        reports=tmp_path / "reports", program=METRICS_SMALL / "program.toml")
    assert settings.working == tmp_path / "wh" / "heart.work.duckdb"
    settings.warehouse.parent.mkdir()
    _small_working_db(settings.warehouse, "newer_format")
    _preflight(settings)
    assert "as a copy of" in capsys.readouterr().err
    with duckdb.connect(str(settings.working), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM metrics.metric_values").fetchall() == [(5,)]
    _preflight(settings)  # the working file exists now: left as it is
    assert capsys.readouterr().err == ""


def _duckdb_1x_cli() -> str | None:
    """A DuckDB 1.x command-line binary: HEART_DUCKDB_CLI, or `duckdb` on PATH when it is 1.4 or later 1.x."""
    candidate = os.environ.get("HEART_DUCKDB_CLI") or shutil.which("duckdb")
    if candidate:
        version = subprocess.run([candidate, "--version"], capture_output=True, text=True, timeout=30).stdout
        match = re.match(r"v(\d+)\.(\d+)", version.strip())
        if match and int(match[1]) == 1 and int(match[2]) >= 4:
            return candidate
        if os.environ.get("HEART_DUCKDB_CLI"):
            pytest.fail(f"HEART_DUCKDB_CLI={candidate} is {version.strip()!r}, not a DuckDB 1.x (>= 1.4) CLI")
    if os.environ.get("HEART_REQUIRE_DUCKDB_CLI") == "1":
        pytest.fail("HEART_REQUIRE_DUCKDB_CLI=1 but no DuckDB 1.x CLI: set HEART_DUCKDB_CLI (see .ci/run)")
    pytest.skip("no DuckDB 1.x CLI (set HEART_DUCKDB_CLI to a duckdb-cli 1.5.x binary)")


def _cli(binary: str, path: Path, sql: str) -> list[str]:
    done = subprocess.run([binary, "-readonly", "-list", "-noheader", str(path), "-c", sql],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


@pytest.mark.parametrize("storage", FORMATS)
def test_duckdb_1x_cli_reads_the_published_file(first_run, tmp_path, storage):
    binary = _duckdb_1x_cli()
    settings = _settings(first_run)
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        metric_values = con.execute("SELECT count(*) FROM metrics.metric_values").fetchall()[0][0]
    assert _cli(binary, settings.warehouse, "SELECT count(*) FROM metrics.metric_values") == [str(metric_values)]
    # Comments written by DuckDB 2.0 read back in 1.x.
    working, published = tmp_path / "w.duckdb", tmp_path / "heart.duckdb"
    _small_working_db(working, storage)
    _publish_small(working, published)
    assert _cli(binary, published, "SELECT comment FROM duckdb_columns() WHERE table_name = 'metric_values' AND column_name = 'n'; "
                                   "SELECT comment FROM duckdb_tables(); SELECT count(*) FROM metrics.big") == [
        "The numerator's count", "Every metric, one row per period", "2"]
