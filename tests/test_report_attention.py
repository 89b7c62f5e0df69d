"""The weekly page's "Needs attention" strip, the cards' change lines and the charts' text summaries.

Every expected value below is worked out by hand from the small numbers in the
test (not by calling the code under test a second way): the usual range of
twelve weeks is their min and max, read off the list.
"""

from __future__ import annotations

from datetime import date, datetime, timezone

from pipeline import warehouse
from pipeline.reports import attention, charts, weekly
from pipeline.reports.charts import Table
from report_html import read_report

# Twelve previous weeks of eligible calls: lowest 97, highest 105.
CALLS_HISTORY = [100, 104, 98, 102, 101, 99, 103, 100, 97, 105, 102, 100]
# Twelve previous weeks of responses: lowest 40, highest 60.
RESPONSES_HISTORY = [40, 45, 50, 55, 60, 52, 48, 47, 51, 53, 49, 50]


def whole(v: float) -> str:
    return f"{v:,.0f}"


def test_strip_lists_exactly_the_figure_outside_its_range_with_its_direction():
    calls = attention.unusual_item("Eligible calls", "card-eligible_calls-all", 130, CALLS_HISTORY, whole)
    responses = attention.unusual_item("HEART responses", "card-responses-all", 55, RESPONSES_HISTORY, whole)
    strip = [i for i in (calls, responses) if i is not None]
    assert [i.title for i in strip] == ["Eligible calls"]
    (item,) = strip
    assert item.direction == "up"
    assert item.anchor == "card-eligible_calls-all"
    assert item.text == "▲ 130 this week, above its usual range (97 to 105 in the previous 12 weeks)"


def test_below_the_range_points_down_and_the_edges_are_usual():
    item = attention.unusual_item("Eligible calls", "a", 90, CALLS_HISTORY, whole)
    assert (item.direction, item.text.split()[0]) == ("down", "▼")
    assert "below its usual range (97 to 105" in item.text
    # The lowest and highest weeks themselves are inside the range.
    assert attention.unusual(97, CALLS_HISTORY) == attention.unusual(105, CALLS_HISTORY) == ""


def test_too_little_history_is_never_unusual():
    five = [None] * 7 + [10, 10, 10, 10, 10]          # 5 weeks on record, fewer than MIN_HISTORY = 6
    assert attention.usual_range(five) is None
    assert attention.unusual(1000, five) == ""
    six = [None] * 6 + [10, 10, 10, 10, 10, 12]
    assert attention.usual_range(six) == (10, 12)
    assert attention.unusual(13, six) == "above"


def test_change_words_give_direction_in_words_not_colour():
    assert attention.change_words(595, 603, whole, whole) == "▼ down 8 from 603 last week"
    assert attention.change_words(338, 322, whole, whole) == "▲ up 16 from 322 last week"
    assert attention.change_words(7, 7, whole, whole) == "= unchanged from 7 last week"
    assert attention.change_words(7, None, whole, whole) == "no figure for last week"


def test_quarantine_above_its_limit_is_listed_at_the_limit_is_not():
    items = attention.quarantine_items({"CAD export": (8, 100), "HEART log": (5, 100)},
                                       {"CAD export": (2, 100)}, 0.05)
    assert len(items) == 1
    assert items[0].title == "Rows quarantined: CAD export"
    assert items[0].direction == "up"
    # 8/100 = 8.0%, 2/100 = 2.0% the week before: up 6.0 points.
    assert items[0].text == ("8.0% of 100 rows read (8), above the limit of 5.0%; "
                             "▲ up 6.0 points from 2.0% last week")


def test_overdue_and_pending_followups():
    overdue = attention.overdue_item(3, 1)
    assert (overdue.direction, overdue.anchor) == ("up", "care")
    assert overdue.text == "3 Care Navigation follow-ups due this week not done on time; ▲ up 2 from 1 last week"
    assert attention.overdue_item(0, 4) is None
    pending = attention.pending_item(2, date(2024, 3, 17), date(2024, 3, 18))
    assert pending.text.startswith("2 follow-ups due after the data's last day (2024-03-17), the first on 2024-03-18")
    assert attention.pending_item(0, None, None) is None


def test_weekly_page_has_the_strip_and_every_link_lands_on_a_card(metrics_small_warehouse, tmp_path):
    path, _ = metrics_small_warehouse
    with warehouse.connect(path) as con:
        file = weekly.write_weekly_report(con, tmp_path, date(2024, 3, 4), datetime(2024, 3, 18, tzinfo=timezone.utc))
    text = file.read_text(encoding="utf-8")
    page = read_report(file)
    assert "data-attention" in text and attention.RULE_TEXT.replace("'", "&#39;") in text
    strip = text[text.index("data-attention"):text.index('id="headline"')]
    for anchor in (a.split('"')[0] for a in strip.split('href="#')[1:]):
        assert f'id="{anchor}"' in text, anchor
    # Every headline card says how it moved from last week in words (or that there was no figure).
    changes = [line for line in text.splitlines() if 'class="change"' in line]
    assert len(changes) >= len(page.cards)
    assert all(any(w in line for w in ("▲ up", "▼ down", "= unchanged", "no figure")) for line in changes)
    # Definitions are folded away.
    assert text.count('<details class="definition">') == len(page.cards) + 2   # + the two Care Navigation cards


def test_heatmap_scale_matches_its_caption_darker_is_more():
    chart = charts.heatmap_chart("h", "t", "darker is more", ["00", "01"], ["Mon"], [[0, 9]], text=[["", "9"]],
                                 table=Table(["Day"]))
    trace = chart.spec["data"][0]
    scale = trace["colorscale"]
    low, high = (scale[-1][1], scale[0][1]) if trace.get("reversescale") else (scale[0][1], scale[-1][1])

    def luminance(colour: str) -> float:
        r, g, b = (int(colour.lstrip("#")[i:i + 2], 16) for i in (0, 2, 4)) if colour.startswith("#") else \
            (int(float(x)) for x in colour[colour.index("(") + 1:-1].split(",")[:3])
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    assert luminance(low) > luminance(high), "the lowest count must be the lightest cell"
    assert trace.get("zmin") == 0


def test_two_lines_differ_by_more_than_colour():
    chart = charts.line_chart("l", "t", "c", ["a", "b"], [("One", [1, 2]), ("Two", [1, 2])], table=Table(["x"]))
    one, two = chart.spec["data"]
    assert one["line"]["dash"] != two["line"]["dash"]
    assert one["marker"]["symbol"] != two["marker"]["symbol"]
    assert one["line"]["width"] != two["line"]["width"]


def test_chart_summaries_say_the_key_number_and_trend_in_words():
    line = charts.line_chart("l", "t", "c", ["1 Apr", "8 Apr", "15 Apr"], [("Calls", [10, 12, 9])],
                             table=Table(["x"]))
    assert line.summary == "Calls: 9 for 15 Apr, down 3 from 12 for 8 Apr; lowest 9, highest 12 over the 3 points shown."
    share = charts.line_chart("s", "t", "c", ["Jan", "Feb"], [("Answered", [0.20, 0.51])], percent=True,
                              table=Table(["x"]))
    assert share.summary == "Answered: 51% for Feb, up 31 points from 20% for Jan; lowest 20%, highest 51% over the 2 points shown."
    # The change is read between the shares as printed: 21.6% and 22.4% both print 22%, so "unchanged"
    # (not "down 1 points from 22%"); 22.4% to 20.6% prints 22% to 21%: down 1 point, singular.
    same = charts.line_chart("s", "t", "c", ["May", "Jun"], [("Answered", [0.224, 0.216])], percent=True,
                             table=Table(["x"]))
    assert same.summary.startswith("Answered: 22% for Jun, unchanged from 22% for May;")
    one = charts.line_chart("s", "t", "c", ["May", "Jun"], [("Answered", [0.224, 0.206])], percent=True,
                            table=Table(["x"]))
    assert one.summary.startswith("Answered: 21% for Jun, down 1 point from 22% for May;")
    bars = charts.bar_chart("b", "t", "c", ["CR", "CCD", "COR"], [("Responses", [40, 25, 5])], table=Table(["x"]))
    assert bars.summary == "Largest CR (40), smallest COR (5); 70 in all."
    # A suppressed bar ("<11") never ranks, and no total is given for text-labelled bars.
    hidden = charts.bar_chart("b", "t", "c", ["CR", "CCD", "COR"], [("Responses", [40, 25, 5])],
                              value_text=[["40", "25", "<11"]], table=Table(["x"]))
    assert hidden.summary == "Largest CR (40), smallest CCD (25)."
    heat = charts.heatmap_chart("h", "t", "c", ["00", "01"], ["Mon", "Tue"], [[0, 3], [7, 1]],
                                text=[["", "3"], ["7", "1"]], table=Table(["x"]), x_suffix=":00")
    assert heat.summary == "Busiest: Tue at 00:00 (7); 11 in all; 1 of 4 cells are 0."
