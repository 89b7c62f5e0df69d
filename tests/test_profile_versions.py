"""Profiles are versions: fixing a profile reaches the files already loaded, and says so.

Hand-made fixture derived from tests/fixtures/durham_small: the sample city's CAD
export and HEART log, a few rows each, read first through profiles with a wrong
time format and a wrong time zone (Pacific for a city on New York time), then
through the fixed profiles. Expected instants worked out by hand: 1-2 Nov 2023 is
still daylight time in New York (UTC-4; the clocks went back on 5 Nov), and 11 Jan /
11 Feb / 11 Aug 2023 in Los Angeles are UTC-8, UTC-8 and UTC-7.
"""

from __future__ import annotations

import shutil
from datetime import datetime, timezone
from pathlib import Path

from pipeline.ingest import versions as profile_versions
from pipeline.build import ingest_and_validate
from pipeline.ingest.profiles import load_profile
from pipeline.settings import DEFAULT_PROFILES
from pipeline.cli.summary import render_summary

from tests.conftest import rows

NY, LA = "America/New_York", "America/Los_Angeles"
NO_ZONE = "# No timezone: the city's clock is the program's ([program].timezone in config/program.toml).\n"  # the committed durham profiles follow the program's clock
CAD_HEADER = ("IncidentNumber,CallDate,CallTime,InitialNature,FinalNature,Priority,Beat,Address,Disposition,"
              "UnitID,UnitType,Dispatched,Enroute,Arrived,Cleared")
CAD_1 = (
    CAD_HEADER,
    "23-0000001,11/01/2023,10:00:00,MENTAL,MENTAL,3,111,,HRT,HRT-CR1,HEART,"
    "2023-11-01 10:02:00,2023-11-01 10:03:00,2023-11-01 10:15:00,2023-11-01 10:50:00",
    "23-0000003,11/02/2023,09:00:00,WELFCK,WELFCK,3,113,,NRPT,,,,,,",
)
CAD_2 = (
    CAD_HEADER,
    "23-0000010,11/08/2023,08:30:00,MENTAL,MENTAL,3,111,,HRT,HRT-CR1,HEART,"
    "2023-11-08 08:31:00,2023-11-08 08:32:00,2023-11-08 08:45:00,2023-11-08 09:30:00",
)
HEART = (
    "ResponseID,CADIncident,Unit,Team,ReceivedAt,DispatchedAt,ArrivedAt,ClearedAt,ContactMode,ResolvedNoInPerson,"
    "PoliceRequested,FeltSafe,Outcome,Referrals,PersonKey,FollowUpDue,FollowUpDone",
    "H23-000001,23-0000001,CRT,CRT-1,2023-11-01T10:00:30,2023-11-01T10:02:00,2023-11-01T10:15:00,"
    "2023-11-01T10:50:00,In person,N,N,Y,Resolved on scene,,P-0000000001,,",
    "H23-000002,23-0009999,CCD,CCD-A,2023-11-02T09:00,,,2023-11-02T09:20,Phone,Y,N,,Resolved on scene,,"
    "P-0000000002,,",
)


def utc(*parts) -> datetime:
    return datetime(*parts, tzinfo=timezone.utc)


def write(path: Path, lines) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def run(con, inbox: Path, profiles: Path, program_tz: str = NY):
    return ingest_and_validate(con, inbox, profiles, program_tz)


def wrong_profiles(folder: Path) -> Path:
    """The durham profiles as a new city's analyst first wrote them: day/month dates, Pacific time,
    and a HEART datetime format without the seconds."""
    folder.mkdir()
    for name in ("durham_cad.toml", "durham_heart.toml"):
        shutil.copy(DEFAULT_PROFILES / name, folder / name)
    cad, heart = folder / "durham_cad.toml", folder / "durham_heart.toml"
    edit(cad, NO_ZONE, f'timezone = "{LA}"\n')
    edit(cad, 'date = ["%m/%d/%Y"]', 'date = ["%d/%m/%Y"]')
    edit(heart, NO_ZONE, f'timezone = "{LA}"\n')
    edit(heart, 'datetime = ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S"]',
         'datetime = ["%Y-%m-%dT%H:%M"]')
    return folder


def fix_profiles(folder: Path) -> None:
    """The fix: the formats right, and no time zone of their own (the program's clock)."""
    cad, heart = folder / "durham_cad.toml", folder / "durham_heart.toml"
    edit(cad, f'timezone = "{LA}"\n', "")
    edit(cad, 'date = ["%d/%m/%Y"]', 'date = ["%m/%d/%Y"]')
    edit(heart, f'timezone = "{LA}"\n', "")
    edit(heart, 'datetime = ["%Y-%m-%dT%H:%M"]',
         '# a comment and spacing do not make a version\ndatetime = [ "%Y-%m-%dT%H:%M:%S",  "%Y-%m-%dT%H:%M" ]')


def test_fixing_a_profile_revalidates_the_files_already_loaded(con, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    write(inbox / "durham_cad_2023-11-06.csv", CAD_1)
    cad_gone = write(inbox / "durham_cad_2023-11-13.csv", CAD_2)
    heart_gone = write(inbox / "durham_heart_2023-11-06.csv", HEART)
    profiles = wrong_profiles(tmp_path / "profiles")

    first = run(con, inbox, profiles)
    assert first.revalidations == []
    # Read wrongly and mostly silently: 11/01 as 11 January, Pacific time; the HEART row with seconds fails.
    assert rows(con, "SELECT incident_id, received_at FROM staging.cad_incidents ORDER BY 1") == [
        ("23-0000001", utc(2023, 1, 11, 18)),
        ("23-0000003", utc(2023, 2, 11, 17)),
        ("23-0000010", utc(2023, 8, 11, 15, 30)),
    ]
    assert rows(con, "SELECT response_id, received_at FROM staging.heart_rows") == [
        ("H23-000002", utc(2023, 11, 2, 16)),
    ]
    assert rows(con, "SELECT DISTINCT source_row, check_name FROM quarantine.heart_failures") == [
        (1, "unparseable_timestamp"),
    ]
    old_versions = dict(rows(con, "SELECT file_name, profile_version FROM audit.file_loads"))

    # The analyst fixes both profiles once. The HEART log and one CAD export are no longer in the inbox.
    fix_profiles(profiles)
    heart_gone.unlink()
    cad_gone.unlink()
    second = run(con, inbox, profiles)

    cad_version = profile_versions.version(load_profile(profiles / "durham_cad.toml"), NY)
    heart_version = profile_versions.version(load_profile(profiles / "durham_heart.toml"), NY)
    assert sorted((r.file_name, r.changed, r.action) for r in second.revalidations) == [
        ("durham_cad_2023-11-06.csv", ("time format", "time zone"), "re-read"),
        ("durham_cad_2023-11-13.csv", ("time format", "time zone"), "not in inbox"),
        ("durham_heart_2023-11-06.csv", ("time format", "time zone"), "re-validated"),
    ]
    # The HEART log, re-validated from raw (the file is gone): every time right, in New York time.
    assert rows(con, "SELECT response_id, received_at, dispatched_at, cleared_at FROM staging.heart_rows ORDER BY 1") == [
        ("H23-000001", utc(2023, 11, 1, 14, 0, 30), utc(2023, 11, 1, 14, 2), utc(2023, 11, 1, 14, 50)),
        ("H23-000002", utc(2023, 11, 2, 13), None, utc(2023, 11, 2, 13, 20)),
    ]
    assert rows(con, "SELECT count(*) FROM quarantine.heart_failures") == [(0,)]
    # The CAD export still in the inbox, re-read: 1 and 2 November, New York time. The one that
    # is gone keeps its old reading, and the summary says so.
    assert rows(con, "SELECT incident_id, received_at, timezone FROM staging.cad_incidents ORDER BY 1") == [
        ("23-0000001", utc(2023, 11, 1, 14), NY),
        ("23-0000003", utc(2023, 11, 2, 13), NY),
        ("23-0000010", utc(2023, 8, 11, 15, 30), LA),
    ]
    assert rows(con, "SELECT dispatched_at FROM staging.cad_unit_assignments WHERE incident_id = '23-0000001'") == [
        (utc(2023, 11, 1, 14, 2),)
    ]
    assert dict(rows(con, "SELECT file_name, profile_version FROM audit.file_loads")) == {
        "durham_cad_2023-11-06.csv": cad_version,
        "durham_cad_2023-11-13.csv": old_versions["durham_cad_2023-11-13.csv"],
        "durham_heart_2023-11-06.csv": heart_version,
    }
    assert rows(con, "SELECT file_name, rows_read, rows_accepted FROM audit.load_audit ORDER BY 1") == [
        ("durham_cad_2023-11-06.csv", 2, 2), ("durham_cad_2023-11-13.csv", 1, 1), ("durham_heart_2023-11-06.csv", 2, 2),
    ]
    expected = [
        "profile durham_cad changed (time format, time zone): 1 file re-read from the inbox",
        "profile durham_cad changed (time format, time zone): 1 file NOT re-read: no longer in the inbox "
        "(durham_cad_2023-11-13.csv); its rows keep the old reading. Put the file back in the inbox "
        "(the same bytes) and run again",
        "profile durham_heart changed (time format, time zone): 1 file re-validated",
    ]
    assert profile_versions.summary_lines(con) == expected
    text = render_summary(con, tmp_path / "w.duckdb", tmp_path / "reports")
    assert all(line in text for line in expected)

    # The next run: nothing changed, nothing re-validated; the export that is gone is named again.
    third = run(con, inbox, profiles)
    assert [(r.file_name, r.action) for r in third.revalidations] == [("durham_cad_2023-11-13.csv", "not in inbox")]
    # Put back, it is re-read and the warning stops.
    write(inbox / "durham_cad_2023-11-13.csv", CAD_2)
    fourth = run(con, inbox, profiles)
    assert [(r.file_name, r.action) for r in fourth.revalidations] == [("durham_cad_2023-11-13.csv", "re-read")]
    assert rows(con, "SELECT received_at FROM staging.cad_incidents WHERE incident_id = '23-0000010'") == [
        (utc(2023, 11, 8, 13, 30),)
    ]
    assert run(con, inbox, profiles).revalidations == []
    assert profile_versions.summary_lines(con) == []


def test_a_version_is_what_shapes_rows_not_the_file_text(tmp_path):
    folder = tmp_path / "p"
    folder.mkdir()
    path = shutil.copy(DEFAULT_PROFILES / "durham_heart.toml", folder / "durham_heart.toml")
    before = profile_versions.version(load_profile(path), NY)
    edit(path, "[booleans]", "# yes/no\n\n[booleans]")
    edit(path, 'description = "', 'description = "Edited. ')
    assert profile_versions.version(load_profile(path), NY) == before
    # The profile names no zone: the program's clock decides; naming the same zone changes nothing.
    assert profile_versions.version(load_profile(path), LA) != before
    edit(path, NO_ZONE, 'timezone = "America/New_York"\n')
    assert profile_versions.version(load_profile(path), NY) == before
    old = profile_versions.aspects(load_profile(path), NY)
    edit(path, 'true = ["Y", ', 'true = ["SI", "Y", ')
    new = profile_versions.aspects(load_profile(path), NY)
    assert profile_versions.changed_aspects(old, new) == ("true/false tokens",)


def test_the_program_clock_reads_times_when_the_profile_names_no_zone(con, tmp_path):
    """One clock: the program's zone. A profile's own zone is an override, named in the summary."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    write(inbox / "durham_cad_2023-11-06.csv", CAD_1)
    write(inbox / "durham_heart_2023-11-06.csv", HEART)
    profiles = tmp_path / "profiles"
    profiles.mkdir()
    for name in ("durham_cad.toml", "durham_heart.toml"):
        shutil.copy(DEFAULT_PROFILES / name, profiles / name)
    edit(profiles / "durham_heart.toml", NO_ZONE, 'timezone = "UTC"\n')  # a log kept in UTC; CAD: the city's clock
    program = tmp_path / "program.toml"
    program.write_text(
        (Path(__file__).parent.parent / "config" / "program.toml").read_text(encoding="utf-8")
        .replace('timezone = "America/New_York"', f'timezone = "{LA}"', 1),
        encoding="utf-8",
    )
    run(con, inbox, profiles, program_tz=LA)
    # CAD in Pacific time (the program's): 1 Nov 10:00 PDT = 17:00 UTC; HEART in UTC as its profile says.
    assert rows(con, "SELECT incident_id, received_at, timezone FROM staging.cad_incidents ORDER BY 1") == [
        ("23-0000001", utc(2023, 11, 1, 17), LA),
        ("23-0000003", utc(2023, 11, 2, 16), LA),
    ]
    assert rows(con, "SELECT response_id, received_at FROM staging.heart_rows ORDER BY 1") == [
        ("H23-000002", utc(2023, 11, 2, 9)),
    ]
    # Read as UTC, H23-000001 is dispatched (10:02 UTC) before its 911 call was received (17:00 UTC).
    assert rows(con, "SELECT DISTINCT source_row, check_name FROM quarantine.heart_failures") == [(1, "time_order")]
    expected = [
        f"the program's clock is {LA} (config [program].timezone): 1 file, 2 rows read in it",
        "profile durham_heart overrides it with UTC ([profile].timezone): 1 file, 2 rows read in UTC"
        " — remove the override unless that source's clock really is in that zone",
    ]
    assert profile_versions.timezone_lines(con, LA) == expected
    text = render_summary(con, tmp_path / "w.duckdb", tmp_path / "reports", program)
    assert all(line in text for line in expected)
    # With the program's zone matching every file, nothing to say.
    assert profile_versions.timezone_lines(con, "UTC") != []
    edit(profiles / "durham_heart.toml", 'timezone = "UTC"\n', "")
    second = run(con, inbox, profiles, program_tz=LA)
    assert [(r.file_name, r.changed, r.action) for r in second.revalidations] == [
        ("durham_heart_2023-11-06.csv", ("time zone",), "re-validated"),
    ]
    assert rows(con, "SELECT response_id, received_at FROM staging.heart_rows ORDER BY 1") == [
        ("H23-000001", utc(2023, 11, 1, 17, 0, 30)),
        ("H23-000002", utc(2023, 11, 2, 16)),
    ]
    assert profile_versions.timezone_lines(con, LA) == []
