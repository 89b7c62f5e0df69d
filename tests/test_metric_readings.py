"""One reading of each definition, on the hand-worked cases of tests/fixtures/metrics_small/cases.

The cases (README.md in tests/fixtures/metrics_small, section "Cases") are loaded on
top of the fixture's own inbox: the week Monday 2024-03-18 .. Wednesday 2024-03-20,
after the base fixture's last day, so every figure of that week comes from the
cases alone. The data now ends on Wednesday 2024-03-20: a mid-week, mid-month day.
Program in force (program.toml): eligible MENTAL SUICTH WELFCK INTOX TRESP, beats
111 112 113 211 served, 08-19 every day, one Community Response team (CR) and one
Co-Response team (COR) on shift.

Every expected value below was worked out by hand from the README's table, not
copied from a pipeline run. C1 = 24-0101, ..., C7 = 24-0107; "C1n" = the Care
Navigation follow-up of C1.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest

from conftest import METRICS_SMALL, build_metrics_warehouse
from pipeline.ingest.contract import CONTACT_MODES, OUTCOMES
from pipeline.open_data import UNMET_REASONS, plan_open_data
from pipeline.metrics import compute_window, load_definitions
from pipeline.reports.weekly import build_weekly_context, write_weekly_report
from pipeline.warehouse.sqlfiles import run_sql_file

ROOT = Path(__file__).resolve().parent.parent
DEFINITIONS = {d.metric_id: d for d in load_definitions()}
WEEK = date(2024, 3, 18)
DATA_END = date(2024, 3, 21)          # last data day Wed 2024-03-20 (C7) + 1


@pytest.fixture(scope="module")
def cases(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("metric_readings")
    path, program = build_metrics_warehouse(tmp, extra_inputs=(METRICS_SMALL / "cases",))
    con = duckdb.connect(str(path))
    yield con, program, tmp
    con.close()


@pytest.fixture
def con(cases):
    return cases[0]


def value(con, metric, grain=None, start=WEEK, unit="ALL", dim="ALL", dv="ALL"):
    """(numerator, denominator) of one stored row, or None when there is no row."""
    grain = grain or "week"
    row = con.execute(
        "SELECT numerator, denominator FROM metrics.metric_values WHERE metric_id = ? AND grain = ? "
        "AND period_start = ? AND unit = ? AND dimension = ? AND dimension_value = ?",
        [metric, grain, start, unit, dim, dv]).fetchone()
    return None if row is None else (row[0], row[1])


def test_cases_load_without_quarantine(con):
    assert con.execute("SELECT count(*) FROM quarantine.rows").fetchone()[0] == 0
    assert con.execute("SELECT count(*) FROM marts.cad_incidents WHERE incident_id LIKE '24-01%'").fetchone()[0] == 7


# ---------------------------------------------------------------------------
# no_team_free, unit by unit.
# ---------------------------------------------------------------------------
def test_no_team_free_is_judged_per_in_person_unit(con):
    got = dict(con.execute(
        "SELECT incident_id, (teams_on_shift, teams_busy, unmet_reason) FROM marts.eligible_calls "
        "WHERE incident_id IN ('24-0103', '24-0105')").fetchall())
    # C3 Mon 09:30: CR has 2 responses open (C1 CRT-1 09:02-10:30, C2 CRT-2 09:12-10:30) for its 1 team
    # -> CR busy; COR has 0 open for its 1 team -> free. Busy teams = min(2, 1) + min(0, 1) = 1 < 2 on shift:
    # not_routed. (Counting every busy response against every team, 2 >= 2, would call it no_team_free.)
    assert tuple(got["24-0103"]) == (2, 1, "not_routed")
    # C5 Mon 10:15: CR 2 open (C1, C2 until 10:30) -> min(2, 1) = 1; COR 1 open (C4 10:02-11:00) -> 1: 2 >= 2.
    assert tuple(got["24-0105"]) == (2, 2, "no_team_free")
    # Unmet that week: C3 not_routed, C5 no_team_free; the two other reasons are zero rows.
    assert value(con, "unmet_eligible_calls") == (2, None)
    assert value(con, "unmet_eligible_calls", dim="reason", dv="not_routed") == (1, None)
    assert value(con, "unmet_eligible_calls", dim="reason", dv="no_team_free") == (1, None)
    assert value(con, "unmet_eligible_calls", dim="reason", dv="outside_service_hours") == (0, None)
    assert value(con, "unmet_eligible_calls", dim="reason", dv="outside_service_area") == (0, None)
    # By reason at hour 09 (only C3 unmet): every reason has a row, three of them 0.
    assert value(con, "unmet_eligible_calls", dim="reason+hour_of_day", dv="not_routed|09") == (1, None)
    assert value(con, "unmet_eligible_calls", dim="reason+hour_of_day", dv="no_team_free|09") == (0, None)
    # Hour 11 had no unmet call: no reason rows there.
    assert value(con, "unmet_eligible_calls", dim="reason+hour_of_day", dv="not_routed|11") is None


# ---------------------------------------------------------------------------
# A Care Navigation follow-up's police request.
# ---------------------------------------------------------------------------
def test_followup_police_request_is_not_police_involvement_in_the_call(con):
    # C1: CR, no police unit in CAD, CR did not ask for police; its follow-up C1n (CN, in person) did.
    assert con.execute("SELECT diverted, heart_police_requested FROM marts.heart_handled_incidents "
                       "WHERE incident_id = '24-0101'").fetchall() == [(True, False)]
    # Handled: CR C1+ C2+ -> 2/2; COR C4- (riding officer P903) -> 0/1; CCD C6+ -> 1/1; ALL 3/4.
    assert value(con, "diversion_rate", unit="CR") == (2, 2)
    assert value(con, "diversion_rate", unit="COR") == (0, 1)
    assert value(con, "diversion_rate", unit="CCD") == (1, 1)
    assert value(con, "diversion_rate") == (3, 4)
    # police_backup_rate counts the follow-up's request: in person CR C1 C2 (0/2), COR C4 (0/1), CN C1n (1/1);
    # ALL 1/4.
    assert value(con, "police_backup_rate", unit="CN") == (1, 1)
    assert value(con, "police_backup_rate", unit="CR") == (0, 2)
    assert value(con, "police_backup_rate") == (1, 4)
    # Officer-hours saved are over the 3 diverted calls.
    assert value(con, "officer_hours_saved")[1] == 3
    # And both definitions say so.
    assert "crisis-response unit" in DEFINITIONS["diversion_rate"].numerator
    assert "Care Navigation follow-up" in DEFINITIONS["diversion_rate"].caveats
    assert "Care Navigation follow-up that asked for police counts here" in DEFINITIONS["police_backup_rate"].caveats


def test_metrics_doc_states_each_reading():
    flat = " ".join((ROOT / "docs" / "metrics.md").read_text(encoding="utf-8").split())
    for phrase in ("every in-person crisis-response unit with teams on shift",   # no_team_free per unit
                   "not police involvement in the 911 call",                    # diversion and follow-ups
                   "trimmed and upper-case",                                    # codes
                   "a row for every value, 0 included",                         # zero rows
                   "*pending*",                                                 # follow-ups due after the data
                   "z = 1.96", "quantile_cont", "Hyndman-Fan type 7",           # interval and percentile method
                   "clipped there at every grain"):                             # periods end at the data's end
        assert phrase in flat, phrase


# ---------------------------------------------------------------------------
# Codes trimmed and upper-case.
# ---------------------------------------------------------------------------
def test_lower_case_call_type_is_eligible(con):
    # C6 is typed `welfck`: the lookup labels it Welfare check, and it is the eligible WELFCK.
    assert con.execute("SELECT initial_call_type, initial_call_type_label, eligible FROM marts.cad_incidents "
                       "WHERE incident_id = '24-0106'").fetchone() == ("WELFCK", "Welfare check", True)
    # Eligible that week: C1 C2 C3 C4 C5 C6 = 6 (C7 NOISE is not); answered C1 C2 C4 C6 = 4/6, CCD (C6) 1/6.
    assert value(con, "eligible_calls") == (6, None)
    assert value(con, "eligible_in_coverage") == (6, None)
    assert value(con, "eligible_answered_rate") == (4, 6)
    assert value(con, "eligible_answered_rate", unit="CCD") == (1, 6)
    # By call type: MENTAL C1 C3, WELFCK C2 C6, SUICTH C4, INTOX C5; no row spelt `welfck`.
    got = dict(con.execute(
        "SELECT dimension_value, numerator FROM metrics.metric_values WHERE metric_id = 'eligible_calls' "
        "AND grain = 'week' AND period_start = ? AND dimension = 'call_type'", [WEEK]).fetchall())
    assert got == {"MENTAL": 2, "WELFCK": 2, "SUICTH": 1, "INTOX": 1}


# ---------------------------------------------------------------------------
# Zero rows.
# ---------------------------------------------------------------------------
def test_zero_rows_for_contact_modes_and_outcomes(con):
    # Responses: CR C1 C2 (in person) -> in_person 2, phone 0, none 0; CCD C6 (phone) -> in_person 0, none 0;
    # CN C1n (in person), C6n (phone); ALL = CR + COR + CCD: in_person 3, phone 1, none 0.
    assert value(con, "responses", unit="CR", dim="contact_mode", dv="in_person") == (2, None)
    assert value(con, "responses", unit="CR", dim="contact_mode", dv="phone") == (0, None)
    assert value(con, "responses", unit="CR", dim="contact_mode", dv="none") == (0, None)
    assert value(con, "responses", unit="CCD", dim="contact_mode", dv="in_person") == (0, None)
    assert value(con, "responses", unit="CN", dim="contact_mode", dv="none") == (0, None)
    assert value(con, "responses", dim="contact_mode", dv="in_person") == (3, None)
    assert value(con, "responses", dim="contact_mode", dv="none") == (0, None)
    # Outcomes: CR C1 referred, C2 resolved -> 1/2 each, transported/declined/unable 0/2.
    # COR C4 referred 1/1; CCD C6 resolved 1/1; CN C1n referred 1/1 (C6n has no outcome).
    # ALL (crisis units): resolved C2 C6, referred C1 C4 -> 2/4 each, the other three 0/4.
    expected = {
        "CR": {"resolved_on_scene": (1, 2), "referred": (1, 2)},
        "COR": {"referred": (1, 1)},
        "CCD": {"resolved_on_scene": (1, 1)},
        "CN": {"referred": (1, 1)},
        "ALL": {"resolved_on_scene": (2, 4), "referred": (2, 4)},
    }
    totals = {"CR": 2, "COR": 1, "CCD": 1, "CN": 1, "ALL": 4}
    for unit, shares in expected.items():
        for outcome in OUTCOMES:
            want = shares.get(outcome, (0, totals[unit]))
            assert value(con, "outcome_share", unit=unit, dim="outcome", dv=outcome) == want, (unit, outcome)


def test_zero_rows_on_the_base_fixture(metrics_small_warehouse):
    path, _ = metrics_small_warehouse
    with duckdb.connect(str(path), read_only=True) as con:
        # All grain: CR 13 in person + B20 none, no phone -> phone 0; CCD 5 phone -> in_person 0, none 0.
        assert value(con, "responses", "all", date(2023, 10, 30), "CR", "contact_mode", "phone") == (0, None)
        assert value(con, "responses", "all", date(2023, 10, 30), "CCD", "contact_mode", "in_person") == (0, None)
        # Week 2024-03-04: unmet B7 (no team free), B9 B10 (hours): area and not_routed are 0 rows.
        assert value(con, "unmet_eligible_calls", "week", date(2024, 3, 4), dim="reason",
                     dv="not_routed") == (0, None)
        # Empty week 2023-12-04: no unmet calls, no responses -> no breakdown rows at all.
        assert con.execute("SELECT count(*) FROM metrics.metric_values WHERE grain = 'week' "
                           "AND period_start = '2023-12-04' AND dimension <> 'ALL'").fetchone()[0] == 0


def test_value_lists_match_the_contract(con):
    run_sql_file(con, "metrics/_macros.sql")
    assert tuple(con.execute("SELECT unmet_reasons()").fetchone()[0]) == UNMET_REASONS
    assert tuple(con.execute("SELECT contact_modes()").fetchone()[0]) == CONTACT_MODES
    assert tuple(con.execute("SELECT outcomes()").fetchone()[0]) == OUTCOMES


# ---------------------------------------------------------------------------
# Periods clipped at the data's end; pending follow-ups.
# ---------------------------------------------------------------------------
def test_periods_end_at_the_data_end(con):
    ends = con.execute("SELECT grain, period_start, period_end FROM metrics.metric_values "
                       "WHERE period_end > '2024-03-18' GROUP BY ALL ORDER BY 1").fetchall()
    # The week of 03-18, March, the fiscal year from 2023-11-01 and `all` all end on 03-21.
    assert ends == [("all", date(2023, 10, 30), DATA_END), ("fiscal_year", date(2023, 11, 1), DATA_END),
                    ("month", date(2024, 3, 1), DATA_END), ("week", WEEK, DATA_END)]


def test_followup_due_after_the_data_is_pending(con):
    # C1n due Wed 03-20 09:00 (the last data day), done 03-19 15:00: on time, counted.
    # C6n due Thu 03-21 11:00, after the last data day: pending, in no period.
    assert value(con, "care_nav_followup_48h_rate", unit="CN") == (1, 1)
    # March: base B5n on time, B8n on time, B18n late + C1n on time -> 3/4 (not 3/5).
    assert value(con, "care_nav_followup_48h_rate", "month", date(2024, 3, 1), unit="CN") == (3, 4)
    # Fiscal year from 2023-11-01: every base follow-up is due on or after 11-01 (A1n 11-01 on time, A4n
    # 11-02 never done, A10n 11-05 late) -> 1/3, + March 3/4 -> 4/7; to date the same: base 3/6 + C1n -> 4/7.
    assert value(con, "care_nav_followup_48h_rate", "fiscal_year", date(2023, 11, 1), unit="CN") == (4, 7)
    assert value(con, "care_nav_followup_48h_rate", "all", date(2023, 10, 30), unit="CN") == (4, 7)
    # A window asked for past the data's end still leaves C6n out.
    rows = {(r["metric_id"], r["unit"]): r for r in compute_window(con, WEEK, date(2024, 3, 25))}
    row = rows[("care_nav_followup_48h_rate", "CN")]
    assert (row["numerator"], row["denominator"]) == (1, 1)


def test_weekly_report_shows_pending_followups(cases):
    con, _, tmp = cases
    context = build_weekly_context(con, WEEK)
    assert (context["care"]["due"], context["care"]["pending"]) == (1, 1)
    assert context["care"]["pending_first_due"] == date(2024, 3, 21)
    from datetime import datetime, timezone
    path = write_weekly_report(con, tmp / "reports", WEEK, datetime(2024, 3, 21, tzinfo=timezone.utc))
    text = path.read_text(encoding="utf-8")
    assert '<td data-care="pending">1</td>' in text
    assert '<td data-care="due">1</td>' in text


def test_open_data_adds_up_when_the_data_ends_mid_month(cases):
    con, program, _ = cases
    # Months add up to the fiscal year and to `all` (plan_open_data raises "do not add up" otherwise):
    # the pending C6n would be in March but not in `all` if March ran past the data's end.
    od = plan_open_data(con, program=program)
    assert od.data_range == (date(2023, 10, 30), date(2024, 3, 20))
