"""A reader with a solver: every published count and total at once, and what they give back about a "<11".

The reader knows each number a page or file prints, that a "<11" is 1 to 10
(zero is printed as 0), that a hidden "—" or blank is at least 0, that counts
are whole numbers, every published total (parts add up to it) and the
relations between metrics (a unit's eligible calls answered never exceed its
responses). This file builds that system on its own (scipy's HiGHS integer
programming, not pipeline/disclosure/solver.py) and finds each hidden count's
least and greatest value. No "<11" may come out as one value, and no hidden
cell may be pinned to a value from 1 to 10.

The FY2021-22 leak of issue 14: responses 27, Crisis Call Diversion 15 and
Community Response answering 11 eligible calls, so Community Response + Co-Response
= 12 with Community Response >= 11: Co-Response "<11" is 1.
"""

from __future__ import annotations

import html
import math
import re
from pathlib import Path

import duckdb
import numpy as np
import pytest
from scipy.optimize import Bounds, LinearConstraint, milp

from pipeline.disclosure.suppression import COMPLEMENTARY, MERGED, PRIMARY, plan
from pipeline.vocabulary import CRISIS_UNITS

ROOT = Path(__file__).resolve().parents[1]
SMALL, HIDDEN = "<11", "—"


# --------------------------------------------------------------------------------------------
# The reader's solver
# --------------------------------------------------------------------------------------------

def reader_ranges(shown: dict, groups, at_most=(), which=None) -> dict:
    """(least, greatest) whole value of each hidden cell in `which` (default: every "<11").

    shown: cell -> a number, SMALL ("<11": 1..10) or HIDDEN ("—": >= 0).
    groups: (parts, total), sum(parts) == total; at_most: (a, b), a <= b.
    """
    unknown = sorted((k for k, v in shown.items() if v in (SMALL, HIDDEN)), key=str)
    index = {k: i for i, k in enumerate(unknown)}
    rows, low, high = [], [], []

    def add(terms, kind):
        row, rhs = np.zeros(len(unknown)), 0.0
        for key, sign in terms:
            if key in index:
                row[index[key]] += sign
            else:
                rhs -= sign * shown[key]
        if row.any():
            rows.append(row)
            low.append(rhs if kind == "eq" else -np.inf)
            high.append(rhs)

    for parts, total in groups:
        add([(p, 1) for p in parts] + [(total, -1)], "eq")
    for a, b in at_most:
        add([(a, 1), (b, -1)], "le")
    lower = np.array([1.0 if shown[k] == SMALL else 0.0 for k in unknown])
    upper = np.array([10.0 if shown[k] == SMALL else 1e9 for k in unknown])
    constraints = [LinearConstraint(np.array(rows), low, high)] if rows else []
    out = {}
    for key in (which if which is not None else [k for k in unknown if shown[k] == SMALL]):
        ends = []
        for sign in (1, -1):
            c = np.zeros(len(unknown))
            c[index[key]] = sign
            res = milp(c, constraints=constraints, integrality=np.ones(len(unknown)), bounds=Bounds(lower, upper))
            assert res.status == 0, f"{key}: the published figures contradict each other ({res.message})"
            ends.append(sign * res.fun)
        out[key] = (round(ends[0]), math.inf if ends[1] >= 1e9 - 1 else round(ends[1]))
    return out


def leaks(shown: dict, groups, at_most=()) -> dict:
    """Every "<11" narrowed to one value, and every hidden cell pinned to a value from 1 to 10."""
    hidden = [k for k, v in shown.items() if v in (SMALL, HIDDEN)]
    found = {}
    for key, (low, high) in reader_ranges(shown, groups, at_most, which=hidden).items():
        if low == high and (shown[key] == SMALL or 1 <= low <= 10):
            found[key] = low
    return found


def as_shown(cells: dict, hidden: dict) -> dict:
    return {k: SMALL if hidden.get(k) == PRIMARY else HIDDEN if k in hidden else v for k, v in cells.items()}


# --------------------------------------------------------------------------------------------
# Small hand-made ledgers
# --------------------------------------------------------------------------------------------

def test_the_reader_finds_the_fy2021_22_leak_by_hand():
    # As printed on 1c9c3c0: responses 27, CCD 15, CR "—" (11), COR "<11" (1); CR answered 11 eligible calls.
    shown = {"all": 27, "CR": HIDDEN, "COR": SMALL, "CCD": 15, "answered_CR": 11}
    groups = [(("CR", "COR", "CCD"), "all")]
    # CR + COR = 12; COR >= 1 gives CR <= 11; CR >= answered_CR = 11: CR = 11, COR = 1.
    assert reader_ranges(shown, groups, [("answered_CR", "CR")], which=["CR", "COR"]) == {"CR": (11, 11), "COR": (1, 1)}
    # Without the relation between the metrics, the totals alone leave COR from 1 to 10 (CR from 2 to 11).
    assert reader_ranges(shown, groups, which=["CR", "COR"]) == {"CR": (2, 11), "COR": (1, 10)}


def test_plan_hides_one_more_cell_where_a_relation_between_metrics_pins_a_small_count():
    cells = {"all": 27, "CR": 11, "COR": 1, "CCD": 15, "answered_CR": 11}
    groups = [(("CR", "COR", "CCD"), "all")]
    relation = [("answered_CR", "CR")]
    hidden = plan(cells, groups, at_most=relation)
    # By hand: COR is small; the smallest other unit, CR (11), is its complement; the reader still gets
    # COR = 1 (above). The count's own total row holds CCD (15) and the total (27): the cell beside it
    # that is not the total, CCD, is hidden instead. With two hidden cells in the row, CR needs no
    # hiding any more and is printed: COR + CCD = 27 - 11 = 16, COR "<11": COR 1 to 10 (CCD 6 to 15).
    assert hidden == {"COR": PRIMARY, "CCD": COMPLEMENTARY}
    shown = as_shown(cells, hidden)
    assert reader_ranges(shown, groups, relation, which=["COR", "CCD"]) == {"COR": (1, 10), "CCD": (6, 15)}
    assert leaks(shown, groups, relation) == {}


def test_two_small_counts_that_add_up_to_twenty_are_both_ten():
    # Police back-up on 20 responses: 10 with, 10 without. Both "<11", the 20 printed: each is 10.
    cells = {"with": 10, "without": 10, "responses": 20, "other_unit": 40, "all_units": 60}
    groups = [(("with", "without"), "responses"), (("responses", "other_unit"), "all_units")]
    assert leaks(as_shown(cells, {"with": PRIMARY, "without": PRIMARY}), groups) == {"with": 10, "without": 10}


def test_plan_protects_two_small_counts_that_add_up_to_twenty():
    cells = {"with": 10, "without": 10, "responses": 20, "other_unit": 40, "all_units": 60}
    groups = [(("with", "without"), "responses"), (("responses", "other_unit"), "all_units")]
    hidden = plan(cells, groups)
    assert leaks(as_shown(cells, hidden), groups) == {}
    # By hand: both parts are small and the total is not, so the two are merged into their total (published
    # as 20 alone); no total is hidden.
    assert hidden == {"with": MERGED, "without": MERGED}


def test_a_small_count_is_1_to_10_and_zero_is_printed():
    # "<11" never stands for 0: with a total of 10 over a "<11" and a printed 0, the "<11" is 10.
    shown = {"a": SMALL, "b": 0, "t": 10}
    assert leaks(shown, [(("a", "b"), "t")]) == {"a": 10}


# --------------------------------------------------------------------------------------------
# The sample run: every council page as printed, with the open-data files
# --------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def sample_run(sample_city_run):
    """The session's one heart run on data_samples/ (tests/conftest.py): read only."""
    return sample_city_run


def printed_cells(reports: Path) -> dict:
    """ledger key -> what the council pages print for it (each page's tables and sentences)."""
    printed: dict = {}
    for page in sorted((reports / "council").glob("council-*.html")):
        for key, text in re.findall(r'data-cell="([^"]+)"[^>]*>([^<]*)<', page.read_text()):
            text = html.unescape(text).strip()
            value = text if text in (SMALL, HIDDEN) else float(text.replace(",", "").removesuffix(" h"))
            assert printed.setdefault(key, value) == value, f"{key} printed as {printed[key]} and {value}"
    return printed


def council_system(run: Path):
    from pipeline.disclosure.public_counts import load_council_data
    from pipeline.program import load_program

    with duckdb.connect(str(run / "heart.duckdb"), read_only=True) as con:
        data = load_council_data(con, load_program(ROOT / "config" / "program.toml"))
    printed = printed_cells(run / "reports")
    # A cell no page prints (a rate's rest, a total of the hour span) is unknown to the reader: >= 0.
    shown = {k: printed.get(k, HIDDEN) for k in data.plan.cells}
    # Hours are not counts, but a hidden one is still >= 0; the relation: a unit answers no more
    # eligible calls than it responds to.
    # (Where the data keeps it: responses are dated by the response and calls by the call, so across a
    # period's edge a unit can answer more calls than it has responses; a reader then learns nothing.)
    cells = data.plan.cells
    relations = [(a, b) for p in data.pages for u in CRISIS_UNITS
                 if cells[a := f"{p.key}:answered_by:{u}"] <= cells[b := f"{p.key}:responses:{u}"]]
    return data, shown, list(data.plan.groups), relations


def test_no_small_count_on_the_council_pages_can_be_worked_out(sample_run):
    data, shown, groups, relations = council_system(sample_run)
    # The sample's small counts (the four launch days, 07:00 answered in FY2022-23, "No team free" 3 in
    # FY2023-24, Co-Response's first months) are coarsened away (pipeline/disclosure/coarsen.py), so few or no
    # "<11" are left; the system is still solved whole, with every unprinted cell as an unknown. (Which merges
    # a sample needs depends on its numbers; the launch days, 27-30 June, are always folded.)
    assert data.launch is not None
    assert leaks(shown, groups, relations) == {}


def test_no_headline_figure_is_hidden(sample_run):
    from pipeline.reports.council.base import public_pages

    data, shown, _, _ = council_system(sample_run)
    # Headline cards are on the pages written: a launch year folded into the next page has no cards of
    # its own (its unmet count is printed nowhere, so it reads as hidden here without being suppressed).
    pages = {p.key for p in public_pages(data)}
    headline = [k for k in shown if k.split(":", 1)[0] in pages
                and k.split(":", 1)[1] in ("responses:ALL", "eligible", "answered", "unmet")]
    assert headline and [k for k in headline if shown[k] in (SMALL, HIDDEN)] == []


def test_no_cell_hidden_to_protect_a_small_count_holds_more_than_5_percent_of_its_total(sample_run):
    data, shown, groups, _ = council_system(sample_run)
    too_big = {}
    for parts, total in groups:
        if shown[total] in (SMALL, HIDDEN) or not shown[total]:
            continue
        for p in parts:
            # Hidden (or merged) to protect a small count: the plan's complements. (A cell no page prints at
            # all, such as a rate's rest, reads as "—" to the reader but protects nothing: not counted here.)
            if data.plan.hidden.get(p) in (COMPLEMENTARY, MERGED) and data.plan.cells[p] > 0.05 * shown[total]:
                too_big[p] = (data.plan.cells[p], shown[total])
    assert too_big == {}


@pytest.fixture(scope="module")
def open_data_plan(sample_run):
    from pipeline.open_data.plan import plan_open_data
    from pipeline.program import load_program

    with duckdb.connect(str(sample_run / "heart.duckdb"), read_only=True) as con:
        return plan_open_data(con, program=load_program(ROOT / "config" / "program.toml"))


def test_no_cell_hidden_in_open_data_to_protect_a_small_count_holds_more_than_5_percent_of_its_total(open_data_plan):
    od = open_data_plan
    cells = od.ledger.cells
    too_big = {}
    for parts, total in od.ledger.groups:
        if total in od.hidden or not cells[total]:
            continue
        for p in parts:
            # Hidden to protect a small count (complementary, or merged into its total): at most 5% of the total
            # beside it. (Hours are not counts and are hidden with their diverted calls, not to protect them.)
            if od.hidden.get(p) not in (None, PRIMARY) and p not in od.ledger.not_counts \
                    and cells[p] > 0.05 * cells[total]:
                too_big[p] = (cells[p], total, cells[total])
    assert too_big == {}


def test_no_headline_figure_is_hidden_in_open_data(open_data_plan):
    od = open_data_plan
    # The headline figures: eligible calls, their share answered, the unmet calls and the responses, for every
    # unit together with no breakdown, at every period published (months, fiscal years, to date).
    headline = [r for r in od.metric_rows if r.data["unit"] == "ALL" and r.data["dimension"] == "ALL"
                and r.data["metric_id"] in ("eligible_calls", "eligible_answered_rate", "unmet_eligible_calls",
                                            "responses")]
    assert {r.data["grain"] for r in headline} >= {"month", "fiscal_year", "all"}
    assert [r.data for r in headline if set(r.cells.values()) & set(od.hidden)] == []


def test_no_small_count_in_open_data_can_be_worked_out(sample_run):
    import csv

    from pipeline.open_data.plan import plan_open_data
    from pipeline.program import load_program

    with duckdb.connect(str(sample_run / "heart.duckdb"), read_only=True) as con:
        od = plan_open_data(con, program=load_program(ROOT / "config" / "program.toml"))
    # What metric_values.csv prints, cell by cell (its rows are the plan's rows, in order); a blank is
    # "<11" where the plan hid a small count (the reader is told more than the file says: stricter).
    shown = {k: SMALL if od.hidden.get(k) == PRIMARY else HIDDEN for k in od.ledger.cells}
    with open(sample_run / "reports" / "open-data" / "metric_values.csv", newline="") as f:
        printed = list(csv.DictReader(f))
    assert len(printed) == len(od.metric_rows)
    for line, row in zip(printed, od.metric_rows):
        assert (line["metric_id"], line["unit"], line["dimension_value"]) == (
            row.data["metric_id"], row.data["unit"], str(row.data["dimension_value"]))
        for column in ("numerator", "denominator"):
            key = row.cells.get(column)
            if key and line[column] != "" and key not in od.ledger.not_counts:
                shown[key] = float(line[column])
    # Stop at the first count pinned: the whole system is large, and one is enough to fail.
    for key in [k for k, v in shown.items() if v == SMALL]:
        low, high = reader_ranges(shown, od.ledger.groups, od.ledger.at_most, which=[key])[key]
        assert low < high, f"{key} is {low} in open data"
