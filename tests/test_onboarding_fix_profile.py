"""Onboarding a city from a real export whose date column carries a fake midnight: the analyst's
first profile reads the date and time glued into one text (the trap the docs now warn about), the
run loads, the 12:xx calls land twelve hours early; they fix the profile once and re-run, and
every row of the file already loaded is read again with the right time. No working file deleted.

Fixture: tests/fixtures/realdata/san_diego_split/sd_cfs_20230120.csv (182 real San Diego rows, see
its README): 100 calls in the 00:xx hour and 80 in the 12:xx hour (counted by hand with
`cut -d, -f3 | cut -c1-2 | sort | uniq -c`), one 1016P row at 13:55:13 (a code the profile's
lookup lacks and the export leaves unlabelled: quarantined) and one DEF-disposition row at 22:21:14.
San Diego is UTC-8 in January: local 12:32:58 is 20:32:58 UTC, local 00:00:05 is 08:00:05 UTC.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import duckdb

from pipeline.build import ingest_and_validate
from pipeline.ingest.versions import summary_lines

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "realdata"
SPLIT_PROFILE = FIXTURES / "profiles" / "san_diego_split_cad.toml"
SPLIT_FILE = FIXTURES / "san_diego_split" / "sd_cfs_20230120.csv"
CLOCK = datetime(2026, 1, 1, tzinfo=timezone.utc)
RIGHT = 'received_at = { date = "DATE", date_format = "%m/%d/%Y %I:%M:%S %p", time = "TIME", time_format = "%H:%M:%S" }'
# The obvious first try: the date column read as a plain date. Every row's DATE carries the fake
# midnight ("1/1/2023 12:00:00 AM"), so nothing parses: the whole file is quarantined, loudly.
FIRST_TRY = 'received_at = { date = "DATE", date_format = "%m/%d/%Y", time = "TIME", time_format = "%H:%M:%S" }'


def _run(con, inbox: Path, profiles: Path):
    return ingest_and_validate(con, inbox, profiles, "America/Los_Angeles", clock=CLOCK)


def _hours(con) -> dict[int, int]:
    rows = con.execute(
        "SELECT hour(timezone('America/Los_Angeles', received_at)) AS h, count(*) FROM staging.cad_incidents "
        "GROUP BY h ORDER BY h").fetchall()
    return dict(rows)


def _received(con, incident_id: str) -> datetime:
    return con.execute("SELECT received_at FROM staging.cad_incidents WHERE incident_id = ?",
                       [incident_id]).fetchall()[0][0]


def test_fixing_the_profile_once_rereads_every_row_with_the_right_time(tmp_path):
    inbox, profiles = tmp_path / "inbox", tmp_path / "profiles"
    inbox.mkdir()
    profiles.mkdir()
    (inbox / SPLIT_FILE.name).write_bytes(SPLIT_FILE.read_bytes())
    right = SPLIT_PROFILE.read_text(encoding="utf-8")
    assert RIGHT in right
    (profiles / "sd.toml").write_text(right.replace(RIGHT, FIRST_TRY), encoding="utf-8")
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    con.execute("SET TimeZone = 'UTC'")
    _run(con, inbox, profiles)
    assert con.execute("SELECT count(DISTINCT source_row) FROM quarantine.cad_failures "
                       "WHERE check_name = 'unparseable_timestamp'").fetchall() == [(182,)]
    assert _hours(con) == {}

    (profiles / "sd.toml").write_text(right, encoding="utf-8")   # the fix, once
    _run(con, inbox, profiles)
    lines = summary_lines(con)
    assert lines == ["profile san_diego_split_cad changed (time format): 1 file re-read from the inbox"], lines
    # Every row read again: 100 calls at 00:xx, 80 at 12:xx, the DEF row at 22:21:14; the 1016P row
    # (13:55:13) stays quarantined as unknown_code.
    assert _received(con, "E23010000647") == datetime(2023, 1, 1, 20, 32, 58, tzinfo=timezone.utc)
    assert _received(con, "E23010000001") == datetime(2023, 1, 1, 8, 0, 5, tzinfo=timezone.utc)
    hours = _hours(con)
    assert hours == {0: 100, 12: 80, 22: 1}
    audit = con.execute("SELECT rows_read, rows_accepted, rows_quarantined, reconciles FROM audit.load_audit").fetchall()
    assert audit == [(182, 181, 1, True)]
    con.close()
