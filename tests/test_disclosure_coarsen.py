"""Coarsening instead of hiding (pipeline/disclosure/coarsen.py, periods.fold_launch, rules.merged_parts), by hand.

Tiny inputs whose answers are worked out in the comments; no warehouse.
"""

from __future__ import annotations

from datetime import date

from pipeline.disclosure import coarsen
from pipeline.disclosure.periods import Month, Period, fold_launch
from pipeline.disclosure.rules import merged_parts


def test_an_hour_with_a_small_count_merges_with_the_neighbour_that_makes_it_large():
    # FY2022-23 of the sample: answered 0 at 05:00 and 06:00, 7 at 07:00, 429 at 08:00. Merging 07 toward the
    # quiet night (06) leaves 7, then 7 again with 05...: the night would become one bar before 08 is reached.
    # 07 + 08 = 436 is not small: the run is 07-08 and every other hour stays on its own.
    answered = [0] * 24
    answered[7], answered[8] = 7, 429
    eligible = [100] * 24
    assert coarsen.hour_bins([answered, eligible]) == [*[(h,) for h in range(7)], (7, 8),
                                                       *[(h,) for h in range(9, 24)]]
    assert coarsen.bin_label((7, 8)) == "07:00\u201309:00" and coarsen.bin_value((7, 8)) == "07-08"


def test_between_two_neighbours_that_both_fix_it_the_one_on_the_same_side_of_the_duty_hours_goes_first():
    # 03:00 holds 2 calls; 02:00 holds 50 (never on duty, like 03), 04:00 holds 40 (on duty on some day).
    # Both merges leave no small count; the smaller neighbour (04) would mix on- and off-duty hours: 02-03.
    counts = [50] * 24
    counts[2], counts[3], counts[4] = 50, 2, 40
    duty = [0] * 4 + [5] * 20
    assert (2, 3) in coarsen.hour_bins([counts], duty=[duty])
    assert (3, 4) in coarsen.hour_bins([counts])        # without the duty hours: the smaller neighbour


def test_reasons_merge_in_pairs_on_every_page_when_one_is_small_on_any():
    fy1 = {"outside_service_hours": 900, "outside_service_area": 300, "no_team_free": 20, "not_routed": 2000}
    fy2 = {"outside_service_hours": 800, "outside_service_area": 250, "no_team_free": 3, "not_routed": 1500}
    names = [c.name for c in coarsen.reason_categories([fy1, fy2])]
    # "No team free" is 3 in the second year: merged with not routed in both years (else their sum over the
    # years, printed on the program-to-date page, minus the first year's would give it back).
    assert names == ["outside_service_hours", "outside_service_area", "in_coverage"]
    assert [c.name for c in coarsen.reason_categories([fy1])] == list(fy1)


def test_quarters_follow_the_fiscal_year():
    # Fiscal year from July: Jun-Jul 2022 (launch days folded into July), Aug, Sep | Oct.
    months = [Month(date(2022, 7, 1), date(2022, 8, 1), (date(2022, 6, 1),), date(2022, 6, 27)),
              Month(date(2022, 8, 1), date(2022, 9, 1)), Month(date(2022, 9, 1), date(2022, 10, 1)),
              Month(date(2022, 10, 1), date(2022, 11, 1))]
    quarters = coarsen.quarters(months, 7)
    assert [(q.key, q.label, q.first_day) for q in quarters] == [
        ("q2022-07", "Jul\u2013Sep 2022", date(2022, 6, 1)), ("q2022-10", "Oct 2022", date(2022, 10, 1))]


def test_four_launch_days_fold_into_the_next_fiscal_year_and_month():
    launch = Period("fiscal_year", date(2021, 7, 1), date(2022, 7, 1), date(2022, 6, 27), date(2022, 6, 30))
    host = Period("fiscal_year", date(2022, 7, 1), date(2023, 7, 1), date(2022, 7, 1), date(2023, 6, 30))
    months = [Month(date(2022, 6, 1), date(2022, 7, 1)), Month(date(2022, 7, 1), date(2022, 8, 1))]
    years, folded_months, found = fold_launch([launch, host], months)
    assert found == launch
    assert [(p.key, p.starts, p.data_from, p.source_start, p.partial) for p in years] == [
        ("fy2022-23", (date(2021, 7, 1), date(2022, 7, 1)), date(2022, 6, 27), date(2022, 6, 27), False)]
    assert [(m.key, m.label, m.starts, m.source_start) for m in folded_months] == [
        ("m2022-07", "Jun\u2013Jul 2022", (date(2022, 6, 1), date(2022, 7, 1)), date(2022, 6, 27))]
    # 92 days or more are a year of their own.
    long = Period("fiscal_year", date(2021, 7, 1), date(2022, 7, 1), date(2022, 3, 31), date(2022, 6, 30))
    assert fold_launch([long, host], months)[2] is None


def test_small_parts_merge_into_their_total_only_where_the_total_alone_pins_them():
    groups = [(("a", "b"), "t")]
    # 10 + 10 = 20: both "<11" would be 10. Merged.
    assert merged_parts({"a": 10, "b": 10, "t": 20}, groups) == {"a", "b"}
    # 9 + 8 = 17: each is 7 to 10 as "<11": left to the usual rule. A part printed elsewhere is never merged.
    assert merged_parts({"a": 9, "b": 8, "t": 17}, groups) == set()
    assert merged_parts({"a": 10, "b": 10, "t": 20}, groups, shown={"a"}) == set()


# --------------------------------------------------------------------------------------------
# Open data: a split small in some month goes by quarter (or year), in every month (pipeline/open_data/coarse.py)
# --------------------------------------------------------------------------------------------

def _row(metric, grain, start, end, numerator, denominator=None, kind="rate", unit="ALL", dimension="ALL",
         value="ALL"):
    return {"metric_id": metric, "grain": grain, "period_start": start, "period_end": end, "unit": unit,
            "dimension": dimension, "dimension_value": value, "numerator": numerator, "denominator": denominator,
            "value": None, "kind": kind, "ci_low": None, "ci_high": None}


def _months(metric, pairs, kind="rate"):
    starts = [date(2022, m, 1) for m in (7, 8, 9, 10)] + [date(2022, 11, 1)]
    return [_row(metric, "month", s, e, n, d, kind) for (s, e), (n, d) in zip(zip(starts, starts[1:]), pairs)]


def test_a_yes_no_split_small_in_one_month_is_published_by_quarter_in_every_month():
    from pipeline.open_data import coarse

    # Felt safe, July to October 2022 (fiscal year from July): 100 of 100, 95 of 100, 90 of 100, 80 of 100.
    # "Not safe" is 0, 5, 10, 20: August and September are small. By quarter: July-September 285 of 300
    # (not safe 15), October 80 of 100 (20): none small. So every month goes, the quarters are published,
    # October too (a month left beside its quarter would give the others back by subtraction).
    # Eligible calls (100, 120, 130, 140) hold no small count: they stay by month.
    fy = _row("felt_safe_rate", "fiscal_year", date(2022, 7, 1), date(2023, 7, 1), 365, 400)
    rows = _months("felt_safe_rate", [(100, 100), (95, 100), (90, 100), (80, 100)]) + [fy]
    calls = _months("eligible_calls", [(100, None), (120, None), (130, None), (140, None)], kind="count")
    spans = coarse.quarter_spans(rows + calls, 7)
    assert spans == {(2022, 0): (date(2022, 7, 1), date(2022, 10, 1)), (2022, 1): (date(2022, 10, 1), date(2022, 11, 1))}
    decided = coarse.grains(rows + calls, spans, 7, 11)
    assert decided == {("felt_safe_rate", "ALL", "ALL"): "quarter", ("eligible_calls", "ALL", "ALL"): "month"}
    out = coarse.regrain(rows + calls, decided, spans, 7)
    felt = sorted((r["grain"], r["period_start"], r["numerator"], r["denominator"]) for r in out
                  if r["metric_id"] == "felt_safe_rate")
    assert felt == [("fiscal_year", date(2022, 7, 1), 365, 400), ("quarter", date(2022, 7, 1), 285, 300),
                    ("quarter", date(2022, 10, 1), 80, 100)]
    assert [r["value"] for r in out if r["grain"] == "quarter"] == [0.95, 0.8]
    assert [r["numerator"] for r in out if r["metric_id"] == "eligible_calls"] == [100, 120, 130, 140]


def test_a_split_still_small_by_quarter_goes_by_fiscal_year_and_units_small_to_date_are_not_published():
    from pipeline.open_data import coarse

    # Police back-up: 2 of 100 in July, 0 of 100 in August and September, 12 of 100 in October. By quarter
    # July-September is 2 of 300: still small; the fiscal year (14 of 400) is not: months and quarters go.
    rows = _months("police_backup_rate", [(2, 100), (0, 100), (0, 100), (12, 100)])
    rows.append(_row("police_backup_rate", "fiscal_year", date(2022, 7, 1), date(2023, 7, 1), 14, 400))
    # By unit, to date only (units are never by month here): Co-Response had 3 back-ups in 50 responses.
    rows += [_row("police_backup_rate", "all", date(2022, 7, 1), date(2023, 7, 1), n, d, unit=u)
             for u, n, d in (("CR", 11, 350), ("COR", 3, 50))]
    spans = coarse.quarter_spans(rows, 7)
    decided = coarse.grains(rows, spans, 7, 11)
    assert decided == {("police_backup_rate", "ALL", "ALL"): "fiscal_year", ("police_backup_rate", "ALL", "units"): None}
    # Not even Community Response is published by unit: CR alone would be ALL minus Co-Response.
    assert [(r["grain"], r["unit"]) for r in coarse.regrain(rows, decided, spans, 7)] == [("fiscal_year", "ALL")]


def test_public_periods_start_at_the_later_of_launch_and_the_first_record():
    import duckdb

    from pipeline.disclosure.public_counts import public_first_day

    con = duckdb.connect()
    con.execute("CREATE SCHEMA marts; CREATE TABLE marts.cad_incidents (received_date DATE)")
    first, launch, last = date(2022, 6, 1), date(2022, 6, 27), date(2024, 6, 30)
    # No record at all: the launch day.
    assert public_first_day(con, first, launch, last) == launch
    # CAD history from 1 March 2022, before launch: still the launch day (history is not a public period).
    con.execute("INSERT INTO marts.cad_incidents VALUES ('2022-03-01'), ('2022-06-26')")
    assert public_first_day(con, first, launch, last) == launch
    # Exports that begin after launch: with no record from 27 June to 13 September, the first is 14 September.
    con.execute("DELETE FROM marts.cad_incidents; INSERT INTO marts.cad_incidents VALUES ('2022-09-14'), "
                "('2022-10-01')")
    assert public_first_day(con, first, launch, last) == date(2022, 9, 14)
    # A record on launch day itself: the launch day.
    con.execute("INSERT INTO marts.cad_incidents VALUES ('2022-06-27')")
    assert public_first_day(con, first, launch, last) == launch
    # A first record after the data's last day (launch 28 June, data to 1 September, next record 14 September):
    # the last day.
    assert public_first_day(con, first, date(2022, 6, 28), date(2022, 9, 1)) == date(2022, 9, 1)
