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
