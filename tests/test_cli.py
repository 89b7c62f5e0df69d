"""The `heart` command: summary on success, one clear line on a wrong path."""

from __future__ import annotations

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
