"""A re-run with nothing new does nothing and says so; any change of input runs again (issue 13)."""

from __future__ import annotations

import shutil

import duckdb
import pytest

from conftest import METRICS_SMALL, copy_into
from pipeline.cli import main
from pipeline.settings import DEFAULT_PROFILES, DEFAULT_SCENARIOS

NOTHING = "Nothing to do"


@pytest.fixture
def setup(tmp_path, capsys):
    inbox = copy_into(tmp_path / "inbox", METRICS_SMALL / "inbox")
    profiles = tmp_path / "profiles"
    shutil.copytree(DEFAULT_PROFILES, profiles)
    scenarios = tmp_path / "scenarios"
    shutil.copytree(DEFAULT_SCENARIOS, scenarios)
    args = ["run", "--inbox", str(inbox), "--warehouse", str(tmp_path / "wh" / "heart.duckdb"),
            "--reports", str(tmp_path / "reports"), "--program", str(METRICS_SMALL / "program.toml"),
            "--profiles", str(profiles), "--scenarios", str(scenarios)]
    assert main(args) == 0, capsys.readouterr().err
    capsys.readouterr()
    return args, inbox, profiles, tmp_path


def _outputs(tmp_path) -> dict:
    files = [tmp_path / "wh" / "heart.duckdb", tmp_path / "wh" / "heart.work.duckdb", tmp_path / "reports" / "index.html"]
    return {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in files}


def test_a_rerun_with_nothing_new_touches_nothing_and_says_so(setup, capsys):
    args, _, _, tmp_path = setup
    before = _outputs(tmp_path)
    assert main(args) == 0
    out = capsys.readouterr().out
    assert NOTHING in out and "--force" in out
    assert _outputs(tmp_path) == before


@pytest.mark.parametrize("change", ["new_file", "profile", "scenario", "force", "reports_removed", "threshold"])
def test_any_change_of_input_or_output_runs_again(setup, capsys, change):
    args, inbox, profiles, tmp_path = setup
    if change == "new_file":
        # The same rows under another name are no new data, but the run must look: it is a new file.
        source = sorted(inbox.iterdir())[0]
        shutil.copy(source, inbox / f"copy_{source.name}")
    elif change == "profile":
        profile = sorted(profiles.glob("*.toml"))[0]
        profile.write_text(profile.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    elif change == "scenario":   # staff rename a scenario: the warehouse (and the council page) must follow
        scenario = tmp_path / "scenarios" / "citywide_24_7.toml"
        text = scenario.read_text(encoding="utf-8")
        assert 'name = "24/7 citywide"' in text
        scenario.write_text(text.replace('name = "24/7 citywide"', 'name = "Around the clock"'), encoding="utf-8")
    elif change == "force":
        args = [*args, "--force"]
    elif change == "reports_removed":
        (tmp_path / "reports" / "index.html").unlink()
    elif change == "threshold":
        args = [*args, "--suppression-threshold", "12"]
    assert main(args) == 0
    captured = capsys.readouterr()
    assert NOTHING not in captured.out
    assert "Published for analysts" in captured.out
    if change == "scenario":
        with duckdb.connect(str(tmp_path / "wh" / "heart.duckdb"), read_only=True) as con:
            names = {n for (n,) in con.execute("SELECT DISTINCT scenario_name FROM metrics.scenario_results").fetchall()}
        assert "Around the clock" in names and "24/7 citywide" not in names
    # ... and once that run has finished, the same command (without --force) has nothing to do again.
    assert main([a for a in args if a != "--force"]) == 0
    assert NOTHING in capsys.readouterr().out


def test_a_failed_run_is_not_remembered(setup, capsys, monkeypatch):
    from pipeline.reports import council

    args, _, _, _ = setup
    monkeypatch.setattr(council, "write_council_dashboards", lambda *a, **k: (_ for _ in ()).throw(OSError(28, "full")))
    assert main([*args, "--force"]) == 1
    capsys.readouterr()
    monkeypatch.undo()
    assert main(args) == 0
    assert NOTHING not in capsys.readouterr().out
