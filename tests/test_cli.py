"""The `heart` command: summary on success, one clear line on a wrong path."""

from __future__ import annotations

import pytest

from conftest import DURHAM_SMALL, copy_into
from pipeline.cli import main


def test_run_prints_summary_and_reconciles(tmp_path, capsys):
    inbox = copy_into(tmp_path / "inbox", DURHAM_SMALL / "run1", DURHAM_SMALL / "unreadable")
    code = main([
        "run", "--inbox", str(inbox), "--warehouse", str(tmp_path / "h.duckdb"),
        "--reports", str(tmp_path / "reports"), "--max-quarantine-share", "0.7",
    ])
    out = capsys.readouterr()
    assert code == 0, out.err
    assert "durham_cad_2023-11-06.csv" in out.out
    assert "UNREADABLE: the file is empty (0 bytes)" in out.out
    lines = [line.split() for line in out.out.splitlines()]
    # source, files, unreadable, read, accepted, quarantined
    assert ["cad", "4", "2", "16", "10", "6"] in lines
    assert ["heart", "2", "1", "11", "4", "7"] in lines
    assert "Traceback" not in out.err
    assert (tmp_path / "reports" / "load_summary.txt").exists()


def test_wrong_inbox_is_one_line_and_exit_2(tmp_path, capsys):
    code = main(["run", "--inbox", str(tmp_path / "missing")])
    err = capsys.readouterr().err
    assert code == 2
    assert err.strip() == f"heart: inbox folder not found: {tmp_path / 'missing'}"


def test_bad_profile_is_one_line(tmp_path, capsys):
    profiles = tmp_path / "profiles"
    profiles.mkdir()
    (profiles / "broken.toml").write_text('[profile]\nkind = "cad"\n[fields]\nincident_id = "X"\n')
    code = main(["run", "--inbox", str(DURHAM_SMALL / "run1"), "--profiles", str(profiles)])
    err = capsys.readouterr().err
    assert code == 2
    assert err.strip() == (
        "heart: source profile problem: broken.toml [fields]: required contract fields not mapped: received_at"
    )


def test_metrics_for_a_week_equal_that_week_in_metric_values(tmp_path, capsys):
    """`heart metrics` and metric_values run the same SQL: a window that is a week gives that week's rows."""
    import json

    import duckdb

    inbox = copy_into(tmp_path / "inbox", DURHAM_SMALL / "run1")
    wh = tmp_path / "h.duckdb"
    assert main(["run", "--inbox", str(inbox), "--warehouse", str(wh), "--reports", str(tmp_path / "r"),
                 "--max-quarantine-share", "0.7"]) == 0
    capsys.readouterr()
    assert main(["metrics", "--start", "2023-10-30", "--end", "2023-11-06", "--format", "json",
                 "--warehouse", str(wh)]) == 0
    window = json.loads(capsys.readouterr().out)
    with duckdb.connect(str(wh), read_only=True) as con:
        stored = con.execute(
            "SELECT metric_id, unit, dimension_value, numerator, denominator, value FROM metrics.metric_values "
            "WHERE grain = 'week' AND period_start = DATE '2023-10-30'"
        ).fetchall()
    stored = {(m, u, d): (n, den, v) for m, u, d, n, den, v in stored}
    assert window, "the fixture week has metrics"
    for row in window:
        n, den, v = stored[(row["metric_id"], row["unit"], row["dimension_value"])]
        assert (row["numerator"], row["denominator"]) == (n, den)
        assert row["value"] == pytest.approx(v)
    # Hand-checked from the fixture: Community Response answered 23-0000001 (H23-000001,
    # no police unit) and 23-0000004 (H23-000011, in the repeated autumn hour; P103 also
    # went), so 2 responses and 1 of 2 incidents diverted. The CCD response H23-000002
    # names an incident that does not exist: a response, but no incident handled.
    by_key = {(r["metric_id"], r["unit"]): r for r in window if r["dimension"] == "ALL"}
    assert by_key[("responses", "CR")]["numerator"] == 2
    assert by_key[("responses", "CCD")]["numerator"] == 1
    assert (by_key[("diversion_rate", "CR")]["numerator"], by_key[("diversion_rate", "CR")]["denominator"]) == (1, 2)
    assert ("diversion_rate", "CCD") not in by_key


def test_metrics_without_a_warehouse_is_one_line(tmp_path, capsys):
    code = main(["metrics", "--start", "2023-10-30", "--end", "2023-11-06", "--warehouse", str(tmp_path / "no.duckdb")])
    assert code == 2
    assert capsys.readouterr().err.strip() == f"heart: no warehouse at {tmp_path / 'no.duckdb'}: run `heart run` first"


def test_bad_program_config_is_one_line(tmp_path, capsys):
    program = tmp_path / "program.toml"
    program.write_text('[program]\ntimezone = "America/New_York"\nlaunch_date = 2024-01-01\n')
    code = main(["run", "--inbox", str(DURHAM_SMALL / "run1"), "--program", str(program),
                 "--warehouse", str(tmp_path / "h.duckdb"), "--reports", str(tmp_path / "r")])
    assert code == 2
    assert capsys.readouterr().err.strip() == "heart: program configuration problem: program.toml: no [[units]] entries"


def test_bad_scenario_file_is_one_line_before_anything_runs(tmp_path, capsys):
    scenarios = tmp_path / "scenarios"
    scenarios.mkdir()
    (scenarios / "overnight.toml").write_text('[scenario]\nname = "Overnight\n')   # unclosed string
    code = main(["run", "--inbox", str(DURHAM_SMALL / "run1"), "--scenarios", str(scenarios),
                 "--warehouse", str(tmp_path / "h.duckdb"), "--reports", str(tmp_path / "r")])
    assert code == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("heart: scenario file problem: overnight.toml: not valid TOML") and "\n" not in err
    assert not (tmp_path / "h.duckdb").exists()
