"""Incremental marts and metric_values: built step by step, they equal a build from scratch.

The validate stage records, per run, what it changed (staging.changed_incidents,
staging.changed_responses). Here `record_changes` plays that part: it compares
staging before and after the run, so that the marts' incremental build is tested
against exactly what the interface promises. Every table of the marts and
metrics schemas is compared, order aside, with a warehouse built in full from
the same inbox.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from conftest import METRICS_SMALL, build, copy_into
from pipeline import warehouse
from pipeline.build import build_marts_and_metrics
from pipeline.metrics.compute import direct_values
from pipeline.program import load_program

PROGRAM = METRICS_SMALL / "program.toml"
# Bookkeeping of the builds themselves (sequence numbers, times, how): not data to compare.
BOOKKEEPING = {("metrics", "build_state"), ("metrics", "changed_dates")}
CAD_HEADER = ("IncidentNumber,CallDate,CallTime,InitialNature,FinalNature,Priority,Beat,Address,Disposition,"
              "UnitID,UnitType,Dispatched,Enroute,Arrived,Cleared")
HEART_HEADER = ("ResponseID,CADIncident,Unit,Team,ReceivedAt,DispatchedAt,ArrivedAt,ClearedAt,ContactMode,"
                "ResolvedNoInPerson,PoliceRequested,FeltSafe,Outcome,Referrals,PersonKey,FollowUpDue,FollowUpDone")

# Later exports, after the fixture's two weeks of files:
LATER = {
    # 24-0002 re-exported: its call type (TRESP -> MENTAL, now eligible) and its date (into
    # February: another week and month) change; 23-0008 loses one of its two police units; 24-0007
    # moves from March 8 to February 29 (the only change in its old week); 23-0014 moves to beat 113
    # (its HEART response, unchanged in the log, carries the beat); two new incidents, one on a
    # day after the data's last, so the last periods' clipped ends move.
    "durham_cad_2024-03-25.csv": [
        "24-0002,02/27/2024,10:00:00,MENTAL,MENTAL,3,111,200 BLOCK MAIN ST,NRPT,P113,LAW,"
        "2024-02-27 10:05:00,2024-02-27 10:06:00,2024-02-27 10:20:00,2024-02-27 10:50:00",
        "23-0008,11/02/2023,09:30:00,WELFCK,WELFCK,3,112,800 BLOCK ELM ST,NRPT,P104,LAW,"
        "2023-11-02 09:35:00,2023-11-02 09:36:00,2023-11-02 09:52:00,2023-11-02 10:35:00",
        "24-0007,02/29/2024,16:30:00,WELFCK,WELFCK,3,113,700 BLOCK OAK ST,NRPT,P114,LAW,"
        "2024-02-29 16:40:00,2024-02-29 16:41:00,2024-02-29 17:00:00,2024-02-29 17:40:00",
        "23-0014,11/06/2023,10:30:00,MENTAL,MENTAL,3,113,500 BLOCK ELM ST,HRT,HRT-CR1,HEART,"
        "2023-11-06 10:33:00,2023-11-06 10:34:00,2023-11-06 10:48:00,2023-11-06 11:30:00",
        "23-0014,11/06/2023,10:30:00,MENTAL,MENTAL,3,113,500 BLOCK ELM ST,HRT,P109,LAW,"
        "2023-11-06 10:33:00,2023-11-06 10:34:00,2023-11-06 10:45:00,2023-11-06 11:00:00",
        "24-0100,03/19/2024,09:30:00,WELFCK,WELFCK,3,111,500 BLOCK MAIN ST,HRT,,,,,,",
        "24-0101,03/18/2024,12:00:00,MENTAL,MENTAL,3,112,600 BLOCK ELM ST,NRPT,P120,LAW,"
        "2024-03-18 12:05:00,2024-03-18 12:06:00,2024-03-18 12:20:00,2024-03-18 13:00:00",
    ],
    # A response to an incident of October (answered now); 24-0012's response re-exported with a
    # later clear time, so its team was busy when 24-0016 came in (teams_busy 0 -> 1, though
    # nothing about 24-0016 itself changed); a response to an incident the warehouse does not have
    # yet; a Care Navigation follow-up due after the data ends (pending).
    "durham_heart_2024-03-25.csv": [
        "H23-0003,23-0003,CRT,CRT-1,2023-10-30T11:31:00,2023-10-30T11:33:00,2023-10-30T11:45:00,"
        "2023-10-30T12:30:00,IN PERSON,N,N,Y,RESOLVED ON SCENE,,P30,,",
        "H24-0012,24-0012,CRT,CRT-1,2024-03-11T10:01:00,2024-03-11T10:03:00,2024-03-11T10:13:00,"
        "2024-03-11T12:30:00,IN PERSON,N,N,Y,RESOLVED ON SCENE,,P13,,",
        "H24-0200,24-0200,CCD,CCD-A,2024-03-19T14:01:00,,,2024-03-19T14:20:00,PHONE,Y,N,,REFERRED,,P31,,",
        "H24-0100N,24-0100,CN,CN-1,2024-03-19T10:00:00,,,,PHONE,N,N,,REFERRED,,P32,2024-03-21T10:00:00,",
    ],
}
LATEST = {
    # The CAD record of 24-0200 arrives (its response links), and a call two weeks on: the data
    # passes the day the follow-up falls due, and the week between is a new period with no data.
    "durham_cad_2024-04-08.csv": [
        "24-0200,03/19/2024,14:00:00,SUICTH,SUICTH,3,113,700 BLOCK OAK ST,HRT,,,,,,",
        "24-0201,04/03/2024,16:00:00,NOISE,NOISE,4,111,800 BLOCK MAIN ST,NRPT,P121,LAW,"
        "2024-04-03 16:05:00,2024-04-03 16:06:00,2024-04-03 16:15:00,2024-04-03 16:45:00",
    ],
}
CORRECTED = {
    # 24-0201's date corrected to 2024-02-20: the data's range shrinks back to 2024-03-19 (a day
    # nothing changed on), periods go or end earlier, and the follow-up is pending again.
    "durham_cad_2024-04-15.csv": [
        "24-0201,02/20/2024,16:00:00,NOISE,NOISE,4,111,800 BLOCK MAIN ST,NRPT,P121,LAW,"
        "2024-02-20 16:05:00,2024-02-20 16:06:00,2024-02-20 16:15:00,2024-02-20 16:45:00",
    ],
}


def write_exports(folder: Path, exports: dict[str, list[str]]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, lines in exports.items():
        header = CAD_HEADER if "_cad_" in name else HEART_HEADER
        (folder / name).write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
        paths.append(folder / name)
    return paths


def snapshot(con) -> None:
    """Staging as it stands before a run, to compare with after it."""
    con.execute("CREATE SCHEMA IF NOT EXISTS snap")
    for table in ("cad_incidents", "cad_unit_assignments", "heart_responses"):
        con.execute(f"CREATE OR REPLACE TABLE snap.{table} AS SELECT * FROM staging.{table}")


def record_changes(con) -> tuple[int, int]:
    """What the validate stage records: every incident and response whose staging rows the run changed."""
    con.execute("""
        CREATE OR REPLACE TABLE staging.changed_responses AS
        SELECT response_id FROM (SELECT * FROM snap.heart_responses EXCEPT SELECT * FROM staging.heart_responses)
        UNION
        SELECT response_id FROM (SELECT * FROM staging.heart_responses EXCEPT SELECT * FROM snap.heart_responses)
    """)
    con.execute("""
        CREATE OR REPLACE TABLE staging.changed_incidents AS
        SELECT incident_id FROM (SELECT * FROM snap.cad_incidents EXCEPT SELECT * FROM staging.cad_incidents)
        UNION
        SELECT incident_id FROM (SELECT * FROM staging.cad_incidents EXCEPT SELECT * FROM snap.cad_incidents)
        UNION
        SELECT incident_id FROM (SELECT * FROM snap.cad_unit_assignments
                                 EXCEPT SELECT * FROM staging.cad_unit_assignments)
        UNION
        SELECT incident_id FROM (SELECT * FROM staging.cad_unit_assignments
                                 EXCEPT SELECT * FROM snap.cad_unit_assignments)
        UNION
        SELECT cad_incident_id FROM snap.heart_responses
        WHERE response_id IN (SELECT response_id FROM staging.changed_responses) AND cad_incident_id IS NOT NULL
        UNION
        SELECT cad_incident_id FROM staging.heart_responses
        WHERE response_id IN (SELECT response_id FROM staging.changed_responses) AND cad_incident_id IS NOT NULL
    """)
    con.execute("DROP SCHEMA snap CASCADE")
    return (con.execute("SELECT count(*) FROM staging.changed_incidents").fetchone()[0],
            con.execute("SELECT count(*) FROM staging.changed_responses").fetchone()[0])


def run_step(con, inbox: Path, program, *sources: Path) -> tuple[int, int]:
    """One weekly run: new files into the inbox, ingest and validate (recording changes), marts and metrics."""
    copy_into(inbox, *sources)
    snapshot(con)
    build(con, inbox)
    changes = record_changes(con)
    build_marts_and_metrics(con, program)
    return changes


def modes(con) -> tuple[str, str]:
    return (con.execute("SELECT mode FROM metrics.build_state WHERE stage = 'marts'").fetchone()[0],
            con.execute("SELECT mode FROM metrics.build_state WHERE stage = 'metric_values'").fetchone()[0])


def from_scratch(tmp: Path, inbox: Path, program) -> Path:
    path = tmp / "scratch.duckdb"
    path.unlink(missing_ok=True)
    with warehouse.connect(path) as con:
        build(con, copy_into(tmp / "scratch_inbox", inbox))
        build_marts_and_metrics(con, program)
    shutil.rmtree(tmp / "scratch_inbox")
    return path


def differences(built: Path, scratch: Path) -> dict[str, tuple[int, int]]:
    """Per table of marts and metrics: rows only in `built`, rows only in `scratch` (order ignored)."""
    found = {}
    with duckdb.connect() as con:
        con.execute(f"ATTACH '{built}' AS built (READ_ONLY)")
        con.execute(f"ATTACH '{scratch}' AS scratch (READ_ONLY)")

        def tables(db: str) -> set[tuple[str, str]]:
            return set(con.execute(
                "SELECT schema_name, table_name FROM duckdb_tables() WHERE database_name = ? "
                "AND schema_name IN ('marts', 'metrics')", [db]).fetchall()) - BOOKKEEPING

        names = tables("built")
        assert names == tables("scratch")
        assert len(names) >= 9
        for schema, table in sorted(names):
            a, b = f"built.{schema}.{table}", f"scratch.{schema}.{table}"
            only_a = con.execute(f"SELECT count(*) FROM (SELECT * FROM {a} EXCEPT ALL SELECT * FROM {b})").fetchone()[0]
            only_b = con.execute(f"SELECT count(*) FROM (SELECT * FROM {b} EXCEPT ALL SELECT * FROM {a})").fetchone()[0]
            if only_a or only_b:
                found[f"{schema}.{table}"] = (only_a, only_b)
    return found


def test_weekly_steps_equal_a_build_from_scratch(tmp_path):
    program = load_program(PROGRAM)
    inbox = tmp_path / "inbox"
    later = write_exports(tmp_path / "later", LATER)
    latest = write_exports(tmp_path / "latest", LATEST)
    corrected = write_exports(tmp_path / "corrected", CORRECTED)
    source = METRICS_SMALL / "inbox"
    steps = [
        [source / "durham_cad_2023-11-13.csv", source / "durham_heart_2023-11-13.csv"],
        [source / "durham_cad_2024-03-18.csv", source / "durham_heart_2024-03-18.csv"],
        later,
        latest,
        corrected,
        [],   # a run with nothing new
    ]
    path = tmp_path / "warehouse.duckdb"
    with warehouse.connect(path) as con:
        # The first run: no record of changes and no marts yet, so everything is built.
        copy_into(inbox, *steps[0])
        build(con, inbox)
        build_marts_and_metrics(con, program)
        assert modes(con) == ("full", "full")
    for n, files in enumerate(steps[1:], start=2):
        with warehouse.connect(path) as con:
            incidents, responses = run_step(con, inbox, program, *files)
            assert modes(con) == ("incremental", "incremental"), f"run {n}"
            assert (incidents > 0) == bool(files), f"run {n}"
        assert differences(path, from_scratch(tmp_path, inbox, program)) == {}, f"run {n}"
    with warehouse.connect(path) as con:
        # The later runs did what they were meant to: 24-0002 moved, H24-0200 linked, 23-0003 answered,
        # 24-0016 met a busy team, the data ends on 2024-03-19.
        assert con.execute("SELECT received_date::VARCHAR, initial_call_type, eligible FROM marts.cad_incidents "
                           "WHERE incident_id = '24-0002'").fetchall() == [("2024-02-27", "MENTAL", True)]
        assert con.execute("SELECT cad_linked FROM marts.heart_responses WHERE response_id = 'H24-0200'"
                           ).fetchall() == [(True,)]
        assert con.execute("SELECT answered FROM marts.eligible_calls WHERE incident_id = '23-0003'"
                           ).fetchall() == [(True,)]
        assert con.execute("SELECT teams_busy FROM marts.eligible_calls WHERE incident_id = '24-0016'"
                           ).fetchall() == [(1,)]
        assert con.execute("SELECT max(service_date)::VARCHAR FROM marts.program_days").fetchall() == [("2024-03-19",)]
        # Not everything was recomputed: the weeks between the fixture's two clusters were left alone.
        assert con.execute("SELECT days_recomputed < 30 FROM metrics.build_state WHERE stage = 'metric_values'"
                           ).fetchone()[0] is True


def test_program_change_rebuilds_in_full(tmp_path):
    program = load_program(PROGRAM)
    inbox = tmp_path / "inbox"
    path = tmp_path / "warehouse.duckdb"
    with warehouse.connect(path) as con:
        copy_into(inbox, METRICS_SMALL / "inbox")
        build(con, inbox)
        build_marts_and_metrics(con, program)
    # The program makes NOISE eligible from 2024-03-12: calls already in the marts change.
    text = PROGRAM.read_text(encoding="utf-8")
    changed = tmp_path / "program.toml"
    changed.write_text(text + '\n[[eligible_call_types]]\neffective = 2024-03-12\nlabel = "with noise"\n'
                       'natures = ["MENTAL", "WELFCK", "SUICTH", "INTOX", "TRESP", "NOISE"]\n', encoding="utf-8")
    changed_program = load_program(changed)
    with warehouse.connect(path) as con:
        run_step(con, inbox, changed_program, *write_exports(tmp_path / "later", LATER))
        assert modes(con) == ("full", "full")
        assert "configuration" in con.execute("SELECT reason FROM metrics.build_state WHERE stage = 'marts'").fetchone()[0]
        assert con.execute("SELECT eligible FROM marts.cad_incidents WHERE incident_id = '24-0022'"
                           ).fetchall() == [(True,)]
    assert differences(path, from_scratch(tmp_path, inbox, changed_program)) == {}
    # And back: the next run under the old program is full again, and right.
    with warehouse.connect(path) as con:
        run_step(con, inbox, program)
        assert modes(con) == ("full", "full")
    assert differences(path, from_scratch(tmp_path, inbox, program)) == {}


def test_changes_the_marts_never_saw_are_caught(tmp_path):
    """A run whose record of changes is missing some (a failed run before it, say): the marts rebuild in full."""
    program = load_program(PROGRAM)
    inbox = tmp_path / "inbox"
    path = tmp_path / "warehouse.duckdb"
    source = METRICS_SMALL / "inbox"
    with warehouse.connect(path) as con:
        copy_into(inbox, source / "durham_cad_2023-11-13.csv", source / "durham_heart_2023-11-13.csv")
        build(con, inbox)
        build_marts_and_metrics(con, program)
        copy_into(inbox, source / "durham_cad_2024-03-18.csv", source / "durham_heart_2024-03-18.csv")
        build(con, inbox)
        con.execute("CREATE OR REPLACE TABLE staging.changed_incidents (incident_id VARCHAR)")
        con.execute("CREATE OR REPLACE TABLE staging.changed_responses (response_id VARCHAR)")
        build_marts_and_metrics(con, program)
        assert modes(con) == ("full", "full")
    assert differences(path, from_scratch(tmp_path, inbox, program)) == {}


@pytest.mark.parametrize("extra", [(), ("later",)])
def test_summing_days_gives_what_each_period_computed_whole_gives(tmp_path, extra):
    """The summed-by-day metrics equal each period computed straight from the marts, row for row."""
    program = load_program(PROGRAM)
    extra_files = write_exports(tmp_path / "later", LATER) + write_exports(tmp_path / "latest", LATEST) if extra else []
    inbox = copy_into(tmp_path / "inbox", METRICS_SMALL / "inbox", *extra_files)
    path = from_scratch(tmp_path, inbox, program)
    with warehouse.connect(path) as con:
        direct_values(con, program.fiscal_year_start_month)
        for a, b in (("metrics.metric_values", "metric_results_final"), ("metric_results_final", "metrics.metric_values")):
            assert con.execute(f"SELECT count(*) FROM (SELECT * FROM {a} EXCEPT ALL SELECT * FROM {b})").fetchone()[0] == 0
        assert con.execute("SELECT count(*) FROM metrics.metric_values").fetchone()[0] > 1000


def test_changes_of_runs_stopped_before_the_marts_reach_them_later(tmp_path):
    """A blocking check stops a run after validation, before the marts; the next run validates nothing new.

    The validate stage's record of changes is added to until the marts have taken it in, so the marts
    built after two validation-only runs equal a build from scratch.
    """
    inbox = tmp_path / "inbox"
    program = load_program(METRICS_SMALL / "program.toml")
    files = {p.name: p for p in (METRICS_SMALL / "inbox").iterdir()}
    with warehouse.connect(tmp_path / "built.duckdb") as con:
        copy_into(inbox, files["durham_cad_2023-11-13.csv"], files["durham_heart_2023-11-13.csv"])
        build(con, inbox)
        build_marts_and_metrics(con, program)
        copy_into(inbox, files["durham_cad_2024-03-18.csv"])
        build(con, inbox)                      # stopped here: no marts
        copy_into(inbox, files["durham_heart_2024-03-18.csv"])
        build(con, inbox)                      # and here
        assert con.execute("SELECT count(*) FROM staging.changed_incidents").fetchone()[0] > 0
        build(con, inbox)                      # nothing new at all, then the marts
        build_marts_and_metrics(con, program)
        assert modes(con) == ("incremental", "incremental")
        assert con.execute("SELECT count(*) FROM staging.changed_incidents").fetchone()[0] == 0
    assert differences(tmp_path / "built.duckdb", from_scratch(tmp_path, inbox, program)) == {}
