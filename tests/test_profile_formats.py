"""Profile forms for exports as cities publish them: times in a date column and a time
column each read by its own format, codes beside their descriptions (label_column),
the export date from a file-name pattern with its own format or from the data, and
gzipped copies of every committed profile's files.

Real-data fixture: tests/fixtures/realdata/san_diego_split/ (README there: a San
Diego excerpt with date_time split into a fake-midnight 12-hour date column and a
24-hour time column). Expected values were read off the CSV by hand: San Diego is
UTC-8 in January, so local 12:32:58 is 20:32:58 UTC.
"""

from __future__ import annotations

import gzip
import shutil
from datetime import datetime, timezone
from pathlib import Path

import duckdb
import pytest

from pipeline.build import ingest_and_validate
from pipeline.ingest.profiles import ProfileError, load_profile, load_profiles

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures" / "realdata"
SPLIT_PROFILE = FIXTURES / "profiles" / "san_diego_split_cad.toml"
SPLIT_FILE = "sd_cfs_20230120.csv"
CLOCK = datetime(2026, 1, 1, tzinfo=timezone.utc)


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


def _build(tmp: Path, files: dict[str, bytes], profile_text: str):
    inbox, profiles = tmp / "inbox", tmp / "profiles"
    inbox.mkdir()
    profiles.mkdir()
    (profiles / "p.toml").write_text(profile_text, encoding="utf-8")
    for name, data in files.items():
        (inbox / name).write_bytes(data)
    con = duckdb.connect(str(tmp / "warehouse.duckdb"))
    con.execute("SET TimeZone='UTC'")
    summary = ingest_and_validate(con, inbox, profiles, "America/New_York", clock=CLOCK)
    return con, summary


def _failures(con) -> list[tuple]:
    return con.execute(
        "SELECT source_row, column_name, check_name, value FROM quarantine.cad_failures ORDER BY source_row, column_name"
    ).fetchall()


def _received(con, incident_id: str):
    return con.execute(
        "SELECT received_at FROM staging.cad_incidents WHERE incident_id = ?", [incident_id]
    ).fetchall()[0][0]


@pytest.fixture(scope="module")
def split(tmp_path_factory):
    data = (FIXTURES / "san_diego_split" / SPLIT_FILE).read_bytes()
    # Gzipped: the profile's pattern is sd_cfs_*.csv, and its .gz copy matches too.
    con, summary = _build(
        tmp_path_factory.mktemp("split"), {SPLIT_FILE + ".gz": gzip.compress(data)}, SPLIT_PROFILE.read_text()
    )
    yield con, summary
    con.close()


# --- Two-column times --------------------------------------------------------


def test_split_fixture_loads_gzipped_with_as_of_from_name_pattern(split):
    con, summary = split
    assert [(f.file_name, f.status, f.rows_read) for f in summary.files] == [(SPLIT_FILE + ".gz", "loaded", 182)]
    row = con.execute(
        "SELECT profile, export_as_of, rows_read, rows_accepted, rows_quarantined, reconciles FROM audit.load_audit"
    ).fetchall()
    # 182 rows; only the 1016P row (row 181) is quarantined.
    assert row == [("san_diego_split_cad", datetime(2023, 1, 20).date(), 182, 181, 1, True)]


def test_noon_hour_kept_at_noon_not_midnight(split):
    con, _ = split
    # 1/1/2023 12:00:00 AM + 12:32:58 -> 12:32:58 PST = 20:32:58 UTC (not 00:32:58 PST).
    assert _received(con, "E23010000647") == utc(2023, 1, 1, 20, 32, 58)
    # 1/2/2023 12:00:00 AM + 12:30:20 -> 20:30:20 UTC.
    assert _received(con, "E23010001801") == utc(2023, 1, 2, 20, 30, 20)
    # The 00:xx hour stays at 00:xx: 00:00:05 PST = 08:00:05 UTC.
    assert _received(con, "E23010000001") == utc(2023, 1, 1, 8, 0, 5)
    hours = con.execute(
        "SELECT hour(received_at AT TIME ZONE 'America/Los_Angeles') AS h, count(*) FROM staging.cad_incidents"
        " GROUP BY h ORDER BY h"
    ).fetchall()
    # 100 rows at 00:xx, 80 at 12:xx, 13:55:13 (1016P, quarantined) and 22:21:14 (DEF).
    assert hours == [(0, 100), (12, 80), (22, 1)]


def _tiny(date_format: str, rows: list[tuple[str, str]], time_format: str = "%H:%M:%S") -> str:
    return f"""
[profile]
name = "tiny"
kind = "cad"
timezone = "America/New_York"
[match]
filenames = ["tiny_*.csv"]
[fields]
incident_id = "ID"
received_at = {{ date = "DATE", date_format = {date_format}, time = "TIME", time_format = "{time_format}" }}
"""


def _tiny_file(rows: list[tuple[str, str]]) -> bytes:
    lines = ["ID,DATE,TIME"] + [f"{i},{d},{t}" for i, (d, t) in enumerate(rows, start=1)]
    return ("\n".join(lines) + "\n").encode()


def test_fake_midnight_date_with_24h_time_is_not_twelve_hours_early(tmp_path):
    rows = [("7/21/2022 12:00:00 AM", "12:30:50"), ("7/21/2022 12:00:00 AM", "00:30:50")]
    con, _ = _build(tmp_path, {"tiny_1.csv": _tiny_file(rows)}, _tiny('"%m/%d/%Y %I:%M:%S %p"', rows))
    assert _failures(con) == []
    # EDT is UTC-4: 12:30:50 -> 16:30:50 UTC; 00:30:50 -> 04:30:50 UTC.
    assert _received(con, "1") == utc(2022, 7, 21, 16, 30, 50)
    assert _received(con, "2") == utc(2022, 7, 21, 4, 30, 50)
    # The glued form this replaces read "7/21/2022 12:00:00 AM 12:30:50" as 00:30:50:
    glued = duckdb.sql(
        "SELECT try_strptime('7/21/2022 12:00:00 AM 12:30:50', '%m/%d/%Y %I:%M:%S %p %H:%M:%S')"
    ).fetchall()[0][0]
    assert glued == datetime(2022, 7, 21, 0, 30, 50)


def test_date_column_with_a_real_time_is_quarantined_as_inconsistent(tmp_path):
    rows = [("7/21/2022 12:00:00 AM", "12:30:50"), ("7/21/2022 2:00:00 PM", "12:30:50")]
    con, _ = _build(tmp_path, {"tiny_1.csv": _tiny_file(rows)}, _tiny('"%m/%d/%Y %I:%M:%S %p"', rows))
    assert _failures(con) == [(2, "received_at", "inconsistent_date_time", "7/21/2022 2:00:00 PM 12:30:50")]
    assert con.execute("SELECT rows_accepted, rows_quarantined FROM audit.load_audit").fetchall() == [(1, 1)]


def test_date_that_reads_two_ways_is_refused(tmp_path):
    # 03/04/2022 is 4 March or 3 April; 13/04/2022 reads one way only (13 April).
    rows = [("03/04/2022", "10:00:00"), ("13/04/2022", "10:00:00"), ("04/04/2022", "10:00:00")]
    con, _ = _build(tmp_path, {"tiny_1.csv": _tiny_file(rows)}, _tiny('["%m/%d/%Y", "%d/%m/%Y"]', rows))
    assert _failures(con) == [(1, "received_at", "ambiguous_time", "03/04/2022 10:00:00")]
    assert _received(con, "2") == utc(2022, 4, 13, 14, 0, 0)
    assert _received(con, "3") == utc(2022, 4, 4, 14, 0, 0)  # both formats agree


def test_twelve_hour_time_without_am_pm_is_a_profile_error(tmp_path):
    path = tmp_path / "p.toml"
    path.write_text(_tiny('"%m/%d/%Y"', [], time_format="%I:%M:%S"))
    with pytest.raises(ProfileError, match=r"12-hour hour \(%I\) without AM/PM"):
        load_profile(path)


# --- Labels from the export --------------------------------------------------


def _labels(con, incident_id: str):
    return con.execute(
        "SELECT initial_call_type, initial_call_type_label, disposition, disposition_label"
        " FROM staging.cad_incidents WHERE incident_id = ?",
        [incident_id],
    ).fetchall()[0]


def test_labels_come_from_the_export_and_the_lookup_overrides(split):
    con, _ = split
    assert _labels(con, "E23010000647") == ("1183", "NO DETAIL ACCIDENT", "R", "REPORT")
    # 5150: the export says MENTAL CASE, the profile's lookup overrides it.
    assert _labels(con, "E23010000078")[:2] == ("5150", "Mental health crisis")
    # DEF: no label in the export and no disposition lookup: kept, no label.
    assert _labels(con, "E23010008170")[2:] == ("DEF", None)


def test_code_with_no_label_and_not_in_lookup_is_unknown(split):
    con, _ = split
    # Row 181 of the fixture: 1016P, CALL_TYPE empty, not in the inline lookup.
    assert _failures(con) == [(181, "initial_call_type", "unknown_code", "1016P")]


def test_label_column_only_on_open_code_lists(tmp_path):
    path = tmp_path / "p.toml"
    path.write_text(_tiny('"%m/%d/%Y"', []) + 'beat = { column = "B", label_column = "BD" }\n')
    with pytest.raises(ProfileError, match="label_column"):
        load_profile(path)


# --- Export date ---------------------------------------------------------------


def test_as_of_from_the_latest_call_in_the_file(tmp_path):
    text = SPLIT_PROFILE.read_text().replace(
        """as_of = { filename_pattern = 'sd_cfs_(\\d{8})', format = "%Y%m%d" }""",
        'as_of = { field = "received_at", take = "max" }',
    )
    assert 'take = "max"' in text
    data = (FIXTURES / "san_diego_split" / SPLIT_FILE).read_bytes()
    con, _ = _build(tmp_path, {"sd_cfs_export.csv": data}, text)
    # The latest call: 1/6/2023 22:21:14 local.
    assert con.execute("SELECT export_as_of FROM audit.file_loads").fetchall() == [(datetime(2023, 1, 6).date(),)]


def test_as_of_file_name_format(tmp_path):
    path = tmp_path / "p.toml"
    path.write_text(SPLIT_PROFILE.read_text())
    profile = load_profile(path)
    assert profile.export_as_of("sd_cfs_20230120.csv") == "2023-01-20"
    assert profile.export_as_of("sd_cfs_20231345.csv") is None  # not a date
    assert profile.export_as_of("sd_cfs_latest.csv") is None


# --- gzip ----------------------------------------------------------------------


def test_every_committed_profile_reads_gzipped_copies():
    profiles = load_profiles(REPO / "profiles")
    examples = {
        "durham_cad": "durham_cad_2022-07-04.csv",
        "durham_heart": "durham_heart_2022-07-04.csv",
        "decc_va_cad": "week40.csv",
        "san_diego_cad": "pd_calls_for_service_2023_datasd.csv",
    }
    assert sorted(p.name for p in profiles) == sorted(examples)
    for name in examples.values():
        for candidate in (name, name + ".gz"):
            assert [p.name for p in profiles if p.matches(candidate)] == [
                k for k, v in examples.items() if v == name
            ], candidate
