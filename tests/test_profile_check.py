"""heart profile check: how a profile reads a file, read in memory, before loading anything.

Expected figures are the fixture's, counted by hand from
tests/fixtures/realdata/san_diego_split/sd_cfs_20230120.csv (182 rows; one call
type, 1016P, has no label and is not in the profile's lookup).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from pipeline.cli import main

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures" / "realdata"
SPLIT = FIXTURES / "san_diego_split" / "sd_cfs_20230120.csv"
PROFILES = FIXTURES / "profiles"


def _check(capsys, *argv: str) -> tuple[int, list[str], str]:
    code = main(["profile", "check", *argv])
    out, err = capsys.readouterr()
    return code, [line.rstrip() for line in out.splitlines()], err


def _block(lines: list[str], field: str) -> list[str]:
    """The lines of one field: its heading and the indented lines under it."""
    start = next(i for i, line in enumerate(lines) if line.split()[:1] == [field])
    end = next((i for i in range(start + 1, len(lines)) if lines[i][2:3] != " "), len(lines))
    return lines[start:end]


def test_check_shows_each_field_samples_failures_and_unknown_codes(capsys, tmp_path):
    before = sorted(tmp_path.rglob("*"))
    code, lines, err = _check(capsys, "--profiles", str(PROFILES), str(SPLIT))
    assert code == 0 and err == ""
    assert lines[0] == "sd_cfs_20230120.csv: profile san_diego_split_cad (san_diego_split_cad.toml), 182 rows read"
    received = _block(lines, "received_at")
    assert received[0].split(None, 1)[1] == "DATE (%m/%d/%Y %I:%M:%S %p) + TIME (%H:%M:%S)"
    assert received[1].strip() == "not read as a date and time: 0.0% (0 of 182)"
    samples = [line.split() for line in received[2:]]
    # Five samples spread over the distinct texts; the 12:xx one reads as 12:49:26, not 00:49:26.
    assert len(samples) == 5
    assert ["'1/1/2023", "12:00:00", "AM", "12:49:26'", "->", "2023-01-01", "12:49:26"] in samples
    call_type = _block(lines, "initial_call_type")
    assert call_type[0].split(None, 1)[1] == "CALLTYPE_CODE (label CALL_TYPE; lookup call_type)"
    assert call_type[1].strip() == "unknown code: 0.5% (1 of 182)"
    assert call_type[-1].strip() == "unknown codes: 1016P (1)"
    disposition = _block(lines, "disposition")
    assert disposition[1].strip() == "unknown code (kept): 0.0% (0 of 182)"
    assert disposition[-1].strip() == "unknown codes: DEF (1)"
    assert _block(lines, "beat")[1].strip() == "filled 100.0% (182 of 182)"
    out = "\n".join(lines)
    # Text fields are never sampled: no incident number or beat value appears.
    assert "E2301" not in out and "'523'" not in out
    assert sorted(tmp_path.rglob("*")) == before


def test_check_flags_a_date_column_carrying_a_real_time(capsys, tmp_path):
    text = SPLIT.read_text(encoding="utf-8").replace(
        "1/6/2023 12:00:00 AM,22:21:14", "1/6/2023 10:21:14 PM,22:21:14"
    )
    path = tmp_path / "sd_cfs_20230121.csv"
    path.write_text(text, encoding="utf-8")
    code, lines, _ = _check(capsys, "--profiles", str(PROFILES), str(path))
    assert code == 0
    received = _block(lines, "received_at")
    assert received[1].strip() == "not read as a date and time: 0.5% (1 of 182)"
    assert received[-1].split() == [
        "'1/6/2023", "10:21:14", "PM", "22:21:14'", "->", "FAILS", "(inconsistent_date_time)"
    ]


def test_check_reads_only_the_first_rows_asked(capsys):
    code, lines, _ = _check(capsys, "--profiles", str(PROFILES), "--rows", "50", str(SPLIT))
    assert code == 0
    assert lines[0].endswith("50 rows read (the first 50)")
    assert _block(lines, "beat")[1].strip() == "filled 100.0% (50 of 50)"


def test_check_exit_2_when_no_profile_matches_or_file_unreadable(capsys, tmp_path):
    other = tmp_path / "calls.csv"
    shutil.copy(SPLIT, other)
    code, lines, err = _check(capsys, "--profiles", str(PROFILES), str(other))
    assert code == 2 and lines == []
    assert err.count("\n") == 1 and err.startswith("heart: calls.csv: no source profile reads files named like this")
    code, _, err = _check(capsys, "--profiles", str(PROFILES), str(tmp_path / "missing.csv"))
    assert code == 2 and err.count("\n") == 1 and "no such file" in err
    empty = tmp_path / "sd_cfs_empty.csv"
    empty.write_bytes(b"")
    code, _, err = _check(capsys, "--profiles", str(PROFILES), str(empty))
    assert code == 2 and err == "heart: sd_cfs_empty.csv: cannot be read through profile san_diego_split_cad: the file is empty (0 bytes)\n"
    # --profile reads a file whatever its name.
    code, lines, _ = _check(capsys, "--profiles", str(PROFILES), "--profile", "san_diego_split_cad", str(other))
    assert code == 0 and lines[0].startswith("calls.csv: profile san_diego_split_cad")
