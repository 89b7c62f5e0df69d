"""The impact marts (issue 16): marts.impact_beat_week and marts.impact_hour_week on a hand-made city.

Two beats (111, 112), seven weeks of CAD calls (Monday 2024-01-01 to Sunday 2024-02-18), launch on
Monday 2024-01-15. Every expected cell below is worked out by hand from the program and the calls,
not from the SQL:

  program   impact call types = the eligible list at launch: MENTAL, WELFCK (TRESP, added on
            2024-01-29, is never one). Area: 111 from 2024-01-15, citywide (111, 112) from
            2024-01-29. Hours: Mon-Fri 08:00-17:00 from 2024-01-15 (5 x 9 h = 45 h a week),
            7 days 08:30-18:00 from 2024-01-29 (7 x 9.5 h = 66.5 h a week; hour 8 half served).
  data      first call Tue 2024-01-02, last Wed 2024-02-14: weeks 01-01 and 02-12 are partial.
"""

from __future__ import annotations

import pytest

from pipeline import warehouse
from pipeline.build import build_warehouse
from pipeline.cli.summary import render_summary
from pipeline.marts import build_mart, impact_notes
from pipeline.program import load_program

PROGRAM = """
[program]
name = "impact fixture"
timezone = "America/New_York"
launch_date = 2024-01-15

[[units]]
code = "CR"
name = "Community Response"
effective = 2024-01-15
in_person = true
crisis_response = true

[[eligible_call_types]]
effective = 2024-01-15
natures = ["MENTAL", "WELFCK"]

[[eligible_call_types]]
effective = 2024-01-29
natures = ["MENTAL", "WELFCK", "TRESP"]

[[service_area]]
effective = 2024-01-15
beats = ["111"]

[[service_area]]
effective = 2024-01-29
citywide = true

[[service_hours]]
effective = 2024-01-15
days = ["Mon", "Tue", "Wed", "Thu", "Fri"]
start = 08:00:00
end = 17:00:00

[[service_hours]]
effective = 2024-01-29
days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
start = 08:30:00
end = 18:00:00

[[capacity]]
effective = 2024-01-15
CR = 1

[beats]
all = ["111", "112"]
"""

CAD_HEADER = ("IncidentNumber,CallDate,CallTime,InitialNature,FinalNature,Priority,Beat,Address,Disposition,"
              "UnitID,UnitType,Dispatched,Enroute,Arrived,Cleared")
# (incident, local date, time, call type, beat, address, disposition, [(unit, type, dispatched, cleared)])
CALLS = [
    # week of 2024-01-01 (before the launch)
    ("24-0001", "2024-01-02", "10:00", "MENTAL", "111", "100 BLOCK MAIN ST", "ARR", [("P1", "LAW", "10:05", "11:05")]),
    ("24-0002", "2024-01-03", "22:00", "WELFCK", "112", "5 BLOCK ELM ST", "GOA", []),
    ("24-0003", "2024-01-04", "11:00", "TRESP", "111", "100 BLOCK MAIN ST", "ARR", [("P2", "LAW", "11:05", "11:35")]),
    ("24-0008", "2024-01-03", "14:00", "WELFCK", "112", "300 BLOCK CEDAR ST", "NRPT", [("P5", "LAW", "14:05", "")]),
    ("24-0010", "2024-01-04", "15:00", "MENTAL", "111", "50 BLOCK BIRCH RD", "GOA", []),
    # week of 2024-01-08: 24-0004 is 24-0001's block written another way, 7 days later: a repeat
    ("24-0004", "2024-01-09", "09:00", "MENTAL", "111", "100 block  main st", "NRPT",
     [("P1", "LAW", "09:05", "09:35"), ("P2", "LAW", "09:10", "10:10")]),
    ("24-0015", "2024-01-10", "09:00", "MENTAL", "112", "100 BLOCK MAIN ST", "GOA", []),   # same block, other beat
    # week of 2024-01-15 (launched; 111 served weekdays 8-17)
    ("24-0005", "2024-01-16", "10:00", "MENTAL", "111", "900 BLOCK OAK AVE", "HRT",
     [("HRT-CR1", "HEART", "10:02", "10:50")]),
    ("24-0006", "2024-01-16", "20:00", "WELFCK", "111", "900 BLOCK OAK AVE", "TRN", [("P3", "LAW", "20:10", "20:40")]),
    ("24-0007", "2024-01-17", "12:00", "MENTAL", "112", "7 BLOCK PINE ST", "ARR", [("P4", "LAW", "12:05", "12:50")]),
    # police (20 minutes) and HEART both: police-handled, not police alone
    ("24-0016", "2024-01-18", "11:00", "MENTAL", "111", "77 BLOCK ASH ST", "ARR", [("P7", "LAW", "11:05", "11:25")]),
    # week of 2024-01-29: 24-0009 is 29 days after 24-0008 (a repeat), 24-0011 31 days after 24-0010 (not)
    ("24-0009", "2024-02-01", "14:00", "WELFCK", "112", "300 BLOCK CEDAR ST", "NRPT", [("P6", "LAW", "14:05", "15:05")]),
    ("24-0011", "2024-02-04", "15:00", "MENTAL", "111", "50 BLOCK BIRCH RD", "GOA", []),
    # week of 2024-02-05: a beat not listed, a call type not an impact type
    ("24-0013", "2024-02-06", "10:00", "MENTAL", "999", "1 BLOCK X ST", "ARR", []),
    ("24-0014", "2024-02-06", "11:00", "TRESP", "111", "1 BLOCK X ST", "ARR", []),
    # week of 2024-02-12: the last day with data; no address
    ("24-0012", "2024-02-14", "09:00", "MENTAL", "111", "", "CANC", []),
]
HEART_LOG = [
    "ResponseID,CADIncident,Unit,Team,ReceivedAt,DispatchedAt,ArrivedAt,ClearedAt,ContactMode,ResolvedNoInPerson,"
    "PoliceRequested,FeltSafe,Outcome,Referrals,PersonKey,FollowUpDue,FollowUpDone",
    "H-1,24-0005,CRT,CRT-1,2024-01-16T10:01:00,2024-01-16T10:02:00,2024-01-16T10:12:00,2024-01-16T10:50:00,"
    "IN PERSON,N,N,Y,RESOLVED ON SCENE,,P01,,",
    "H-2,24-0016,CRT,CRT-1,2024-01-18T11:01:00,2024-01-18T11:02:00,2024-01-18T11:12:00,2024-01-18T11:40:00,"
    "IN PERSON,N,Y,Y,RESOLVED ON SCENE,,P02,,",
]

COLUMNS = ("served_share", "partial_week", "impact_calls", "police_handled_calls", "police_unit_hours", "arrests",
           "ems_transports", "repeat_calls", "heart_answered_calls", "police_only_calls", "police_only_arrests",
           "police_only_ems_transports")
S45, S665 = 45 / 168, 66.5 / 168
ZERO = (0, 0, 0.0, 0, 0, 0, 0, 0, 0, 0)
# (beat, week) -> served share, partial, impact calls, police-handled, officer hours, arrests, transports,
# repeats, HEART-answered, police alone, their arrests, their transports; by hand from CALLS and PROGRAM.
EXPECTED = {
    ("111", "2024-01-01"): (0.0, True, 2, 1, 1.0, 1, 0, 0, 0, 1, 1, 0),       # 24-0001 (P1 1 h, ARR), 24-0010
    ("111", "2024-01-08"): (0.0, False, 1, 1, 1.5, 0, 0, 1, 0, 1, 0, 0),      # 24-0004: 0.5 h + 1 h, repeat of 24-0001
    # 24-0005 (HEART), 24-0006 (police, TRN, 0.5 h), 24-0016 (police 1/3 h and HEART, ARR)
    ("111", "2024-01-15"): (S45, False, 3, 2, 0.5 + 1 / 3, 1, 1, 0, 2, 1, 0, 1),
    ("111", "2024-01-22"): (S45, False, *ZERO),
    ("111", "2024-01-29"): (S665, False, 1, 0, 0.0, 0, 0, 0, 0, 0, 0, 0),     # 24-0011, 31 days: not a repeat
    ("111", "2024-02-05"): (S665, False, *ZERO),                              # 24-0014 is TRESP
    ("111", "2024-02-12"): (S665, True, 1, 0, 0.0, 0, 0, 0, 0, 0, 0, 0),      # 24-0012
    ("112", "2024-01-01"): (0.0, True, 2, 1, 0.0, 0, 0, 0, 0, 1, 0, 0),       # 24-0002, 24-0008 (no clear time: 0 h)
    ("112", "2024-01-08"): (0.0, False, 1, 0, 0.0, 0, 0, 0, 0, 0, 0, 0),      # 24-0015: 24-0001's block, another beat
    ("112", "2024-01-15"): (0.0, False, 1, 1, 0.75, 1, 0, 0, 0, 1, 1, 0),     # 24-0007, beat not served yet
    ("112", "2024-01-22"): (0.0, False, *ZERO),
    ("112", "2024-01-29"): (S665, False, 1, 1, 1.0, 0, 0, 1, 0, 1, 0, 0),     # 24-0009, 29 days after 24-0008
    ("112", "2024-02-05"): (S665, False, *ZERO),
    ("112", "2024-02-12"): (S665, True, *ZERO),
}


def _cad_lines() -> list[str]:
    lines = [CAD_HEADER]
    for incident, day, clock, nature, beat, address, dispo, units in CALLS:
        y, m, d = day.split("-")
        common = f"{incident},{m}/{d}/{y},{clock}:00,{nature},{nature},3,{beat},{address},{dispo}"
        if not units:
            lines.append(common + ",,,,,,")
        for unit, kind, dispatched, cleared in units:
            cleared_at = f"{day} {cleared}:00" if cleared else ""
            lines.append(f"{common},{unit},{kind},{day} {dispatched}:00,,,{cleared_at}")
    return lines


@pytest.fixture(scope="module")
def impact_warehouse(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("impact")
    inbox = tmp / "inbox"
    inbox.mkdir()
    (inbox / "durham_cad_2024-02-18.csv").write_text("\n".join(_cad_lines()) + "\n")
    (inbox / "durham_heart_2024-02-18.csv").write_text("\n".join(HEART_LOG) + "\n")
    (tmp / "program.toml").write_text(PROGRAM)
    program = load_program(tmp / "program.toml")
    path = build_warehouse(tmp / "w.duckdb", inbox, program)
    return path, program


def test_every_beat_week_cell_by_hand(impact_warehouse):
    path, _ = impact_warehouse
    with warehouse.connect(path) as con:
        assert con.execute("SELECT count(*) FROM quarantine.rows").fetchone()[0] == 0
        got = {(b, w.isoformat()): tuple(rest) for b, w, *rest in con.execute(
            f"SELECT beat, week_start, {', '.join(COLUMNS)} FROM marts.impact_beat_week").fetchall()}
        served_from = dict(con.execute(
            "SELECT DISTINCT beat, served_from::VARCHAR FROM marts.impact_beat_week").fetchall())
    assert got.keys() == EXPECTED.keys()
    for key, expected in EXPECTED.items():
        assert got[key][0] == pytest.approx(expected[0]), key
        assert got[key][4] == pytest.approx(expected[4]), key
        assert got[key][1:4] + got[key][5:] == expected[1:4] + expected[5:], key
    assert served_from == {"111": "2024-01-15", "112": "2024-01-29"}


def test_hour_week_cells_by_hand(impact_warehouse):
    path, _ = impact_warehouse
    with warehouse.connect(path) as con:
        assert con.execute("SELECT count(*) FROM marts.impact_hour_week").fetchone()[0] == 2 * 24 * 7

        def cell(beat, hour, week, column):
            return con.execute(f"SELECT {column} FROM marts.impact_hour_week WHERE beat = ? AND hour_of_day = ? "
                               "AND week_start = ?", [beat, hour, week]).fetchone()[0]

        # Weekdays 8-17: hour 8 served on 5 of 7 days; from 01-29, 08:30-18:00 every day: half of hour 8,
        # all of hour 17; the night never.
        assert cell("111", 8, "2024-01-15", "served_share") == pytest.approx(5 / 7)
        assert cell("111", 8, "2024-01-29", "served_share") == pytest.approx(0.5)
        assert cell("111", 17, "2024-01-22", "served_share") == 0
        assert cell("111", 17, "2024-01-29", "served_share") == pytest.approx(1.0)
        assert cell("112", 10, "2024-01-15", "served_share") == 0          # beat not in the area yet
        assert cell("111", 10, "2024-01-08", "served_share") == 0          # before the launch
        assert cell("111", 8, "2024-01-01", "served_from").isoformat() == "2024-01-15"
        assert cell("111", 17, "2024-01-01", "served_from").isoformat() == "2024-01-29"
        assert cell("112", 8, "2024-01-01", "served_from").isoformat() == "2024-01-29"
        assert cell("111", 3, "2024-01-01", "served_from") is None
        # Counts by the hour received.
        assert cell("111", 10, "2024-01-01", "arrests") == 1                # 24-0001 at 10:00
        assert cell("111", 9, "2024-01-08", "repeat_calls") == 1            # 24-0004 at 09:00
        assert cell("111", 9, "2024-01-08", "police_unit_hours") == pytest.approx(1.5)
        assert cell("111", 20, "2024-01-15", "ems_transports") == 1         # 24-0006 at 20:00
        assert cell("111", 10, "2024-01-15", "heart_answered_calls") == 1   # 24-0005 at 10:00
        assert cell("112", 14, "2024-01-29", "repeat_calls") == 1           # 24-0009 at 14:00
        assert cell("111", 11, "2024-01-15", "police_handled_calls") == 1   # 24-0016: police and HEART
        assert cell("111", 11, "2024-01-15", "police_only_calls") == 0
        assert cell("111", 11, "2024-01-15", "police_only_arrests") == 0
        assert cell("111", 11, "2024-01-15", "arrests") == 1
        assert cell("112", 14, "2024-02-12", "partial_week") is True
        totals = con.execute("SELECT sum(impact_calls), sum(arrests), sum(repeat_calls) FROM marts.impact_hour_week"
                             ).fetchone()
    assert totals == (13, 3, 2)


def test_the_block_is_kept_only_as_a_keyed_hash(impact_warehouse):
    path, _ = impact_warehouse
    with warehouse.connect(path) as con:
        keys = dict(con.execute("SELECT incident_id, block_key FROM staging.cad_incidents").fetchall())
        for table in ("raw.cad_rows", "staging.cad_rows", "staging.cad_incidents"):
            text = con.execute(f"SELECT count(*) FROM {table} WHERE block_key ILIKE '%BLOCK%'").fetchone()[0]
            assert text == 0, table
    assert keys["24-0001"] == keys["24-0004"]          # "100 BLOCK MAIN ST" and "100 block  main st"
    assert keys["24-0001"] != keys["24-0002"]
    assert len(keys["24-0001"]) == 32 and keys["24-0012"] is None


def test_without_blocks_or_outcome_classes(impact_warehouse, tmp_path):
    """A profile mapping no block: repeats on beat + type. No transport code: that count NULL, said once."""
    path, program = impact_warehouse
    copy = tmp_path / "w.duckdb"
    copy.write_bytes(path.read_bytes())
    with warehouse.connect(copy) as con:
        assert impact_notes(con) == []
        con.execute("UPDATE staging.cad_incidents SET block_key = NULL")
        con.execute("DELETE FROM raw.profile_outcome_classes WHERE outcome_class = 'ems_transport'")
        build_mart(con, "impact_beat_week", program)
        got = dict(((b, w.isoformat()), r) for b, w, r in con.execute(
            "SELECT beat, week_start, repeat_calls FROM marts.impact_beat_week WHERE repeat_calls > 0").fetchall())
        nulls = con.execute("SELECT count(*) FILTER (WHERE ems_transports IS NULL AND police_only_ems_transports "
                            "IS NULL), count(*), sum(arrests) FROM marts.impact_beat_week").fetchone()
        notes = impact_notes(con)
        summary = render_summary(con, copy, tmp_path / "reports")
    # 111 MENTAL: 24-0001, 24-0010 (+2 days), 24-0004 (+5), 24-0005 (+7), 24-0016 (+2), 24-0011 (+17),
    # 24-0012 (+10); 112 WELFCK: 24-0008, 24-0002 (+8 h), 24-0009 (+29 days less 8 h); 112 MENTAL: 24-0015,
    # 24-0007 (+7).
    assert got == {("111", "2024-01-01"): 1, ("111", "2024-01-08"): 1, ("111", "2024-01-15"): 2,
                   ("111", "2024-01-29"): 1, ("111", "2024-02-12"): 1,
                   ("112", "2024-01-01"): 1, ("112", "2024-01-15"): 1, ("112", "2024-01-29"): 1}
    assert nulls == (14, 14, 3)
    assert notes == [
        "profile durham_cad maps no disposition code to ems_transport ([outcome_classes]): those counts in "
        "marts.impact_* are NULL (unknown), not 0",
        "profile durham_cad maps no block (block_key): its repeat calls in marts.impact_* match on beat and "
        "call type only",
    ]
    # The run summary says each once.
    assert summary.count("Impact outcomes") == 1 and all(summary.count(note) == 1 for note in notes)
