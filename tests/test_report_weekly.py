"""The weekly operations report, rendered from the hand-worked metrics_small fixture and read back.

Expected figures for the week of 2024-03-04 (the spring-forward week, incidents
B1-B10) are worked out in tests/test_metrics_fixture.py (EXPECTED_WEEK_0304)
from tests/fixtures/metrics_small/README.md; here they are read out of the HTML
and compared both with those hand-worked numbers and with metric_values.
"""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from pipeline import warehouse
from pipeline.metrics.weeks import latest_week, weeks_with_data
from pipeline.reports import weekly
from report_html import read_report, table_dict

WEEK = date(2024, 3, 4)
BUILT = datetime(2024, 3, 18, 6, 0, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def report(metrics_small_warehouse, tmp_path_factory):
    path, _ = metrics_small_warehouse
    out = tmp_path_factory.mktemp("weekly_reports")
    with warehouse.connect(path) as con:
        file = weekly.write_weekly_report(con, out, WEEK, BUILT)
        stored = {
            (m, u): (v, n, d) for m, u, v, n, d in con.execute(
                "SELECT metric_id, unit, value, numerator, denominator FROM metrics.metric_values "
                "WHERE grain = 'week' AND period_start = ? AND dimension = 'ALL'", [WEEK]).fetchall()
        }
    return file, read_report(file), stored


def test_file_is_named_for_its_monday(report):
    file, _, _ = report
    assert file.as_posix().endswith("weekly/weekly-2024-03-04.html")


def test_every_headline_card_is_its_metric_values_row(report):
    _, page, stored = report
    assert len(page.cards) == len(weekly.HEADLINES)
    for (metric, unit), card in page.cards.items():
        value, _, _ = stored[(metric, unit)]
        assert float(card["value"]) == value, (metric, unit)


def test_headline_figures_as_worked_out_by_hand(report):
    _, page, _ = report
    shown = {key: card["text"] for key, card in page.cards.items()}
    assert shown[("eligible_calls", "ALL")] == "9"                        # B1 B3-B10
    assert shown[("responses", "ALL")] == "6"                             # CR 4 + CCD 2
    assert shown[("eligible_answered_rate", "ALL")] == "66.7%"            # 6 / 9
    assert shown[("unmet_eligible_calls", "ALL")] == "3"                  # B7, B9, B10
    assert shown[("diversion_rate", "CR")] == "75.0%"                     # 3 / 4
    assert shown[("resolved_without_in_person_rate", "CCD")] == "50.0%"   # 1 / 2
    assert shown[("heart_response_time_median", "ALL")] == "17.0 min"     # 12 14 20 45
    assert shown[("police_response_time_median", "ALL")] == "22.5 min"    # 15 30
    assert shown[("felt_safe_rate", "ALL")] == "80.0%"                    # 4 / 5
    assert shown[("officer_hours_saved", "ALL")] == "5.5 h"
    assert shown[("people_reached", "CN")] == "2"
    assert shown[("care_nav_followup_48h_rate", "CN")] == "100.0%"        # B5n, 1 / 1


def test_answered_and_unmet_by_reason_add_up_to_eligible(report):
    _, page, _ = report
    rows = table_dict(page.tables["answered-unmet"])
    assert rows["Answered by HEART"][0] == "6"
    assert rows["Outside service hours"][0] == "2"      # B9 01:50, B10 23:30
    assert rows["No team free"][0] == "1"               # B7
    assert rows["Outside service area"][0] == "0"
    assert rows["Not routed to HEART"][0] == "0"
    assert rows["All eligible calls"][0] == "9"


def test_heat_map_counts_each_eligible_call_once_on_its_local_day_and_hour(report):
    _, page, _ = report
    rows = table_dict(page.tables["eligible-heatmap"])
    header = rows.pop("Day")
    totals = {day.split()[0]: int(cells[-1]) for day, cells in rows.items()}
    assert sum(totals.values()) == 9
    sunday = rows["Sun 10 Mar"]
    # B10: Sunday 23:30 EDT (Monday 03:30 UTC) stays on Sunday at hour 23.
    assert sunday[header.index("23")] == "1"
    # The hours in force each day: weekdays 08:00-17:00 until 7 days 08:00-19:00 from Saturday 03-09.
    assert rows["Mon 04 Mar"][0] == "08:00–17:00"
    assert rows["Fri 08 Mar"][0] == "08:00–17:00"
    assert sunday[0] == "08:00–19:00"


def test_response_time_distribution_in_five_minute_bands(report):
    _, page, _ = report
    rows = table_dict(page.tables["response-times"])
    heart = {band: int(cells[0]) for band, cells in rows.items() if band != "Minutes to arrival"}
    police = {band: int(cells[1]) for band, cells in rows.items() if band != "Minutes to arrival"}
    # HEART 12, 14, 20, 45 minutes; police 15, 30.
    assert {b: n for b, n in heart.items() if n} == {"10–14": 2, "20–24": 1, "45–49": 1}
    assert {b: n for b, n in police.items() if n} == {"15–19": 1, "30–34": 1}


def test_care_navigation_follow_ups_due_and_done(report):
    file, _, _ = report
    text = file.read_text(encoding="utf-8")
    assert '<td data-care="due">1</td>' in text
    assert '<td data-care="on_time">1</td>' in text
    assert '<td data-care="not_on_time">0</td>' in text


def test_data_quality_names_the_export_that_holds_the_week(report):
    _, page, _ = report
    files = table_dict(page.tables["week-files"])
    # The fixture's second export (dated Monday 2024-03-18) holds both March weeks.
    assert set(files) - {"File"} == {"durham_cad_2024-03-18.csv", "durham_heart_2024-03-18.csv"}
    records = table_dict(page.tables["week-records"])
    # Received B1-B10 (10 incidents; B2 is not yet eligible but is an incident), each in one export.
    assert records["CAD incidents"][:3] == ["10", "0", "0"]
    assert records["CAD incidents"][3] == ""       # "unlinked" applies to HEART responses only


def test_definitions_sit_beside_every_card(report):
    file, _, _ = report
    text = file.read_text(encoding="utf-8")
    assert text.count("<dt>Definition:</dt>") == len(weekly.HEADLINES) + 2   # + the care-navigation cards
    assert 'id="def-eligible_answered_rate"' in text


def test_latest_full_week_and_monday_only(metrics_small_warehouse):
    path, _ = metrics_small_warehouse
    with warehouse.connect(path) as con:
        # The data ends Sunday 2024-03-17: the week of 2024-03-11 is complete.
        assert latest_week(con) == date(2024, 3, 11)
        with pytest.raises(ValueError, match="Monday"):
            weekly.build_weekly_context(con, date(2024, 3, 5))


def test_a_week_past_the_data_renders_and_says_so(metrics_small_warehouse, tmp_path):
    # The schedule can ask for a week no export has reached yet.
    path, _ = metrics_small_warehouse
    with warehouse.connect(path) as con:
        file = weekly.write_weekly_report(con, tmp_path, date(2024, 4, 1), BUILT)
    text = file.read_text(encoding="utf-8")
    assert "holds no program data for this week" in text
    assert "No export file for this week has been loaded" in text
    cards = read_report(file).cards
    assert cards[("eligible_calls", "ALL")]["text"] == "—"


def test_previous_week_is_linked_only_once_it_is_built(metrics_small_warehouse, tmp_path):
    path, _ = metrics_small_warehouse
    with warehouse.connect(path) as con:
        alone = weekly.write_weekly_report(con, tmp_path, date(2024, 3, 11), BUILT).read_text(encoding="utf-8")
        weekly.write_weekly_report(con, tmp_path, WEEK, BUILT)
        linked = weekly.write_weekly_report(con, tmp_path, date(2024, 3, 11), BUILT).read_text(encoding="utf-8")
    assert 'href="weekly-2024-03-04.html"' not in alone
    assert 'href="weekly-2024-03-04.html"' in linked


def test_weeks_between_exports_with_no_call_are_not_weeks_with_data(metrics_small_warehouse):
    """metrics_small's CAD exports hold calls on 30 Oct - 9 Nov 2023 and 4 - 17 Mar 2024 only (read
    off the CallDate column by hand); the 16 Mondays between hold no call and no response, so they
    are neither partitions nor backfilled, and the data range starts and ends where the calls do."""
    from pipeline.metrics import values

    path, _ = metrics_small_warehouse
    with warehouse.connect(path, read_only=True) as con:
        weeks = weeks_with_data(con)
        first, last = values.data_range(con)
    assert weeks == [date(2023, 10, 30), date(2023, 11, 6), date(2024, 3, 4), date(2024, 3, 11)]
    assert (first, last) == (date(2023, 10, 30), date(2024, 3, 17))
