"""The council's "Is it working?" section, from hand-made impact tables.

Each expected sentence is worked out by hand from the rows below: the section must say a finding
as a change with its interval, a wide interval as no clear change, never give an implausible
estimate as a number, protect the one count it prints, and escape text from the warehouse.
"""

from __future__ import annotations

import re
from datetime import date

import duckdb
import pytest

from pipeline.reports import render
from pipeline.reports.council.impact import impact_section

COLUMNS = ("outcome VARCHAR, design VARCHAR, estimator VARCHAR, estimate DOUBLE, ci_low DOUBLE, ci_high DOUBLE, "
           "estimate_level DOUBLE, counterfactual_level DOUBLE, pretrend_p DOUBLE, placebo_estimate DOUBLE, "
           "placebo_ci_low DOUBLE, placebo_ci_high DOUBLE, implied_change DOUBLE, heart_answered_in_treated BIGINT, "
           "plausible BOOLEAN, verdict VARCHAR, reason VARCHAR, n_units INTEGER, n_treated_units INTEGER, "
           "first_week DATE, last_week DATE")


def _row(outcome, design, estimate, low, high, *, pretrend=0.41, placebo=(0.02, -0.10, 0.15), answered=5230,
         plausible=True, verdict="finding", reason=""):
    return (outcome, design, "cs", estimate, low, high, None, None, pretrend, *placebo, None, answered, plausible,
            verdict, reason, 40, 12, date(2021, 1, 4), date(2024, 6, 24))


def _warehouse(rows, events=()):
    con = duckdb.connect()
    con.execute("CREATE SCHEMA metrics")
    con.execute(f"CREATE TABLE metrics.impact_estimates ({COLUMNS})")
    con.execute("CREATE TABLE metrics.impact_event_study (outcome VARCHAR, design VARCHAR, event_time INTEGER, "
                "estimate DOUBLE, ci_low DOUBLE, ci_high DOUBLE, n_units INTEGER)")
    placeholders = ", ".join("?" * 21)
    con.executemany(f"INSERT INTO metrics.impact_estimates VALUES ({placeholders})", rows)
    if events:
        con.executemany("INSERT INTO metrics.impact_event_study VALUES (?, ?, ?, ?, ?, ?, ?)", events)
    return con


def test_a_finding_is_said_as_a_change_with_its_interval():
    # -0.312 -> "31%"; the interval -0.452 .. -0.148 -> "-45% to -15%".
    rows = [_row("arrests", "staggered_beats", -0.312, -0.452, -0.148)]
    con = _warehouse(rows)
    section = impact_section(con)
    assert section["headline"] == (
        "Where and when HEART served, the share of eligible calls police handled without HEART that ended in an "
        "arrest fell by about 31% (95% interval -45% to -15%) comparing police beats after HEART began serving "
        "them with beats it did not serve yet.")
    table_row = section["table"].rows[0]
    assert table_row[2] == "-31% (-45% to -15%)"
    assert table_row[3] == "No difference before the start (test p = 0.41)"
    assert table_row[4] == "+2% (-10% to +15%): no change, as expected"
    assert table_row[5] == "Within the 5,230 calls HEART answered there"
    assert table_row[6] == "A change"     # a finding's reason repeats the numbers: not shown
    assert section["window"] == "4 January 2021 to 24 June 2024"


def test_an_interval_across_zero_is_no_clear_change_and_arrests_lead_other_outcomes():
    rows = [_row("police_handled_calls", "staggered_beats", -0.20, -0.30, -0.10),
            _row("arrests", "served_hours", -0.08, -0.25, 0.12, verdict="no clear change")]
    headline_text = impact_section(_warehouse(rows))["headline"]
    assert headline_text == (
        "Where and when HEART served, the share of eligible calls police handled without HEART that ended in an "
        "arrest showed no clear change comparing the hours HEART served with the night hours it never served, in "
        "the same beats (estimate -8%; its 95% interval, -25% to +12%, includes no change).")


def test_both_comparisons_of_the_lead_outcome_are_said_findings_first():
    rows = [_row("arrests", "staggered_beats", 0.02, -0.23, 0.34, verdict="no clear change"),
            _row("arrests", "served_hours", -0.42, -0.64, -0.06)]
    assert impact_section(_warehouse(rows))["headline"] == (
        "Where and when HEART served, the share of eligible calls police handled without HEART that ended in an "
        "arrest fell by about 42% (95% interval -64% to -6%) comparing the hours HEART served with the night hours "
        "it never served, in the same beats; and it showed no clear change comparing police beats after HEART "
        "began serving them with beats it did not serve yet (estimate +2%; its 95% interval, -23% to +34%, "
        "includes no change).")


def test_an_implausible_estimate_is_flagged_and_its_number_not_given():
    # HEART answered 9 calls where it served (a small count: printed "fewer than 11"); the estimate says 400
    # fewer police-handled calls there, which HEART could not have taken.
    rows = [_row("police_handled_calls", "staggered_beats", -0.40, -0.55, -0.25, answered=9, plausible=False,
                 verdict="implausible", reason="400 fewer calls, against 9 HEART answered")]
    section = impact_section(_warehouse(rows))
    row = section["table"].rows[0]
    assert row[2] == "Not given (see the check)"
    assert row[5] == "Larger than the fewer than 11 calls HEART answered there"
    assert "-40%" not in " ".join(row) and "40%" not in section["headline"]
    assert section["headline"].startswith("The estimates so far are larger than the calls HEART itself answered")


def test_not_estimable_gives_its_reason_and_no_checks():
    rows = [_row("repeat_calls", "served_hours", None, None, None, pretrend=None, placebo=(None, None, None),
                 answered=None, plausible=None, verdict="not estimable", reason="no block in the export")]
    section = impact_section(_warehouse(rows))
    assert section["table"].rows[0][2:] == ["—", "", "", "", "Not estimable: no block in the export"]
    assert section["headline"] == ("There is not yet enough data before and after the program started to "
                                   "estimate a change.")


def test_no_tables_no_section():
    assert impact_section(duckdb.connect()) is None


def test_event_study_chart_and_the_rendered_section_escape_warehouse_text():
    rows = [_row("arrests", "staggered_beats", -0.30, -0.45, -0.15),
            _row("repeat_calls", "served_hours", None, None, None, verdict="not estimable",
                 reason="<script>alert(1)</script>")]
    # Two periods outside the year either side of the start (-14, +14) and one without an interval are left out.
    events = [("arrests", "staggered_beats", t, e, e - 0.1, e + 0.1, 40)
              for t, e in ((-14, 3.0), (-2, 0.01), (-1, -0.02), (0, -0.28), (1, -0.31), (14, 2.0))]
    events.append(("arrests", "staggered_beats", 2, -0.5, None, None, 3))
    section = impact_section(_warehouse(rows, events))
    (chart,) = section["charts"]
    assert chart.table.rows[0] == ["-2", "+1%", "-9% to +11%"]
    assert chart.summary == "Before the start the estimates stay between -2% and +1%; after it they run from -31% to -28%."
    html = render.environment().get_template("council_impact.html").render(impact=section)
    assert "<script>alert(1)" not in html and "&lt;script&gt;" in html
    visible = re.sub(r"<[^>]+>", " ", re.sub(r"<script.*?</script>", " ", html, flags=re.S))
    for private in ("impact_estimates", "metrics.", "event_study", "staggered_beats", "served_hours"):
        assert private not in visible


@pytest.mark.parametrize("verdict", ["finding", "no clear change"])
def test_the_section_is_not_printed(verdict):
    section = impact_section(_warehouse([_row("arrests", "staggered_beats", -0.3, -0.5, 0.1, verdict=verdict)]))
    html = render.environment().get_template("council_impact.html").render(impact=section)
    assert '<section id="impact" aria-labelledby="impact-title" data-print="hide">' in html
