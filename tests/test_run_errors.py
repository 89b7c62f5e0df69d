"""`heart run` when something goes wrong: one clear line, the right exit code, never a traceback,
and the analysts' published warehouse left as it was."""

from __future__ import annotations

import errno
import hashlib

import pytest

from conftest import DURHAM_SMALL, METRICS_SMALL, copy_into
from pipeline.cli import main


def _args(tmp_path, inbox, *extra) -> list[str]:
    return ["run", "--inbox", str(inbox), "--warehouse", str(tmp_path / "wh" / "heart.duckdb"),
            "--reports", str(tmp_path / "reports"), "--program", str(METRICS_SMALL / "program.toml"), *extra]


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def published(tmp_path, capsys):
    """A first, successful run: (inbox, published file, its digest)."""
    inbox = copy_into(tmp_path / "inbox", METRICS_SMALL / "inbox")
    assert main(_args(tmp_path, inbox)) == 0, capsys.readouterr().err
    capsys.readouterr()
    path = tmp_path / "wh" / "heart.duckdb"
    return inbox, path, _digest(path)


def test_a_failing_step_is_one_line_with_its_cause_and_publishes_nothing(tmp_path, capsys, monkeypatch, published):
    """A full disk while writing a report: the step and the real cause, not the summary's connection error."""
    from pipeline.reports import council

    inbox, path, before = published

    def full_disk(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", str(tmp_path / "reports" / "council"))

    monkeypatch.setattr(council, "write_council_dashboards", full_disk)
    copy_into(inbox, DURHAM_SMALL / "run2")   # something new to load, so the run does work
    code = main(_args(tmp_path, inbox))
    err = capsys.readouterr().err
    assert code == 1
    assert "Traceback" not in err and "ConnectionException" not in err
    failed = [line for line in err.splitlines() if line.startswith("FAILED")]
    assert failed == [f"FAILED step reports__council_dashboard: OSError: [Errno 28] No space left on device: "
                      f"'{tmp_path / 'reports' / 'council'}'"]
    assert f"Not published: {path} still holds the last successful run" in err
    assert _digest(path) == before


def test_a_failing_publish_leaves_no_open_connection_behind(tmp_path, capsys, monkeypatch, published):
    """The publish step fails (say, the warehouse folder is read-only): its error, not a summary crash."""
    from pipeline.warehouse import publish

    inbox, path, before = published

    def read_only(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied", str(path.parent / "heart.duckdb.publishing"))

    monkeypatch.setattr(publish, "publish", read_only)
    # --force: nothing changed since the published run, which would otherwise be a run with nothing to do.
    code = main(_args(tmp_path, inbox, "--force"))
    out = capsys.readouterr()
    assert code == 1
    assert "Traceback" not in out.err
    assert "FAILED step warehouse__published: PermissionError: [Errno 13] Permission denied:" in out.err
    # The summary still reads the working file after the failed step.
    assert "Sources" in out.out
    assert _digest(path) == before


def test_a_failed_check_says_the_check_and_its_figures(tmp_path, capsys):
    inbox = copy_into(tmp_path / "inbox", DURHAM_SMALL / "run1")
    code = main(_args(tmp_path, inbox, "--max-quarantine-share", "0.05"))
    err = capsys.readouterr().err
    assert code == 1
    assert "Traceback" not in err
    assert ("FAILED check staging_cad_rows:cad_quarantine_share_within_limit: 6 of 16 cad rows quarantined "
            "(rows_read 16, rows_quarantined 6, quarantined_share 0.375, limit 0.05)") in err
    # Said once, by the check: not again as the step it stopped, in Dagster's words.
    assert "FAILED step" not in err and "DagsterAssetCheckFailedError" not in err
    assert not (tmp_path / "wh" / "heart.duckdb").exists()


def test_a_week_outside_the_data_is_exit_2_naming_the_range(tmp_path, capsys, published):
    inbox, path, before = published
    code = main(_args(tmp_path, inbox, "--week", "2030-01-07"))
    err = capsys.readouterr().err
    assert code == 2
    assert "Traceback" not in err
    assert err.strip().splitlines()[-1] == (
        "heart: no data for the week starting 2030-01-07: the data runs from 2023-10-30 to 2024-03-17 "
        "(weeks 2023-10-30 to 2024-03-11); nothing built or published")
    assert not (tmp_path / "reports" / "weekly" / "weekly-2030-01-07.html").exists()
    assert _digest(path) == before


def test_an_unexpected_error_is_one_line(tmp_path, capsys, monkeypatch):
    """Anything else that goes wrong outside a step (Dagster refusing a run, say) is one line, exit 1."""
    import dagster as dg

    from pipeline.cli import run as runner

    def refuse(*args, **kwargs):
        raise dg.DagsterInvariantViolationError("something Dagster did not expect\nwith detail")

    monkeypatch.setattr(runner.dg, "materialize", refuse)
    code = main(_args(tmp_path, copy_into(tmp_path / "inbox", METRICS_SMALL / "inbox")))
    err = capsys.readouterr().err
    assert code == 1
    assert "Traceback" not in err
    assert "FAILED: DagsterInvariantViolationError: something Dagster did not expect with detail" in err


def test_an_inbox_whose_every_new_file_is_refused_exits_1_and_publishes_nothing(tmp_path, capsys):
    inbox = copy_into(tmp_path / "inbox", DURHAM_SMALL / "unreadable")
    code = main(_args(tmp_path, inbox))
    out = capsys.readouterr()
    assert code == 1
    assert "Traceback" not in out.err
    failed = [line for line in out.err.splitlines() if line.startswith("FAILED")]
    assert failed == [
        "FAILED: every new file in the inbox was refused (4: durham_cad_2023-11-27.csv, durham_cad_2023-12-04.csv, "
        "durham_heart_2023-11-13.csv, notes.xlsx); nothing new was loaded. The reasons are in the summary above and in "
        "audit.file_loads"]
    assert "UNREADABLE" in out.out
    assert not (tmp_path / "wh" / "heart.duckdb").exists()


def test_refused_new_files_beside_loaded_ones_or_none_new_are_not_that_failure(tmp_path, capsys, published):
    inbox, path, before = published
    # Nothing new: a re-run changes nothing and succeeds.
    assert main(_args(tmp_path, inbox)) == 0, capsys.readouterr().err
    capsys.readouterr()
    # One refused and one loaded: the usual success (the refused one is in the summary).
    copy_into(inbox, DURHAM_SMALL / "run2", DURHAM_SMALL / "unreadable" / "durham_cad_2023-11-27.csv")
    assert main(_args(tmp_path, inbox, "--max-quarantine-share", "0.7")) == 0, capsys.readouterr().err
    # Only a refused file new: exit 1, the published file stays as it was.
    before = _digest(path)
    copy_into(inbox, DURHAM_SMALL / "unreadable" / "durham_heart_2023-11-13.csv")
    assert main(_args(tmp_path, inbox)) == 1
    assert "FAILED: every new file in the inbox was refused (1: durham_heart_2023-11-13.csv)" in capsys.readouterr().err
    assert _digest(path) == before
