"""Validating week by week gives the warehouse a full rebuild gives (issue 13: validate only what is new).

Four weekly runs into one warehouse, each `ingest_and_validate` + `build_marts_and_metrics` with
its own clock, against one build from scratch of the same inbox with the last week's clock and
profiles. The weeks are made to touch every check whose outcome depends on more than its row:

* week 1: durham_small's first CAD export and HEART log (malformed rows, unknown codes, a
  response linked to an incident not loaded yet, a contact mode the profile does not know) and
  a file no profile reads;
* week 2: the CAD profile's lookup loses the call type PANHAN (week 1's export is re-validated:
  incidents 23-0000006 and 23-0000007 leave the canonical tables); a re-export of incident
  23-0000001 with other fields (its canonical row must move), a CAD row in the future at this
  week's clock (not at the next one); a HEART log with an exact repeat, a malformed line, a response id on two different rows (one of
  them linked to an incident that arrives later), a row in the future at this week's clock (not
  at the next one), a row in the future for good, and a response dispatched before the call of an
  incident that arrives next week;
* week 3, run two days late: that incident's CAD export (the HEART row linked to it is now
  quarantined for time_order across sources, and its twin with the same response id must stay
  quarantined for duplicate_id), durham_small's second CAD export (links H23-000002), a CAD row
  and a HEART row dated after week 4's clock, and the HEART profile's lookup gains the contact mode (week 1's
  log is re-validated: H23-000004 accepted);
* week 4, its clock before week 3's: the incident re-exported with an earlier call time (the
  HEART row is accepted again), incident 23-0000001 re-exported with a later call time (its
  HEART response, accepted so far, is quarantined for time_order), the row dated after this
  clock quarantined as future_time (both).

Every table of raw, staging, quarantine, audit, marts and metrics is compared, order-independent,
without load timestamps; not compared: staging.changed_incidents, staging.changed_responses and
audit.profile_revalidations (what the latest run changed or re-validated: by definition not
what a rebuild does) and audit.profile_versions (every profile version a run has seen: the
weekly warehouse saw the profiles before their change) and audit.file_hashes (a cache of inbox
files' hashes: which are kept depends on how long before a run each file was written), nor the
marts' and metrics' own bookkeeping (metrics.build_state, metrics.changed_dates). A full rebuild of the weekly warehouse (full=True) must give
the same again.
"""

from __future__ import annotations

import shutil
from datetime import datetime, timezone
from pathlib import Path

import duckdb

from conftest import DURHAM_SMALL, METRICS_SMALL
from pipeline import warehouse
from pipeline.build import build_marts_and_metrics, ingest_and_validate, validate_all
from pipeline.program import load_program
from pipeline.settings import DEFAULT_PROFILES

SCHEMAS = ("raw", "staging", "quarantine", "audit", "marts", "metrics")
NOT_COMPARED = {"staging.changed_incidents", "staging.changed_responses", "audit.profile_revalidations",
                "audit.profile_versions", "audit.file_hashes", "metrics.build_state", "metrics.changed_dates"}
TIMESTAMP_COLUMNS = {"loaded_at", "first_seen"}
HEART_HEADER = ("ResponseID,CADIncident,Unit,Team,ReceivedAt,DispatchedAt,ArrivedAt,ClearedAt,ContactMode,"
                "ResolvedNoInPerson,PoliceRequested,FeltSafe,Outcome,Referrals,PersonKey,FollowUpDue,FollowUpDone")
CAD_HEADER = ("IncidentNumber,CallDate,CallTime,InitialNature,FinalNature,Priority,Beat,Address,Disposition,"
              "UnitID,UnitType,Dispatched,Enroute,Arrived,Cleared")

HEART_WEEK_2 = f"""{HEART_HEADER}
H23-000020,23-0007777,CRT,CRT-1,2023-11-08T10:00:00,2023-11-08T10:05:00,2023-11-08T10:20:00,2023-11-08T10:50:00,In person,N,N,Y,Resolved on scene,,P-0000000020,,
H23-000021,,CCD,CCD-A,2023-11-09T09:00:00,,,2023-11-09T09:20:00,Phone,Y,N,,Resolved on scene,,P-0000000021,,
H23-000021,,CCD,CCD-A,2023-11-09T09:00:00,,,2023-11-09T09:20:00,Phone,Y,N,,Resolved on scene,,P-0000000021,,
H23-000022,,CCD,CCD-A,2023-11-16T09:00:00,,,2023-11-16T09:20:00,Phone,Y,N,,Resolved on scene,,P-0000000022,,
H23-000023,,CCD,CCD-A,2099-11-09T09:00:00,,,2099-11-09T09:20:00,Phone,Y,N,,Resolved on scene,,P-0000000023,,
H23-000024,23-0000010,CRT
H23-000026,23-0007777,CRT,CRT-2,2023-11-08T10:10:00,2023-11-08T10:12:00,2023-11-08T10:25:00,2023-11-08T11:20:00,In person,N,N,Y,Referred,,P-0000000026,,
H23-000026,,CRT,CRT-2,2023-11-08T10:40:00,2023-11-08T10:41:00,2023-11-08T10:55:00,2023-11-08T11:30:00,In person,N,N,Y,Referred,,P-0000000026,,
"""
CAD_WEEK_2 = f"""{CAD_HEADER}
23-0008889,11/16/2023,09:00:00,WELFCK,WELFCK,3,112,,NRPT,P107,LAW,2023-11-16 09:05:00,2023-11-16 09:06:00,2023-11-16 09:20:00,2023-11-16 09:40:00
"""
CAD_WEEK_3 = f"""{CAD_HEADER}
23-0007777,11/08/2023,10:30:00,MENTAL,MENTAL,3,111,,HRT,HRT-CR1,HEART,2023-11-08 10:31:00,2023-11-08 10:32:00,2023-11-08 10:45:00,2023-11-08 11:30:00
23-0008888,11/28/2023,13:00:00,WELFCK,WELFCK,3,112,,NRPT,P106,LAW,2023-11-28 13:05:00,2023-11-28 13:06:00,2023-11-28 13:20:00,2023-11-28 13:40:00
"""
HEART_WEEK_3 = f"""{HEART_HEADER}
H23-000030,,CCD,CCD-A,2023-11-28T13:00:00,,,2023-11-28T13:20:00,Phone,Y,N,,Resolved on scene,,P-0000000030,,
"""
CAD_WEEK_4 = f"""{CAD_HEADER}
23-0000001,11/01/2023,10:05:00,MENTAL,MENTAL,3,111,,REF,HRT-CR2,HEART,2023-11-01 10:06:00,2023-11-01 10:07:00,2023-11-01 10:16:00,2023-11-01 10:55:00
23-0007777,11/08/2023,10:00:00,MENTAL,MENTAL,3,111,,HRT,HRT-CR1,HEART,2023-11-08 10:01:00,2023-11-08 10:02:00,2023-11-08 10:15:00,2023-11-08 11:00:00
"""
# (week, clock, files: durham_small paths or (name, text)); the profile change comes before week 3's run.
WEEKS = [
    (1, "2023-11-06T12:00:00", [DURHAM_SMALL / "run1" / "durham_cad_2023-11-06.csv",
                                 DURHAM_SMALL / "run1" / "durham_heart_2023-11-06.csv",
                                 DURHAM_SMALL / "unreadable" / "notes.xlsx"]),
    (2, "2023-11-13T12:00:00", [DURHAM_SMALL / "run1" / "durham_cad_2023-11-13.csv",
                                 ("durham_cad_2023-11-13_extra.csv", CAD_WEEK_2),
                                 ("durham_heart_2023-11-13.csv", HEART_WEEK_2)]),
    (3, "2023-11-29T12:00:00", [DURHAM_SMALL / "run2" / "durham_cad_2023-11-20.csv",
                                 ("durham_cad_2023-11-20_late.csv", CAD_WEEK_3),
                                 ("durham_heart_2023-11-20.csv", HEART_WEEK_3)]),
    (4, "2023-11-27T12:00:00", [("durham_cad_2023-11-27_fix.csv", CAD_WEEK_4)]),
]


def _clock(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=timezone.utc)


def _add(inbox: Path, files) -> None:
    for f in files:
        if isinstance(f, Path):
            shutil.copy2(f, inbox / f.name)
        else:
            (inbox / f[0]).write_text(f[1], encoding="utf-8")


def _teach_video(profiles: Path) -> None:
    """The HEART profile learns the contact mode 'Video' (a lookups change: files are re-validated)."""
    path = profiles / "durham_heart.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('PHONE = "phone"\n', 'PHONE = "phone"\nVIDEO = "phone"\n'), encoding="utf-8")
    assert "VIDEO" in path.read_text(encoding="utf-8")


def _forget_panhandling(profiles: Path) -> None:
    """The CAD profile no longer knows the call type PANHAN (a lookups change: its rows are quarantined)."""
    path = profiles / "durham_cad.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('PANHAN = "Panhandling"\n', ""), encoding="utf-8")
    assert "PANHAN" not in path.read_text(encoding="utf-8")


def _heart_checks(con, response_id: str) -> list[tuple]:
    """Per row of a response: accepted, or the checks it failed."""
    return con.execute("""
        SELECT r.source_file, r.source_row,
            coalesce((SELECT list(DISTINCT q.check_name ORDER BY q.check_name) FROM quarantine.heart_failures AS q
                      WHERE q.file_id = r.file_id AND q.source_row = r.source_row),
                     CASE WHEN EXISTS (SELECT 1 FROM staging.heart_rows AS s
                                       WHERE s.file_id = r.file_id AND s.source_row = r.source_row)
                          THEN ['accepted'] ELSE ['duplicate'] END)
        FROM raw.heart_rows AS r WHERE r.response_id = ? ORDER BY ALL""", [response_id]).fetchall()


def _tables(con, db: str) -> dict[str, list[str]]:
    rows = con.execute(
        """SELECT schema_name || '.' || table_name, list(column_name ORDER BY column_index)
           FROM duckdb_columns() WHERE database_name = ? AND list_contains(?, schema_name)
           GROUP BY ALL""", [db, list(SCHEMAS)]).fetchall()
    return {name: columns for name, columns in rows if name not in NOT_COMPARED}


def differences(a: Path, b: Path) -> list[str]:
    """Every table of the compared layers whose columns or rows (as a multiset) differ between two warehouses."""
    con = duckdb.connect()
    con.execute(f"ATTACH '{a}' AS a (READ_ONLY)")
    con.execute(f"ATTACH '{b}' AS b (READ_ONLY)")
    tables_a, tables_b = _tables(con, "a"), _tables(con, "b")
    found = [f"only in one warehouse: {name}" for name in sorted(set(tables_a) ^ set(tables_b))]
    for name in sorted(set(tables_a) & set(tables_b)):
        if tables_a[name] != tables_b[name]:
            found.append(f"{name}: columns {tables_a[name]} != {tables_b[name]}")
            continue
        schema, table = name.split(".")
        types = dict(con.execute("SELECT column_name, data_type FROM duckdb_columns() WHERE database_name = 'a' "
                                 "AND schema_name = ? AND table_name = ?", [schema, table]).fetchall())
        columns = ", ".join(f'round("{c}", 9) AS "{c}"' if types[c] in ("DOUBLE", "FLOAT") else f'"{c}"'
                            for c in tables_a[name] if c not in TIMESTAMP_COLUMNS)
        only = [con.execute(f'SELECT count(*) FROM (SELECT {columns} FROM {x}."{schema}"."{table}" EXCEPT ALL '
                            f'SELECT {columns} FROM {y}."{schema}"."{table}")').fetchone()[0]
                for x, y in (("a", "b"), ("b", "a"))]
        if any(only):
            found.append(f"{name}: {only[0]} rows only in the first, {only[1]} only in the second")
    con.close()
    return found


def test_week_by_week_equals_a_full_rebuild(tmp_path):
    program = load_program(METRICS_SMALL / "program.toml")
    profiles = tmp_path / "profiles"
    shutil.copytree(DEFAULT_PROFILES, profiles)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    weekly = tmp_path / "weekly.duckdb"
    seen: dict[int, dict[str, list]] = {}
    for week, clock, files in WEEKS:
        _add(inbox, files)
        if week == 3:
            _teach_video(profiles)
        if week == 2:
            _forget_panhandling(profiles)
        with warehouse.connect(weekly) as con:
            ingest_and_validate(con, inbox, profiles, clock=_clock(clock))
            build_marts_and_metrics(con, program)
            seen[week] = {rid: _heart_checks(con, rid)
                          for rid in ("H23-000001", "H23-000004", "H23-000020", "H23-000022", "H23-000023", "H23-000026", "H23-000030")}
            seen[week]["linked"] = con.execute(
                "SELECT response_id FROM staging.heart_responses WHERE cad_linked ORDER BY 1").fetchall()
            seen[week]["23-0000001"] = con.execute(
                "SELECT source_file, disposition FROM staging.cad_incidents WHERE incident_id = '23-0000001'"
            ).fetchall()
            for incident in ("23-0008888", "23-0008889"):
                seen[week][incident] = con.execute(
                    "SELECT count(*) FROM staging.cad_incidents WHERE incident_id = ?", [incident]).fetchall()
            seen[week]["PANHAN"] = con.execute(
                "SELECT incident_id FROM staging.cad_incidents WHERE initial_call_type = 'PANHAN' ORDER BY 1").fetchall()

    # The weeks did what they are for.
    late = "durham_heart_2023-11-13.csv"
    assert seen[2]["H23-000020"] == [(late, 1, ["accepted"])]                 # its incident not loaded yet
    assert seen[3]["H23-000020"] == [(late, 1, ["time_order"])]               # dispatched before the call
    assert seen[4]["H23-000020"] == [(late, 1, ["accepted"])]                 # the call re-exported earlier
    assert seen[2]["H23-000022"] == [(late, 4, ["future_time"])] and seen[3]["H23-000022"] == [(late, 4, ["accepted"])]
    assert seen[4]["H23-000023"] == [(late, 5, ["future_time"])]
    assert seen[3]["H23-000026"] == [(late, 7, ["duplicate_id", "time_order"]), (late, 8, ["duplicate_id"])]
    assert seen[4]["H23-000026"] == [(late, 7, ["duplicate_id"]), (late, 8, ["duplicate_id"])]
    assert seen[2]["H23-000004"][0][2] == ["unknown_code"] and seen[3]["H23-000004"][0][2] == ["accepted"]
    assert ("H23-000002",) not in seen[2]["linked"] and ("H23-000002",) in seen[3]["linked"]
    assert seen[1]["23-0000001"][0][0] == "durham_cad_2023-11-06.csv"
    assert seen[2]["23-0000001"][0][0] == "durham_cad_2023-11-13.csv"
    assert seen[4]["23-0000001"][0][0] == "durham_cad_2023-11-27_fix.csv"
    assert seen[3]["H23-000001"] == [("durham_heart_2023-11-06.csv", 1, ["accepted"])]
    assert seen[4]["H23-000001"] == [("durham_heart_2023-11-06.csv", 1, ["time_order"])]
    assert seen[2]["23-0008889"] == [(0,)] and seen[3]["23-0008889"] == [(1,)]     # future, then not
    assert seen[3]["23-0008888"] == [(1,)] and seen[4]["23-0008888"] == [(0,)]     # the clock set back
    assert seen[3]["H23-000030"] == [("durham_heart_2023-11-20.csv", 1, ["accepted"])]
    assert seen[4]["H23-000030"] == [("durham_heart_2023-11-20.csv", 1, ["future_time"])]
    assert seen[1]["PANHAN"] == [("23-0000006",), ("23-0000007",)] and seen[2]["PANHAN"] == []

    scratch = tmp_path / "scratch.duckdb"
    with warehouse.connect(scratch) as con:
        ingest_and_validate(con, inbox, profiles, clock=_clock(WEEKS[-1][1]))
        build_marts_and_metrics(con, program)
    assert differences(weekly, scratch) == []

    # A full rebuild of the weekly warehouse gives the same again.
    with warehouse.connect(weekly) as con:
        validate_all(con, clock=_clock(WEEKS[-1][1]), full=True)
        build_marts_and_metrics(con, program)
    assert differences(weekly, scratch) == []
