"""Open-data exports: the public metrics and aggregate tables as CSV and Parquet, small counts suppressed.

Fixture: tests/fixtures/metrics_small (hand-worked, see its README; its fiscal
year starts 1 November: FY2022–23 holds 30–31 Oct 2023, FY2023–24 the rest).
Nearly every count is below 11, so the exports are written twice: with the
public threshold 11, and with 3, where most figures show and can be checked by
hand.

Suppression is checked twice: on the plan (every group of the ledger, with
the council dashboard's, by an independent null-space computation), and on the
files alone (the additive relations rebuilt from what the CSV files print,
blanks as unknowns).
"""

from __future__ import annotations

import re
import shutil
from collections import defaultdict
from datetime import date

import numpy as np
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq
import pytest

from pipeline import open_data as exports
from pipeline import warehouse
from pipeline.reports import council
from pipeline.disclosure.suppression import COMPLEMENTARY, MERGED, PRIMARY, SuppressionConflict, is_small, plan

FY23 = date(2022, 11, 1)     # FY2022–23: data 30–31 Oct 2023
FY24 = date(2023, 11, 1)     # FY2023–24: data 1 Nov 2023 – 17 Mar 2024
LAUNCH = date(2023, 10, 30)
MARCH = date(2024, 3, 1)
FILES = {"README.md", *(f"{t}.{ext}" for t in exports.TABLES for ext in ("csv", "parquet"))}
COUNT_COLUMNS = {"metric_values": ("numerator", "denominator"), "eligible_calls_monthly": ("calls",),
                 "police_time_by_call_type": ("comparable_incidents",)}


@pytest.fixture(scope="module")
def exported(metrics_small_warehouse, tmp_path_factory):
    """threshold -> the folder written, the plan behind it, the tables read back; plus the warehouse's own rows."""
    path, program = metrics_small_warehouse
    result = {}
    with warehouse.connect(path, read_only=True) as con:
        raw = {tuple(r[:6]): dict(zip(("period_end", "numerator", "denominator", "value"), r[6:])) for r in con.execute(
            "SELECT metric_id, grain, period_start, unit, dimension, dimension_value, period_end, "
            "numerator, denominator, value FROM metrics.metric_values").fetchall()}
        periods = {d for row in con.execute("SELECT DISTINCT period_start, period_end FROM metrics.metric_values"
                                            ).fetchall() for d in row}
        ids = {r[0] for r in con.execute("SELECT incident_id FROM marts.cad_incidents").fetchall()}
        ids |= {r[0] for r in con.execute(
            "SELECT response_id FROM marts.heart_responses UNION SELECT person_key FROM marts.heart_responses "
            "WHERE person_key IS NOT NULL").fetchall()}
        kinds = dict(con.execute("SELECT metric_id, kind FROM metrics.metric_definitions").fetchall())
        for t in (3, 11):
            out = tmp_path_factory.mktemp(f"open_data{t}") / "open-data"
            od = exports.plan_open_data(con, t, program)
            files = exports.write_planned(od, out)
            result[t] = {"out": out, "files": files, "od": od, "council": od.council,
                         "tables": {n: pq.read_table(out / f"{n}.parquet") for n in exports.TABLES}}
            for r in rows(result[t], "metric_values"):
                if row_key(r) not in raw:
                    raw[row_key(r)] = coarse_raw(raw, kinds, row_key(r))
    result.update(raw=raw, periods=periods, ids=ids, program=program, path=path)
    return result


def coarse_raw(raw: dict, kinds: dict, key: tuple) -> dict:
    """The warehouse's figure behind a coarsened open-data row, added up by hand from metric_values rows.

    The launch days (30-31 Oct 2023, FY2022-23) are folded into FY2023-24, published from 30 Oct 2023: that is
    every day of the program, so FY23 + FY24; their month into November (Oct + Nov). An hour run "01-07" is
    the hours 01 to 07; the reason outside_coverage is outside service hours + area, in_coverage no team free +
    not routed. A rate is numerator / denominator; a median, a percentile and distinct people cannot
    be added up (blank value).
    """
    metric, grain, start, unit, dimension, value = key
    starts = {("fiscal_year", LAUNCH): [FY23, FY24], ("month", LAUNCH): [date(2023, 10, 1), date(2023, 11, 1)]}
    values = [value]
    if dimension == "hour_of_day" and "-" in value:
        first, last = (int(h) for h in value.split("-"))
        values = [f"{h:02d}" for h in range(first, last + 1)]
    if dimension == "reason" and value in ("outside_coverage", "in_coverage"):   # a pair merged: its two reasons
        values = {"outside_coverage": ["outside_service_hours", "outside_service_area"],
                  "in_coverage": ["no_team_free", "not_routed"]}[value]
    parts = [raw[k] for s in starts.get((grain, start), [start]) for v in values
             if (k := (metric, grain, s, unit, dimension, v)) in raw]
    n = sum(p["numerator"] for p in parts if p["numerator"] is not None) if parts else None
    d = sum(p["denominator"] for p in parts if p["denominator"] is not None) if parts else None
    if any(p["denominator"] is None for p in parts):
        d = None
    kind = kinds[metric]
    if kind == "rate":
        v = n / d if d else None
    elif kind in ("count", "sum") and metric != "people_reached":
        v = n
    else:
        v, n = None, None
    return {"period_end": parts[-1]["period_end"] if parts else None, "numerator": n, "denominator": d, "value": v}


def rows(board, table: str) -> list[dict]:
    return board["tables"][table].to_pylist()


def mv(board, metric: str, grain: str, start: date, unit: str = "ALL", dimension: str = "ALL",
       value: str = "ALL") -> dict:
    found = [r for r in rows(board, "metric_values") if (r["metric_id"], r["grain"], r["period_start"], r["unit"],
                                                         r["dimension"], r["dimension_value"]) ==
             (metric, grain, start, unit, dimension, value)]
    assert len(found) == 1, (metric, grain, start, unit, dimension, value)
    return found[0]


def row_key(r: dict) -> tuple:
    return r["metric_id"], r["grain"], r["period_start"], r["unit"], r["dimension"], r["dimension_value"]


def shown(row: dict) -> tuple:
    return row["numerator"], row["denominator"], row["suppressed"]


# --------------------------------------------------------------------------------------------
# Files
# --------------------------------------------------------------------------------------------

def test_files_and_readme(exported):
    board = exported[11]
    assert {p.name for p in board["files"]} == FILES == {p.name for p in board["out"].iterdir()}
    readme = (board["out"] / "README.md").read_text(encoding="utf-8")
    assert "30 October 2023 to 17 March 2024" in readme
    assert "threshold 11" in readme and "from 1 to 10" in readme
    for name, table in board["tables"].items():
        assert f"`{name}.csv`" in readme
        for column in table.column_names:
            assert f"`{column}`" in readme, (name, column)
    for metric in exports.PUBLIC_BREAKDOWNS:
        assert f"`{metric}`" in readme
    assert "threshold 3" in (exported[3]["out"] / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("threshold", [11, 3])
def test_csv_and_parquet_hold_the_same_rows(exported, threshold):
    board = exported[threshold]
    for name, table in board["tables"].items():
        from_csv = pa_csv.read_csv(board["out"] / f"{name}.csv", convert_options=pa_csv.ConvertOptions(
            column_types=table.schema, strings_can_be_null=True))
        assert from_csv.schema == table.schema
        assert from_csv.equals(table), name
        # Blank in the CSV exactly where the Parquet file has no value.
        lines = (board["out"] / f"{name}.csv").read_text(encoding="utf-8").splitlines()
        assert len(lines) == table.num_rows + 1
    schema = board["tables"]["metric_values"].schema
    assert str(schema.field("period_start").type) == "date32[day]"
    assert str(schema.field("denominator").type) == "int64"
    assert str(board["tables"]["eligible_calls_monthly"].schema.field("calls").type) == "int64"


def test_same_metrics_whatever_the_threshold(exported):
    # The rows themselves depend on the threshold since coarsening (pipeline/open_data/coarse.py): what is
    # merged (hours, reasons) is what is small, and so is the grain of a split small in some month (by quarter,
    # by year). The metrics published do not.
    keys = {t: [(r["metric_id"], r["grain"], r["period_start"], r["unit"], r["dimension"], r["dimension_value"])
                for r in rows(exported[t], "metric_values")] for t in (3, 11)}
    assert {k[0] for k in keys[3]} == {k[0] for k in keys[11]}
    assert len(keys[11]) == len(set(keys[11])) and len(keys[3]) == len(set(keys[3]))


# --------------------------------------------------------------------------------------------
# What is published
# --------------------------------------------------------------------------------------------

def test_only_public_grains_and_breakdowns(exported):
    board = exported[11]
    published = {(r["metric_id"], r["grain"], r["period_start"], r["unit"], r["dimension"], r["dimension_value"])
                 for r in rows(board, "metric_values")}
    for metric, grain, start, unit, dimension, value in published:
        assert grain in exports.PUBLIC_BREAKDOWNS[metric][dimension], (metric, grain, dimension)
        assert grain != "week" and dimension not in ("beat", "weekday+hour_of_day", "reason+hour_of_day")
        assert "|" not in value and "+" not in dimension
    assert not any(d == "hour_of_day" and g == "month" for _, g, _, _, d, _ in published)
    assert {d for m, _, _, _, d, _ in published if m == "officer_hours_saved"} == {"ALL"}
    # Nothing public is left out: every metric_values row of a public grain and breakdown is there, or inside a
    # coarser row (pipeline/open_data/coarse.py): FY2022-23 and October 2023 (the launch days) folded into the
    # next, from 30 Oct 2023; hours in a run; the unmet reasons merged in pairs; units by month (some month
    # has a small unit count: by fiscal year and to date only).
    public = {k for k in exported["raw"] if k[0] in exports.PUBLIC_BREAKDOWNS
              and k[1] in exports.PUBLIC_BREAKDOWNS[k[0]].get(k[4], ())}
    runs = {h for _, _, _, _, d, v in published if d == "hour_of_day" and "-" in v
            for h in range(int(v[:2]), int(v[3:]) + 1)}

    def regrained(metric, grain, unit, dimension) -> bool:
        # Published at a coarser grain (or not by unit) because a month, a quarter or a year holds a small count
        # of it or of a total it adds up to (coarse.grains): nearly every split of this tiny fixture.
        r = {"metric_id": metric, "unit": unit, "dimension": dimension}
        totals = (r, {**r, "dimension": "ALL"}, {**r, "unit": "ALL"}, {**r, "unit": "ALL", "dimension": "ALL"})
        found = [board["od"].grains.get(f, "month") for t in totals for f in exports.coarse.families(t)]
        return any(g is None or exports.coarse.LADDER.index(g) > exports.coarse.LADDER.index(grain) for g in found)

    def coarsened(k) -> bool:
        metric, grain, start, unit, dimension, value = k
        return ((grain, start) in {("fiscal_year", FY23), ("fiscal_year", FY24), ("month", date(2023, 10, 1)),
                                   ("month", date(2023, 11, 1))}
                or (dimension == "hour_of_day" and (not value.isdigit() or int(value) in runs))
                or dimension == "reason" or (grain == "month" and unit != "ALL")
                or regrained(metric, grain, unit, dimension))
    assert {k for k in published if k[1] != "quarter"} <= public and all(coarsened(k) for k in public - published)
    assert {k[1] for k in exported["raw"]} - {g for _, g, *_ in published} == {"week"}


def test_hand_checked_values_with_threshold_3(exported):
    board = exported[3]
    # Program to date: 35 eligible calls, 18 answered, 17 unmet; 21 crisis responses (CR 14, COR 2) + 6 CN.
    assert shown(mv(board, "eligible_calls", "all", LAUNCH)) == (35, None, None)
    assert mv(board, "eligible_calls", "all", LAUNCH)["value"] == 35
    assert shown(mv(board, "unmet_eligible_calls", "all", LAUNCH)) == (17, None, None)
    rate = mv(board, "eligible_answered_rate", "all", LAUNCH)
    assert shown(rate) == (18, 35, None) and rate["value"] == pytest.approx(18 / 35)
    assert rate["ci_low"] < 18 / 35 < rate["ci_high"]
    assert shown(mv(board, "responses", "all", LAUNCH)) == (21, None, None)
    # Co-Response has 2 responses (24-0014, 24-0019) even to date, under 3. The crisis units add up to the 21
    # (CCD 5 + CR 14 + COR 2): a blank COR would need CCD's 5 or CR's 14 blanked beside it, far more than 5% of
    # 21. So responses are not published by unit at all (coarse.regrain), Care Navigation's 6 included.
    assert not [r for r in rows(board, "metric_values") if r["metric_id"] == "responses" and r["unit"] != "ALL"]
    assert board["od"].grains[("responses", "ALL", "units")] is None
    # Community Response diverted 9 of its 13 calls.
    diverted = mv(board, "diversion_rate", "all", LAUNCH, "CR")
    assert shown(diverted) == (9, 13, None) and diverted["value"] == pytest.approx(9 / 13)
    # Unmet by reason: 8 outside service hours; 2 outside the area (23-0006, 24-0017) is below 3, so the two
    # are merged as the council pages merge them: one reason row, outside_coverage, 10. No team free 4 and not
    # routed 3 are published.
    reasons = {r["dimension_value"] for r in rows(board, "metric_values")
               if r["dimension"] == "reason" and r["grain"] == "all"}
    assert reasons == {"no_team_free", "not_routed", "outside_coverage"}
    assert shown(mv(board, "unmet_eligible_calls", "all", LAUNCH, "ALL", "reason", "no_team_free")) == (4, None, None)
    assert shown(mv(board, "unmet_eligible_calls", "all", LAUNCH, "ALL", "reason", "outside_coverage")) == (
        10, None, None)
    # FY2022–23 (two days, 1 unmet call: 23-0003) is folded into FY2023-24, published from 30 Oct 2023: every
    # day of the program, so its 17 unmet calls.
    assert not [r for r in rows(board, "metric_values") if r["period_start"] == FY23]
    assert shown(mv(board, "unmet_eligible_calls", "fiscal_year", LAUNCH)) == (17, None, None)
    # A median over 14 arrivals, with its interval.
    median = mv(board, "heart_response_time_median", "all", LAUNCH)
    assert (median["denominator"], median["value"], median["suppressed"]) == (14, 19.0, None)
    # March 2024, MENTAL: answered 24-0001, 24-0004, 24-0008, 24-0018, 24-0019; outside hours 24-0009, 24-0011;
    # outside the area 24-0017 (beat 211 before 13 March); not routed 24-0013; no team free: none.
    od = board["od"]
    # A call type answered fewer than 3 times in a month, a quarter and even to date (SUICTH: 1 eligible call)
    # puts call types to date only (coarse.grains), eligible_calls_monthly too: one row per call type and status
    # from the launch day to the data's end, March inside it. MENTAL has an unanswered reason under 3 (not
    # routed), so its unanswered calls are one status, not_answered.
    assert od.grains[("call_type",)] is None
    mental = {r.data["status"]: r.data for r in od.monthly_rows if r.data["call_type"] == "MENTAL"}
    assert set(mental) == {"answered", "not_answered"}
    assert {(r["period_start"], r["period_end"]) for r in mental.values()} == {(LAUNCH, date(2024, 3, 18))}
    assert mental["answered"]["calls"] >= 5 and mental["not_answered"]["calls"] >= 4   # March's alone
    assert mental["answered"]["calls"] == mv(board, "eligible_answered_rate", "all", LAUNCH, "ALL", "call_type",
                                             "MENTAL")["numerator"]
    assert mental["answered"]["calls"] + mental["not_answered"]["calls"] == mv(
        board, "eligible_calls", "all", LAUNCH, "ALL", "call_type", "MENTAL")["numerator"]
    # Police time by call type: MENTAL 7 comparable incidents, mean 1.25 h, median 1.0 h;
    # WELFCK 4, mean 1.25 h; SUICTH has 1: blank.
    police = {r["call_type"]: r for r in rows(board, "police_time_by_call_type")}
    assert (police["MENTAL"]["comparable_incidents"], police["MENTAL"]["mean_police_unit_hours"],
            police["MENTAL"]["median_police_unit_hours"]) == (7, pytest.approx(1.25), pytest.approx(1.0))
    assert (police["WELFCK"]["comparable_incidents"], police["WELFCK"]["mean_police_unit_hours"]) == (
        4, pytest.approx(1.25))
    assert police["SUICTH"] == {"call_type": "SUICTH", "comparable_incidents": None, "mean_police_unit_hours": None,
                                "median_police_unit_hours": None, "mean_police_units": None,
                                "suppressed": exports.SMALL}


def test_officer_hours_are_rounded_and_hidden_with_the_diverted_calls(exported):
    for threshold in (3, 11):
        for r in rows(exported[threshold], "metric_values"):
            if r["metric_id"] != "officer_hours_saved":
                continue
            raw = exported["raw"][row_key(r)]
            if r["denominator"] is None and raw["denominator"] is not None:   # hidden
                assert r["numerator"] is None and r["value"] is None
            if r["numerator"] is not None:
                assert r["numerator"] == r["value"] == round(raw["numerator"], 1)
    to_date = mv(exported[3], "officer_hours_saved", "all", LAUNCH)
    assert (to_date["numerator"], to_date["denominator"]) == (11.8, 12)


# --------------------------------------------------------------------------------------------
# Suppression
# --------------------------------------------------------------------------------------------

def test_public_threshold_blanks_every_small_count(exported):
    board = exported[11]
    checked = 0
    for r in rows(board, "metric_values"):
        raw = exported["raw"][row_key(r)]
        counts = {"denominator": raw["denominator"]}
        if r["metric_id"] != "officer_hours_saved":
            counts["numerator"] = raw["numerator"]
        for column, count in counts.items():
            if is_small(count, 11):
                assert r[column] is None and r["suppressed"] == exports.SMALL, (r, column)
                checked += 1
        # The count a rate gives away (denominator - numerator) is protected like the others.
        if r["metric_id"] in exports.BINARY_RATES and is_small(raw["denominator"] - raw["numerator"], 11):
            assert None in (r["numerator"], r["denominator"]) and r["suppressed"] == exports.SMALL, r
        # A value is published only with every count behind it; unsuppressed rows are the warehouse's.
        if r["suppressed"] is not None:
            assert r["value"] is None and r["ci_low"] is None and r["ci_high"] is None
        elif r["metric_id"] != "officer_hours_saved":
            assert (r["numerator"], r["denominator"], r["value"]) == (
                raw["numerator"], raw["denominator"], raw["value"])
        # No printed count is small.
        for column in ("numerator", "denominator"):
            if r[column] is not None and not (column == "numerator" and r["metric_id"] == "officer_hours_saved"):
                assert not is_small(r[column], 11), (r, column)
    # (Fewer rows than before coarsening: the launch year and merged hours are gone, and nearly every split of this
    # tiny fixture is published to date only, where a month or a quarter would hold a small count.)
    assert checked > 40
    for table in ("eligible_calls_monthly", "police_time_by_call_type"):
        for r in rows(board, table):
            for column in COUNT_COLUMNS[table]:
                assert r[column] is None or not is_small(r[column], 11), r
    od = board["od"]
    for r in od.monthly_rows:
        if is_small(r.data["calls"], 11):
            assert od.hidden.get(r.cells["calls"]) == PRIMARY
    for r in rows(board, "police_time_by_call_type"):
        assert r["suppressed"] == exports.SMALL and r["mean_police_unit_hours"] is None  # every type has < 11


def solvable(groups, hidden) -> set:
    """Hidden cells fixed by the groups (an independent check: numpy null space, not the planner's own).

    Split first into sets of groups linked by hidden cells (groups sharing none cannot constrain each other).
    """
    linked = {}

    def root(x):
        while linked.setdefault(x, x) != x:
            x = linked[x]
        return x

    equations = []
    for parts, total in groups:
        members = [m for m in (*parts, total) if m in hidden]
        if members:
            equations.append((parts, total))
            for m in members[1:]:
                linked[root(m)] = root(members[0])
    systems = defaultdict(list)
    for parts, total in equations:
        systems[root(next(m for m in (*parts, total) if m in hidden))].append((parts, total))
    fixed = set()
    for system in systems.values():
        keys = sorted({m for parts, total in system for m in (*parts, total) if m in hidden}, key=str)
        index = {k: i for i, k in enumerate(keys)}
        matrix = np.zeros((len(system), len(keys)))
        for row, (parts, total) in enumerate(system):
            for member, sign in [(p, 1.0) for p in parts] + [(total, -1.0)]:
                if member in index:
                    matrix[row, index[member]] += sign
        _, singular, vt = np.linalg.svd(matrix)
        null = vt[int((singular > 1e-9).sum()):]
        fixed |= set(keys) if null.shape[0] == 0 else {keys[i] for i in
                                                       np.flatnonzero(np.abs(null).max(axis=0) < 1e-7)}
    return fixed


@pytest.mark.parametrize("threshold", [11, 3])
def test_no_published_total_gives_back_a_hidden_count(exported, threshold):
    od = exported[threshold]["od"]
    ledger, hidden = od.ledger, od.hidden
    assert any(w == PRIMARY for w in hidden.values()) and any(w == COMPLEMENTARY for w in hidden.values())
    # (MERGED: small parts published only inside their total, suppression.merged_parts.)
    assert all(hidden.get(k) in (PRIMARY, MERGED) for k, v in ledger.cells.items()
               if k not in ledger.not_counts and is_small(v, threshold))
    for parts, total in ledger.groups:
        # The groups are real: the parts add up to the total.
        assert sum(ledger.cells[p] for p in parts) == pytest.approx(ledger.cells[total]), total
        members = [*parts, total]
        assert sum(m in hidden for m in members) != 1, (total, [(m, hidden.get(m)) for m in members])
        if any(hidden.get(m) == PRIMARY for m in members):
            assert not any(hidden.get(m) == COMPLEMENTARY and ledger.cells[m] == 0 for m in members), total
    for dependent, on in ledger.depends:
        assert on not in hidden or dependent in hidden
    fixed = solvable(ledger.groups, hidden)
    assert not {k for k in fixed if hidden[k] == PRIMARY}
    # The ledger holds the relations the module promises (a sample of each kind).
    groups = {(frozenset(p), t) for p, t in ledger.groups}

    def key(metric, grain, start, unit="ALL", dimension="ALL", value="ALL", part="numerator"):
        return exports.mv_key(metric, grain, start, unit, dimension, value, part)

    assert (frozenset(key("responses", "all", LAUNCH, u) for u in ("CCD", "CR", "COR")),
            key("responses", "all", LAUNCH)) in groups
    assert (frozenset([key("eligible_answered_rate", "all", LAUNCH), key("unmet_eligible_calls", "all", LAUNCH)]),
            key("eligible_calls", "all", LAUNCH)) in groups
    if threshold == 3:   # at 11 the two in-coverage reasons are merged: their sum is the coverage row's rest
        assert (frozenset([key("unmet_eligible_calls", "all", LAUNCH, "ALL", "reason", r)
                           for r in ("no_team_free", "not_routed")]),
                key("eligible_answered_rate", "all", LAUNCH, "ALL", "coverage", "in_coverage", "rest")) in groups
    # One fiscal year (the launch days folded in, from 30 Oct 2023) adds up to the program to date.
    assert (frozenset([key("eligible_calls", "fiscal_year", LAUNCH)]), key("eligible_calls", "all", LAUNCH)) in groups
    # Five months (October's launch days folded into November) add up to it too.
    assert any(t == key("eligible_calls", "fiscal_year", LAUNCH) and len(p) == 5 for p, t in groups)


@pytest.mark.parametrize("threshold", [11, 3])
def test_the_council_dashboard_and_the_exports_hide_the_same_counts(exported, threshold):
    """Both are public: a count the council hides is hidden here, one it prints is never counted on as hidden."""
    board = exported[threshold]
    data, od = board["council"], board["od"]
    assert data.plan.hidden == council.plan_suppression(data.plan.ledger, threshold).hidden   # council unchanged
    mapped = 0
    for key, source in data.plan.ledger.sources.items():
        target = exports.mv_key(*source)
        assert od.ledger.cells[target] == pytest.approx(data.plan.cells[key])
        assert (target in od.hidden) == (key in data.plan.hidden), (key, target)
        mapped += 1
    assert mapped > 60     # (83 at threshold 11: the launch year has no cells of its own any more)
    # The council's groups are in the exports' ledger: the check above covers both publications together.
    groups = {(frozenset(p), t) for p, t in od.ledger.groups}
    ledger_key = {k: exports.mv_key(*s) for k, s in data.plan.ledger.sources.items()}
    for parts, total in data.plan.groups:
        members = [ledger_key.get(m, f"council|{m}") for m in (*parts, total)]
        assert (frozenset(members[:-1]), members[-1]) in groups or len(set(members)) == 1


def file_cells(board, raw: dict) -> tuple[dict, list, dict]:
    """What the files print, count by count (None = blank), the sums they imply (rebuilt from the files alone),
    and the true value of every count."""
    cells: dict[tuple, float | None] = {}
    truth: dict[tuple, float] = {}
    for r in rows(board, "metric_values"):
        for column in ("numerator", "denominator"):
            true = raw[row_key(r)][column]
            if true is None or (r["metric_id"] == "officer_hours_saved" and column == "numerator"):
                continue       # no such count (a count metric's denominator) or hours
            key = (*row_key(r), column)
            if r["metric_id"] == "outcome_share" and column == "denominator":
                key = (*row_key(r)[:5], "ALL", column)    # one per unit, printed on each outcome's row
            cells[key] = r[column]
            truth[key] = true
    for r in rows(board, "eligible_calls_monthly"):
        cells[("monthly", r["period_start"], r["call_type"], r["status"])] = r["calls"]
    for r in board["od"].monthly_rows:
        truth[("monthly", r.data["period_start"], r.data["call_type"], r.data["status"])] = r.data["calls"]
    relations = []

    def rel(parts, total):
        parts = [p for p in parts if p in cells]
        if total in cells or parts:
            relations.append((parts, total))

    by_family = defaultdict(list)
    for key in cells:
        if key[0] != "monthly":
            metric, grain, start, unit, dimension, value, column = key
            by_family[(metric, grain, start, unit, dimension, column)].append(value)
    # (Reasons merged in pairs (coarse.py) are one reason row, named after the coverage side: the reasons
    # still add up to the unmet calls.)
    for (metric, grain, start, unit, dimension, column), values in by_family.items():
        if dimension in exports.PARTITIONS.get(metric, ()) and (column == "numerator" or metric in
                                                                exports.BINARY_RATES):
            rel([(metric, grain, start, unit, dimension, v, column) for v in values],
                (metric, grain, start, unit, "ALL", "ALL", column))
        if metric == "outcome_share" and column == "numerator":
            rel([(metric, grain, start, unit, dimension, v, column) for v in values],
                (metric, grain, start, unit, dimension, "ALL", "denominator"))
        if metric in ("responses", "outcome_share") and unit == "ALL":
            for v in values:
                units = [(metric, grain, start, u, dimension, v, column) for u in ("CCD", "CR", "COR")]
                if any(u in cells for u in units):   # (by month no unit row is published: by year only)
                    rel(units, (metric, grain, start, "ALL", dimension, v, column))
    # Periods: months to fiscal years to the program to date.
    fiscal_years = sorted({(r["period_start"], r["period_end"]) for r in rows(board, "metric_values")
                           if r["grain"] == "fiscal_year"})
    series = defaultdict(dict)
    for key in cells:
        if key[0] not in ("monthly", "people_reached"):     # distinct people do not add up over time
            series[(key[0], key[3], key[4], key[5], key[6])][(key[1], key[2])] = key
    for (metric, *_), by_period in series.items():
        total = next((k for (g, _), k in by_period.items() if g == "all"), None)
        months = {s: k for (g, s), k in by_period.items() if g == "month"}
        years = {s: k for (g, s), k in by_period.items() if g == "fiscal_year"}
        if months:
            for start, end in fiscal_years:
                rel([k for s, k in months.items() if start <= s < end], years.get(start))
            rel(list(months.values()), total)
        if years:   # (none where a split is published to date only: coarse.grains)
            rel(list(years.values()), total)
    # Identities between metrics, and answered + unmet = eligible.
    for key in list(cells):
        if key[0] == "eligible_answered_rate" and key[3] == "ALL" and key[6] == "denominator" and \
                key[4] in ("ALL", "hour_of_day", "call_type"):
            rel([key], ("eligible_calls", *key[1:6], "numerator"))
            unmet = ("unmet_eligible_calls", *key[1:6], "numerator")
            if key[4] != "call_type":
                rel([(*key[:6], "numerator"), unmet], key)
    # Statuses as published: the reasons, the pairs merged (coverage sides), a call type's not_answered.
    statuses = ("answered", *exports.UNMET_REASONS, "outside_coverage", "in_coverage", "not_answered")
    # eligible_calls_monthly goes by the grain call types go by (by quarter, by year, to date: coarse.grains).
    g = board["od"].grains.get(("call_type",), "month") or "all"
    for (start, call_type, status), calls in [(k[1:], v) for k, v in cells.items() if k[0] == "monthly"]:
        if status == "answered":
            rel([("monthly", start, call_type, s) for s in statuses],
                ("eligible_calls", g, start, "ALL", "call_type", call_type, "numerator"))
            rel([("monthly", start, call_type, "answered")],
                ("eligible_answered_rate", g, start, "ALL", "call_type", call_type, "numerator"))
    merged_months = {k[1] for k in cells if k[0] == "monthly" and k[3] == "not_answered"}
    for reason in exports.UNMET_REASONS:
        for start in {k[1] for k in cells if k[0] == "monthly"} - merged_months:
            rel([k for k in cells if k[0] == "monthly" and k[1] == start and k[3] == reason],
                ("unmet_eligible_calls", g, start, "ALL", "reason", reason, "numerator"))
    return cells, relations, truth


@pytest.mark.parametrize("threshold", [11, 3])
def test_the_files_alone_give_back_no_small_count(exported, threshold):
    """Rebuilt from what the CSV files print: no sum they imply has one blank, none fixes a small one."""
    board = exported[threshold]
    cells, relations, truth = file_cells(board, exported["raw"])
    blanks = {k for k, v in cells.items() if v is None}
    assert blanks and len(relations) > 60   # (fewer rows than before coarsening: see the test above)
    for parts, total in relations:
        members = [*parts, total]
        assert sum(cells.get(m, 0) is None for m in members) != 1, members
        # The relation is real (a count with no row is 0).
        assert sum(truth[p] for p in parts) == pytest.approx(truth.get(total, 0)), members
    groups = [(parts, total) for parts, total in relations]
    fixed = solvable(groups, blanks)
    assert not {k for k in fixed if is_small(truth[k], threshold)}


def test_no_record_level_data(exported):
    allowed = {"metric_id", "grain", "period_start", "period_end", "unit", "dimension", "dimension_value",
               "numerator", "denominator", "value", "ci_low", "ci_high", "suppressed", "call_type", "status",
               "calls", "comparable_incidents", "mean_police_unit_hours", "median_police_unit_hours",
               "mean_police_units"}
    for threshold in (3, 11):
        board = exported[threshold]
        for name, table in board["tables"].items():
            assert set(table.column_names) <= allowed, name
            # Every date is a period boundary, never the date of a call.
            for column in ("period_start", "period_end"):
                if column in table.column_names:
                    assert set(table.column(column).to_pylist()) <= exported["periods"], (name, column)
        for path in board["out"].iterdir():
            if path.suffix == ".parquet":
                continue
            text = path.read_text(encoding="utf-8")
            tokens = set(re.findall(r"[\w-]+", text))
            assert not tokens & exported["ids"], (path.name, tokens & exported["ids"])
            assert not re.search(r"\b\d{2}-\d{4}\b|\bP\d{2}\b|\bH2\d-|\d{1,2}:\d{2}", text), path.name


def test_rerun_writes_the_same_bytes(exported, tmp_path):
    board = exported[11]
    before = {p.name: p.read_bytes() for p in board["out"].iterdir()}
    path, program = exported["path"], exported["program"]
    with warehouse.connect(path, read_only=True) as con:
        again = exports.write_open_data(con, board["out"], 11, program=program)
        fresh = exports.write_open_data(con, tmp_path / "open-data", 11, program=program)
    assert {p.name: p.read_bytes() for p in board["out"].iterdir()} == before
    assert {p.name: p.read_bytes() for p in fresh} == before == {p.name: p.read_bytes() for p in again}


def test_asset_writes_the_folder(exported, tmp_path):
    import dagster as dg
    from dagster_duckdb import DuckDBResource

    from pipeline.defs.open_data import OPEN_DATA_ASSETS as EXPORT_ASSETS, OPEN_DATA_KEY
    from pipeline.defs.resources import HeartSettings

    copy = tmp_path / "warehouse.duckdb"
    shutil.copy(exported["path"], copy)
    (asset,) = EXPORT_ASSETS
    assert asset.key == OPEN_DATA_KEY == dg.AssetKey(["reports", "open_data"])
    assert asset.group_names_by_key[OPEN_DATA_KEY] == "reports"
    assert dg.AssetKey(["metrics", "metric_values"]) in asset.asset_deps[OPEN_DATA_KEY]
    result = dg.materialize(EXPORT_ASSETS, resources={
        "duckdb": DuckDBResource(database=str(copy)),
        "heart_settings": HeartSettings(reports=str(tmp_path / "reports"), program=str(exported["program"].path),
                                        suppression_threshold=11),
    })
    assert result.success
    out = tmp_path / "reports" / "open-data"
    assert {p.name for p in out.iterdir()} == FILES
    assert (out / "metric_values.csv").read_bytes() == (exported[11]["out"] / "metric_values.csv").read_bytes()
    (event,) = result.get_asset_materialization_events()
    metadata = event.materialization.metadata
    assert metadata["threshold"].value == 11 and metadata["metric_values rows"].value == exported[11][
        "tables"]["metric_values"].num_rows


# --------------------------------------------------------------------------------------------
# The shared planner's options for planning around another publication
# --------------------------------------------------------------------------------------------

def test_a_cell_printed_elsewhere_is_never_the_complement():
    cells = {"small": 3, "b": 20, "c": 30, "total": 53}
    groups = [(["small", "b", "c"], "total")]
    assert plan(cells, groups, 11) == {"small": PRIMARY, "b": COMPLEMENTARY}
    assert plan(cells, groups, 11, shown_elsewhere={"b"}) == {"small": PRIMARY, "c": COMPLEMENTARY}


def test_a_cell_hidden_elsewhere_is_hidden_and_protected():
    cells = {"a": 50, "b": 40, "c": 60, "total": 150}
    hidden = plan(cells, [(["a", "b", "c"], "total")], 11, hidden_elsewhere={"a"})
    assert hidden == {"a": COMPLEMENTARY, "b": COMPLEMENTARY}


def test_a_small_count_printed_totals_give_away_is_a_conflict():
    cells = {"small": 3, "big": 40, "total": 43}
    with pytest.raises(SuppressionConflict):
        plan(cells, [(["small", "big"], "total")], 11, shown_elsewhere={"big", "total"})
    # ...also when it follows only through another total: big = other, printed elsewhere.
    cells = {"small": 3, "big": 40, "total": 43, "other": 40}
    with pytest.raises(SuppressionConflict):
        plan(cells, [(["small", "big"], "total"), (["big"], "other")], 11, shown_elsewhere={"other", "total"})


def test_a_cell_that_follows_from_printed_cells_is_not_chosen():
    # x = y (one-part group) and y is printed elsewhere: hiding x would protect nothing.
    cells = {"small": 4, "x": 20, "z": 25, "total": 49, "y": 20}
    groups = [(["small", "x", "z"], "total"), (["x"], "y")]
    assert plan(cells, groups, 11, shown_elsewhere={"y"}) == {"small": PRIMARY, "z": COMPLEMENTARY}
