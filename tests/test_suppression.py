"""Small-count suppression: "<11" for small counts, and no hidden count recoverable from a total."""

from __future__ import annotations

import pytest

from pipeline.disclosure.suppression import COMPLEMENTARY, PRIMARY, is_small, shown, suppress


def recoverable(cells, hidden, groups):
    """Cells a reader could work out by subtracting the visible parts from a published total."""
    return [next(k for k in g if k in hidden) for g in groups if sum(k in hidden for k in g) == 1]


def test_small_means_one_to_ten():
    assert [is_small(n) for n in (0, 1, 10, 11, None)] == [False, True, True, False, False]


def test_one_small_cell_in_a_total_gets_the_smallest_other_cell_as_complement():
    # Unmet calls by reason, total 120 published: 4 is small; 15 is the smallest other cell.
    cells = {"hours": 80, "area": 21, "busy": 4, "not_routed": 15}
    groups = [list(cells)]
    hidden = suppress(cells, groups)
    assert hidden == {"busy": PRIMARY, "not_routed": COMPLEMENTARY}
    assert recoverable(cells, hidden, groups) == []


def test_two_small_cells_need_no_complement():
    cells = {"a": 3, "b": 7, "c": 90}
    assert suppress(cells, [list(cells)]) == {"a": PRIMARY, "b": PRIMARY}


def test_zero_is_shown_but_can_be_a_complement():
    cells = {"a": 0, "b": 5, "c": 40}
    assert suppress(cells, [list(cells)]) == {"b": PRIMARY, "a": COMPLEMENTARY}


def test_complement_spreads_across_rows_and_columns_until_nothing_is_recoverable():
    # A 2 x 3 table (reason x hour band) with row totals and column totals published.
    #            morning  midday  evening
    # hours           40       2       30
    # not_routed      25      60       12
    cells = {("hours", "m"): 40, ("hours", "d"): 2, ("hours", "e"): 30,
             ("routed", "m"): 25, ("routed", "d"): 60, ("routed", "e"): 12}
    rows = [[(r, c) for c in "mde"] for r in ("hours", "routed")]
    cols = [[(r, c) for r in ("hours", "routed")] for c in "mde"]
    hidden = suppress(cells, rows + cols)
    # By hand: (hours, d)=2 is small. Row "hours": smallest other is e=30 -> hidden.
    # Column d: lone hidden (hours, d) -> hide (routed, d)=60. Column e: lone hidden
    # (hours, e) -> hide (routed, e)=12. Row "routed" now has d and e hidden: fine.
    assert hidden == {("hours", "d"): PRIMARY, ("hours", "e"): COMPLEMENTARY,
                      ("routed", "d"): COMPLEMENTARY, ("routed", "e"): COMPLEMENTARY}
    assert recoverable(cells, hidden, rows + cols) == []


def test_unknown_group_member_is_an_error():
    with pytest.raises(KeyError, match="do not exist"):
        suppress({"a": 1}, [["a", "b"]])


def test_shown():
    assert [shown(1234, None), shown(4, PRIMARY), shown(60, COMPLEMENTARY), shown(None, None)] == [
        "1,234", "<11", "—", ""]
