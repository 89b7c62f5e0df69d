"""The worked analyst questions in sql/examples/, each run on the hand-checked metrics_small fixture.

Every expected answer below was worked out by hand from the incident tables in
tests/fixtures/metrics_small/README.md (and, for the quarantine example, from
the durham_small rows listed in tests/test_ingest_validate.py); the comments
give the arithmetic. Nothing was pasted from a run.

Fixture dates: latest data day Sunday 2024-03-17 (24-0022), so
  * the last complete quarter is 2023-10-01 .. 2024-01-01 (cluster A, 10-30 .. 11-09);
  * the last 12 months are 2023-03-18 .. 2024-03-18 (all the data);
  * the last 12 calendar months start 2023-04-01 (all the data).
"""

from __future__ import annotations

import math
from datetime import date, timedelta

import duckdb
import pytest

from conftest import DURHAM_SMALL, build, copy_into
from pipeline import warehouse
from pipeline.cli import sql as sql_cli

EXAMPLES = sorted(sql_cli.EXAMPLES_DIR.glob("*.sql"))


def answer(path, example: str | sql_cli.Example, replace: tuple[str, str] | None = None) -> list[dict]:
    sql = (sql_cli.EXAMPLES_DIR / f"{example}.sql").read_text(encoding="utf-8")
    if replace:
        assert sql.count(replace[0]) == 1, replace[0]
        sql = sql.replace(*replace)
    columns, rows = sql_cli.run_query(path, sql)
    return [dict(zip(columns, row)) for row in rows]


def wilson(k: int, n: int) -> tuple[float, float]:
    z = 1.96
    p = k / n
    centre = p + z * z / (2 * n)
    margin = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return (centre - margin) / (1 + z * z / n), (centre + margin) / (1 + z * z / n)


# --- the examples as a set ------------------------------------------------------------------


def test_at_least_six_examples_each_with_a_full_header_and_one_query():
    assert len(EXAMPLES) >= 6
    for path in EXAMPLES:
        text = path.read_text(encoding="utf-8")
        header = sql_cli.parse_example_header(text)
        for key in sql_cli.EXAMPLE_HEADER_KEYS:
            assert len(header.get(key, "")) > 20, f"{path.name}: header field {key!r} missing or too short"
        assert header["question"].endswith("?"), f"{path.name}: the question should be a question"
        statements = duckdb.extract_statements(text)
        assert len(statements) == 1, f"{path.name}: one query per example"
        assert statements[0].type == duckdb.StatementType.SELECT, path.name
        # Relative dates only: no example may hard-code a day of the fixture (or of any city).
        assert "DATE '" not in text.upper() and "'20" not in text, f"{path.name}: literal date"


def test_every_example_has_a_hand_worked_test():
    checked = {name for name in globals() if name.startswith("test_example_")}
    for path in EXAMPLES:
        number = path.stem.split("_")[0]
        assert any(name.startswith(f"test_example_{number}") for name in checked), f"{path.name} has no test"


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_example_runs_read_only_through_heart_sql(metrics_small_warehouse, path, capsys):
    from pipeline.cli import main

    wh, _ = metrics_small_warehouse
    assert main(["sql", str(path), "--warehouse", str(wh), "--format", "csv"]) == 0
    out = capsys.readouterr()
    assert out.err == ""
    assert out.out.splitlines()[0].count(",") >= 1


# --- each example's answer on metrics_small -------------------------------------------------


def test_example_01_eligible_calls_by_hour_last_quarter(metrics_small_warehouse):
    rows = answer(metrics_small_warehouse[0], "01_eligible_calls_by_hour_last_quarter")
    # Latest day 2024-03-17 -> the quarter holding 03-18 is Q1 2024 (not complete) -> Q4 2023.
    assert {(r["quarter_start"], r["quarter_end"]) for r in rows} == {(date(2023, 10, 1), date(2024, 1, 1))}
    assert [r["hour_of_day"] for r in rows] == [f"{h:02d}" for h in range(24)]
    got = {r["hour_of_day"]: (r["eligible"], r["answered"], r["unmet"]) for r in rows if r["eligible"]}
    # Eligible calls of cluster A by local hour (ASSAULT 23-0013 and NOISE 23-0016 are not eligible):
    #   01: 23-0011 unmet (fall-back repeated hour, counted once)
    #   08: 23-0010 answered (CR)
    #   09: 23-0001 answered (CR); 23-0008 unmet (not_routed)
    #   10: 23-0004 answered (CCD); 23-0014 answered (CR)
    #   11: 23-0002 answered (CR); 23-0003 and 23-0015 unmet (no_team_free)
    #   13: 23-0005 answered (CCD, outside the area)
    #   14: 23-0006 unmet;  17: 23-0009 unmet;  18: 23-0007 and 23-0017 unmet
    #   23: 23-0012 unmet (23:30 EST Sunday, still 11-05 locally)
    assert got == {
        "01": (1, 0, 1), "08": (1, 1, 0), "09": (2, 1, 1), "10": (2, 2, 0), "11": (3, 1, 2),
        "13": (1, 1, 0), "14": (1, 0, 1), "17": (1, 0, 1), "18": (2, 0, 2), "23": (1, 0, 1),
    }
    # 15 eligible = 6 answered + 9 unmet; the other 14 hours are all zero with no share.
    assert sum(r["eligible"] for r in rows) == 15
    assert sum(r["answered"] for r in rows) == 6 and sum(r["unmet"] for r in rows) == 9
    shares = {r["hour_of_day"]: r["answered_share"] for r in rows}
    assert shares["11"] == pytest.approx(0.333)  # 1 / 3
    assert shares["09"] == 0.5 and shares["18"] == 0.0 and shares["12"] is None


def test_example_02_repeat_people_share(metrics_small_warehouse):
    (row,) = answer(metrics_small_warehouse[0], "02_repeat_people_share")
    # Window: 12 months ending 2024-03-17 -> [2023-03-18, 2024-03-18): all the data.
    assert (row["window_start"], row["window_end"]) == (date(2023, 3, 18), date(2024, 3, 18))
    # Crisis responses (CCD, CR, COR): 11 rows in the 2023 log minus 3 CN = 8 (incl. walk-up
    # H23-W001 and unlinked H23-U001); 16 in the 2024 log minus 3 CN = 13; 21 in all.
    assert row["crisis_responses"] == 21
    # Only H24-0020 (unable to locate) has no person key: 20 with a key.
    assert row["responses_with_person_key"] == 20
    # P01..P17, with P01, P08 and P16 on two responses each: 20 - 3 = 17 people.
    assert row["people"] == 17
    # Occasions: P01 23-0001 and 23-0014 (2), P08 24-0001 and 24-0008 (2); P16's two responses
    # are CR and COR on the one call 24-0019 (1 occasion); CN follow-ups are not crisis responses.
    assert row["repeat_people"] == 2
    assert row["repeat_people_responses"] == 4
    assert row["repeat_share"] == pytest.approx(0.2)  # 4 / 20
    # Aggregates only: no person key anywhere in the answer.
    assert not any(isinstance(v, str) and v.startswith("P") for v in row.values())


def test_example_02_counts_three_occasions_when_asked(metrics_small_warehouse):
    (row,) = answer(metrics_small_warehouse[0], "02_repeat_people_share",
                    ("SELECT 2 AS min_occasions", "SELECT 3 AS min_occasions"))
    # Nobody was seen on three occasions.
    assert (row["repeat_people"], row["repeat_people_responses"], row["repeat_share"]) == (0, 0, 0.0)


# Per-call first arrival, minutes (README "resp"), by beat, over all the data:
#   HEART (first in-person arrival of CR or COR on calls HEART answered)
#     111: 23-0001 15, 24-0001 12, 24-0005 20, 24-0008 14, 24-0014 20 (COR), 24-0021 12
#          -> 12 12 14 15 20 20: 6 calls, median (14 + 15) / 2 = 14.5
#     112: 23-0002 20, 23-0014 18, 24-0006 45, 24-0020 20 -> 18 20 20 45: 4, median 20
#     113: 23-0010 25, 24-0012 13, 24-0019 min(CR 15, COR 10) = 10 -> 10 13 25: 3, median 13
#     211: 24-0018 23: 1
#   POLICE (eligible calls HEART did not answer, with a police arrival)
#     111: 23-0007 15, 23-0011 20, 24-0011 25 -> 3, median 20
#     112: 23-0008 22, 23-0017 20, 24-0009 15 (real minutes over spring-forward), 24-0013 20
#          -> 15 20 20 22: 4, median 20
#     113: 23-0003 21, 23-0015 17, 24-0007 30, 24-0015 40 -> 17 21 30 40: 4, median 25.5
#     211: 24-0017 35: 1;  212: 23-0006 25: 1
def test_example_03_response_time_by_beat(metrics_small_warehouse):
    rows = answer(metrics_small_warehouse[0], "03_response_time_by_beat")
    # Default min_timed_calls = 5: only beat 111 (HEART 6) qualifies; its 3 police calls are
    # too few for a median, so that median is blank.
    assert [(r["beat"], r["heart_calls"], r["heart_median_minutes"], r["police_calls"], r["police_median_minutes"])
            for r in rows] == [("111", 6, 14.5, 3, None)]
    assert (rows[0]["window_start"], rows[0]["window_end"]) == (date(2023, 3, 18), date(2024, 3, 18))


def test_example_03_with_a_lower_threshold(metrics_small_warehouse):
    rows = answer(metrics_small_warehouse[0], "03_response_time_by_beat",
                  ("SELECT 5 AS min_timed_calls", "SELECT 3 AS min_timed_calls"))
    # min 3: beats 111, 112, 113 qualify on both sides; 211 (1 + 1) and 212 (0 + 1) do not.
    assert [(r["beat"], r["heart_calls"], r["heart_median_minutes"], r["police_calls"], r["police_median_minutes"])
            for r in rows] == [
        ("111", 6, 14.5, 3, 20.0),
        ("112", 4, 20.0, 4, 20.0),
        ("113", 3, 13.0, 4, 25.5),
    ]


def test_example_04_unmet_calls_by_reason_and_month(metrics_small_warehouse):
    rows = answer(metrics_small_warehouse[0], "04_unmet_calls_by_reason_and_month")
    got = [(r["month_start"], r["reason"], r["unmet_calls"], r["eligible_calls"]) for r in rows]
    # October 2023 (10-30, 10-31): eligible 23-0001..23-0005 = 5; unmet 23-0003 (no_team_free).
    # November 2023: eligible 23-0006..0012, 0014, 0015, 0017 = 10; unmet
    #   hours 23-0007, 0009, 0011, 0012, 0017 = 5; area 23-0006; no_team_free 23-0015;
    #   not_routed 23-0008.
    # December - February: no calls, no rows.
    # March 2024: eligible 24-0001 and 24-0003..24-0021 = 20 (24-0002 TRESP before 03-11 and
    #   24-0022 NOISE are not); unmet hours 24-0009, 0010, 0011 = 3; area 24-0017;
    #   no_team_free 24-0007, 24-0015; not_routed 24-0013, 24-0016.
    oct_, nov, mar = date(2023, 10, 1), date(2023, 11, 1), date(2024, 3, 1)
    assert got == [
        (oct_, "no_team_free", 1, 5),
        (nov, "outside_service_hours", 5, 10),
        (nov, "outside_service_area", 1, 10),
        (nov, "no_team_free", 1, 10),
        (nov, "not_routed", 1, 10),
        (mar, "outside_service_hours", 3, 20),
        (mar, "outside_service_area", 1, 20),
        (mar, "no_team_free", 2, 20),
        (mar, "not_routed", 2, 20),
    ]
    # 17 unmet of 35 eligible = the 35 - 18 answered in the README.
    assert sum(r["unmet_calls"] for r in rows) == 17
    shares = {(r["month_start"], r["reason"]): r["share_of_eligible"] for r in rows}
    assert shares[(nov, "outside_service_hours")] == 0.5  # 5 / 10
    assert shares[(mar, "outside_service_area")] == 0.05  # 1 / 20


def test_example_05_call_types_by_officer_hours_saved(metrics_small_warehouse):
    rows = answer(metrics_small_warehouse[0], "05_call_types_by_officer_hours_saved")
    got = [(r["call_type"], r["handled_calls"], r["diverted_calls"], r["officer_hours_saved"],
            r["hours_per_diverted_call"]) for r in rows]
    # Handled (a linked crisis response names the incident), diverted (no police unit, no request):
    #   MENTAL: 23-0001 d, 23-0010 d, 23-0014 (P109), 24-0001 d, 24-0004 d (EMS only), 24-0008 d,
    #           24-0018 d, 24-0019 (P902) -> 8 handled, 6 diverted x 1.25 h = 7.5
    #   WELFCK: 23-0002 (P101), 24-0003 d, 24-0021 d -> 3, 2 x 1.25 = 2.5
    #   SUICTH: 23-0004 d, 24-0005 d, 24-0014 (COR, P901) -> 3, 2 x 0.5 = 1.0
    #   TRESP:  24-0012 d -> 1, 1 x 0.75 = 0.75
    #   INTOX:  23-0005 (P201), 24-0006 (requested), 24-0020 d -> 3, 1 x 0 (no comparable) = 0
    assert got == [
        ("MENTAL", 8, 6, 7.5, 1.25),
        ("WELFCK", 3, 2, 2.5, 1.25),
        ("SUICTH", 3, 2, 1.0, 0.5),
        ("TRESP", 1, 1, 0.75, 0.75),
        ("INTOX", 3, 1, 0.0, 0.0),
    ]
    shares = {r["call_type"]: r["diversion_share"] for r in rows}
    assert shares == {"MENTAL": 0.75, "WELFCK": 0.667, "SUICTH": 0.667, "TRESP": 1.0, "INTOX": 0.333}
    # 18 handled, 12 diverted, 11.75 hours: the published all-period totals.
    assert sum(r["handled_calls"] for r in rows) == 18 and sum(r["diverted_calls"] for r in rows) == 12
    assert sum(r["officer_hours_saved"] for r in rows) == pytest.approx(11.75)
    assert rows[0]["call_type_label"] == "Mental health crisis (non-violent)"


def test_example_06_care_navigation_followups_by_month(metrics_small_warehouse):
    rows = answer(metrics_small_warehouse[0], "06_care_navigation_followups_by_month")
    got = [(r["month_start"], r["due"], r["done_on_time"], r["done_late"], r["not_done"]) for r in rows]
    # Due in November 2023: H23-0001N (11-01, done 10-31: on time), H23-0004N (11-02, never done),
    #   H23-0010N (11-05 07:00 EST, done 07:30: late) -> 3 due, 1 on time, 1 late, 1 not done.
    # Due in March 2024: H24-0005N (03-10, on time by real time), H24-0008N (03-11, on time),
    #   H24-0018N (03-15 09:00, done 15:00: late) -> 3 due, 2 on time, 1 late, 0 not done.
    # October 2023 has none due, so no row (a rate with nothing to measure is absent).
    assert got == [(date(2023, 11, 1), 3, 1, 1, 1), (date(2024, 3, 1), 3, 2, 1, 0)]
    for row, (k, n) in zip(rows, [(1, 3), (2, 3)]):
        low, high = wilson(k, n)  # 1/3: 0.061 - 0.792; 2/3: 0.208 - 0.939
        assert row["on_time_share"] == round(k / n, 3)
        assert (row["ci_low"], row["ci_high"]) == (round(low, 3), round(high, 3))


def test_example_07_quarantine_last_8_weeks_on_metrics_small(metrics_small_warehouse):
    rows = answer(metrics_small_warehouse[0], "07_quarantine_last_8_weeks")
    # Four files, loaded together, nothing quarantined: every file listed, by name.
    # Rows read (one per incident and unit): CAD 2023 = 17 incidents + a second unit row on
    # 23-0002, 0008, 0013, 0014, 0017 = 22; CAD 2024 = 22 incidents + 1 on 24-0014 + 2 on 24-0019
    # (CR, COR, P902) = 25. HEART logs: 8 + 3 CN = 11 and 13 + 3 CN = 16, one row per response.
    assert [(r["file_name"], r["status"], r["rows_read"], r["rows_quarantined"], r["top_check"]) for r in rows] == [
        ("durham_cad_2023-11-13.csv", "loaded", 22, 0, None),
        ("durham_cad_2024-03-18.csv", "loaded", 25, 0, None),
        ("durham_heart_2023-11-13.csv", "loaded", 11, 0, None),
        ("durham_heart_2024-03-18.csv", "loaded", 16, 0, None),
    ]
    assert all(r["reconciles"] for r in rows)


@pytest.fixture(scope="module")
def durham_small_warehouse(tmp_path_factory):
    """durham_small run1 + its unreadable files: quarantined rows and unreadable files to report."""
    tmp = tmp_path_factory.mktemp("durham_small_sql")
    path = tmp / "warehouse.duckdb"
    with warehouse.connect(path) as con:
        build(con, copy_into(tmp / "inbox", DURHAM_SMALL / "run1", DURHAM_SMALL / "unreadable"))
    return path


def test_example_07_quarantine_last_8_weeks_with_problems(durham_small_warehouse):
    rows = answer(durham_small_warehouse, "07_quarantine_last_8_weeks")
    got = [(r["file_name"], r["status"], r["rows_read"], r["rows_quarantined"], r["quarantined_share"],
            r["top_check"], r["top_check_failures"]) for r in rows]
    # From tests/test_ingest_validate.py: cad 11-06 rows 9-14 fail one check each (14 read, 6
    # quarantined): unknown_code twice (XFER, K9), the other four checks once each. The HEART log
    # (11 read, 7 quarantined) fails unknown_code three times (CRX, Video, Arrested), four other
    # checks once. cad 11-13 is clean. The four unreadable files come first, by name.
    assert got == [
        ("durham_cad_2023-11-27.csv", "unreadable", 0, 0, None, None, None),
        ("durham_cad_2023-12-04.csv", "unreadable", 0, 0, None, None, None),
        ("durham_heart_2023-11-13.csv", "unreadable", 0, 0, None, None, None),
        ("notes.xlsx", "unreadable", 0, 0, None, None, None),
        ("durham_heart_2023-11-06.csv", "loaded", 11, 7, 0.636, "unknown_code", 3),  # 7 / 11
        ("durham_cad_2023-11-06.csv", "loaded", 14, 6, 0.429, "unknown_code", 2),  # 6 / 14
        ("durham_cad_2023-11-13.csv", "loaded", 2, 0, 0.0, None, None),
    ]
    assert rows[0]["error"] == "the file is empty (0 bytes)"


def test_example_07_leaves_out_files_loaded_before_the_8_weeks(durham_small_warehouse, tmp_path):
    import shutil

    copy = tmp_path / "older.duckdb"
    shutil.copy(durham_small_warehouse, copy)
    with duckdb.connect(str(copy)) as con:
        # The clean cad 11-13 file loaded 9 weeks before the others.
        con.execute("UPDATE audit.load_audit SET loaded_at = loaded_at - INTERVAL 9 WEEK "
                    "WHERE file_name = 'durham_cad_2023-11-13.csv'")
        latest = con.execute("SELECT max(loaded_at) - min(loaded_at) FROM audit.load_audit").fetchone()[0]
    assert latest > timedelta(weeks=8)
    names = [r["file_name"] for r in answer(copy, "07_quarantine_last_8_weeks")]
    assert len(names) == 6 and "durham_cad_2023-11-13.csv" not in names
