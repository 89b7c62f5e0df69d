"""One run at a time: a second run, by `heart run` or launched by Dagster, stops at once naming the first."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import dagster as dg

import pipeline
from conftest import METRICS_SMALL, copy_into
from pipeline.warehouse import lock
from pipeline.cli import main

TREE = Path(pipeline.__file__).resolve().parent.parent
HOLD = ("import sys; from pipeline.warehouse import lock; lock.acquire(sys.argv[1], command='heart run (the first run)'); "
        "print('held', flush=True); sys.stdin.read()")


def _args(tmp_path, inbox) -> list[str]:
    return ["run", "--inbox", str(inbox), "--warehouse", str(tmp_path / "wh" / "heart.duckdb"),
            "--reports", str(tmp_path / "reports"), "--program", str(METRICS_SMALL / "program.toml")]


def _hold(working: Path) -> subprocess.Popen:
    """Another process that takes the run lock and keeps it until its stdin closes or it is killed."""
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(working)], cwd=TREE, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "held"
    return proc


def test_a_second_heart_run_exits_2_at_once_naming_the_first(tmp_path, capsys):
    inbox = copy_into(tmp_path / "inbox", METRICS_SMALL / "inbox")
    working = tmp_path / "wh" / "heart.work.duckdb"
    holder = _hold(working)
    try:
        started = time.monotonic()
        code = main(_args(tmp_path, inbox))
        elapsed = time.monotonic() - started
    finally:
        holder.kill()
        holder.wait()
    err = capsys.readouterr().err
    assert code == 2
    assert "Traceback" not in err
    info = lock.holder(lock.lock_path(working))
    assert err.strip() == (
        f"heart: another run is using the warehouse {working}: pid {holder.pid} on {info['host']}, "
        f"started {info['started']} (heart run (the first run)); try again when it has finished "
        f"(lock file {lock.lock_path(working)})")
    assert elapsed < 5
    assert not working.exists()   # nothing was read or written


def test_a_lock_left_by_a_dead_run_does_not_block(tmp_path, capsys):
    inbox = copy_into(tmp_path / "inbox", METRICS_SMALL / "inbox")
    working = tmp_path / "wh" / "heart.work.duckdb"
    holder = _hold(working)
    holder.kill()   # killed mid-run: the kernel releases the lock, the file stays
    holder.wait()
    assert lock.holder(lock.lock_path(working))["pid"] == holder.pid
    assert main(_args(tmp_path, inbox)) == 0, capsys.readouterr().err
    assert (tmp_path / "wh" / "heart.duckdb").is_file()


def test_two_runs_started_together_one_runs_the_other_exits_2(tmp_path):
    inbox = copy_into(tmp_path / "inbox", METRICS_SMALL / "inbox")
    command = [sys.executable, "-m", "pipeline.cli", *_args(tmp_path, inbox)]
    runs = [subprocess.Popen(command, cwd=TREE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for _ in range(2)]
    results = sorted((proc.wait(timeout=300), proc.stderr.read()) for proc in runs)
    assert [code for code, _ in results] == [0, 2], results
    refused = results[1][1]
    assert "Traceback" not in refused
    assert "heart: another run is using the warehouse" in refused and "pid " in refused


def test_a_run_launched_by_dagster_fails_at_once_while_another_holds_the_lock(tmp_path):
    from pipeline.definitions import DATA_ASSETS
    from pipeline.defs.resources import resources_for
    from pipeline.settings import Settings

    settings = Settings(inbox=copy_into(tmp_path / "inbox", METRICS_SMALL / "inbox"),
                        warehouse=tmp_path / "wh" / "heart.duckdb", reports=tmp_path / "reports",
                        program=METRICS_SMALL / "program.toml")
    holder = _hold(settings.working)
    try:
        # The resource is set up before the first step: the run fails there, having read nothing.
        result = dg.materialize(DATA_ASSETS, resources=resources_for(settings), raise_on_error=False)
    finally:
        holder.kill()
        holder.wait()
    assert not result.success
    (failure,) = [e for e in result.all_events if e.event_type_value == "RESOURCE_INIT_FAILURE"]
    assert (f"another run is using the warehouse {settings.working}: pid {holder.pid}"
            in failure.event_specific_data.error.to_string())
    assert not result.get_asset_materialization_events()
    assert not settings.working.exists()
    # Released when the holder died: the next Dagster run goes ahead.
    again = dg.materialize(DATA_ASSETS, resources=resources_for(settings), raise_on_error=False)
    assert again.success
