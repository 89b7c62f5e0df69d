"""The open data's rows made as coarse as the council pages (pipeline/disclosure/coarsen.py), before planning.

The council pages and open data are one publication to a reader: a count the pages
merge must not be printed apart in a file. So the open-data rows are coarsened the
same way, from the council's decisions (CouncilData.coarse, CouncilData.launch):

* the launch days' fiscal year and month(s) are folded into the next one: one row,
  period_start the launch day, counts added up (numerators and denominators); a rate
  is recomputed from them, with no interval (metric_values computes intervals for its
  own periods only); a median, a 90th percentile and a count of distinct people
  cannot be added up, so their value is left blank (the count of observations stays);
* merged unmet reasons are not published apart: one reason row holds each pair's sum, named
  after its coverage side ("in_coverage"), as eligible_calls_monthly's merged status is;
* hours shown together on the pages are one hour_of_day row ("07-08");
* breakdowns by unit are published by fiscal year and to date only when a unit has a
  month under the threshold (the pages show them by quarter): by month nearly every
  part would be small and the printed totals would pin them;
* eligible_calls_monthly folds the launch month alike and merges the statuses the
  pages merge; a call type with an unanswered reason under the threshold in any
  month has its unanswered calls as one status, not_answered (in every month).

Then open data goes further than the pages, which print few monthly splits (grains, regrain): a
split whose rows hold a small count in some month (a yes/no rate's "no" side, a call type, a contact
mode, an outcome) is published by fiscal quarter instead, in every month alike (a month left beside its
quarter would give the others back), or by fiscal year, or to date, whichever is the finest with no
small count; the totals it adds up to are published by quarter beside their months. Blanking the
large cells beside a small one (complementary suppression) would hide what a reader came for; a coarser
row hides nothing. What is still small to date is left to suppression, except units that add up to ALL:
they are then not published by unit.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from pipeline.disclosure import coarsen
from pipeline.disclosure.public_counts import CouncilData
from pipeline.disclosure.rules import is_small
from pipeline.open_data.policy import BINARY_RATES, NOT_ADDITIVE_OVER_TIME, UNIT_SUMS


def _folds(data: CouncilData, rows: list[dict]) -> dict[tuple[str, date], tuple[date, date]]:
    """(grain, metric_values period_start) -> (period_start, period_end) of the row it is published in."""
    ends = {(r.get("grain", "month"), r["period_start"]): r["period_end"] for r in rows}
    out = {}
    for p in data.fiscal_years:
        for s in p.folded:
            for start in (s, p.start):
                out[("fiscal_year", start)] = (p.source_start, ends.get(("fiscal_year", p.start), p.end))
    for m in data.months:
        for s in m.folded:
            for start in (s, m.start):
                out[("month", start)] = (m.source_start, ends.get(("month", m.start), m.end))
    return out


def _combine(parts: list[dict], **changes) -> dict:
    """One row from several of the same metric, unit and breakdown: counts added up, value recomputed."""
    first = parts[0]
    numerators = [r["numerator"] for r in parts if r["numerator"] is not None]
    denominators = [r["denominator"] for r in parts if r["denominator"] is not None]
    n = sum(numerators) if numerators else None
    d = sum(denominators) if denominators else None
    kind = first["kind"]
    if kind == "rate":
        value = n / d if n is not None and d else None
    elif kind in ("count", "sum") and first["metric_id"] not in NOT_ADDITIVE_OVER_TIME:
        value = n
    else:                 # medians, percentiles, distinct people: not additive
        value, n = None, None
    return {**first, **changes, "numerator": n, "denominator": d, "value": value, "ci_low": None, "ci_high": None}


def metric_rows(rows: list[dict], data: CouncilData | None) -> list[dict]:
    """The open_data/metric_values.sql rows as coarse as the council pages (see the module docstring)."""
    if data is None or data.coarse is None:
        return rows
    folds = _folds(data, rows)
    merged = {r: c.name for c in data.coarse.reasons if c.merged for r in c.members}
    runs = {f"{h:02d}": run for run in data.coarse.hour_bins if len(run) > 1 for h in run}
    by_month_unit = data.coarse.unit_quarters is None
    out: list[dict] = []
    combined: dict[tuple, list[dict]] = defaultdict(list)
    for r in rows:
        if r["grain"] == "month" and r["unit"] != "ALL" and not by_month_unit:
            continue
        fold = folds.get((r["grain"], r["period_start"]))
        run = runs.get(r["dimension_value"]) if r["dimension"] == "hour_of_day" else None
        pair = merged.get(r["dimension_value"]) if r["dimension"] == "reason" else None
        if fold is None and run is None and pair is None:
            out.append(r)
            continue
        start, end = fold or (r["period_start"], r["period_end"])
        value = coarsen.bin_value(run) if run else pair or r["dimension_value"]
        combined[(r["metric_id"], r["grain"], start, end, r["unit"], r["dimension"], value)].append(r)
    for (_, _, start, end, _, _, value), parts in combined.items():
        out.append(_combine(parts, period_start=start, period_end=end, dimension_value=value))
    order = ("metric_id", "grain", "period_start", "unit", "dimension", "dimension_value")
    return sorted(out, key=lambda r: tuple(str(r[k]) for k in order))


NOT_ANSWERED = "not_answered"


def monthly_rows(rows: list[dict], data: CouncilData | None, threshold: int,
                 periods: list[tuple[date, date]] | None = None) -> list[dict]:
    """eligible_calls_monthly with the launch month folded, the merged statuses as one, and a call type whose
    unanswered calls have a reason under the threshold in any month shown as not_answered alone (its reasons
    merged, in every month: a month apart would give them back through the year). `periods`: the quarters
    or years call types go by, when coarser than months (grains): the rows are added up into them first."""
    if data is None or data.coarse is None:
        return rows
    folds = _folds(data, rows)
    merged = {r: c.name for c in data.coarse.reasons if c.merged for r in c.members}
    out: dict[tuple, dict] = {}
    for r in rows:
        start, end = folds.get(("month", r["period_start"]), (r["period_start"], r["period_end"]))
        status = merged.get(r["status"], r["status"])
        key = (start, r["call_type"], status)
        if key in out:
            out[key]["calls"] += r["calls"]
        else:
            out[key] = {**r, "period_start": start, "period_end": end, "status": status}
    if periods is not None:
        rows = monthly_to(list(out.values()), periods)
        out = {(r["period_start"], r["call_type"], r["status"]): r for r in rows}
    small = {ct for (_, ct, status), r in out.items() if status != "answered" and is_small(r["calls"], threshold)}
    final: dict[tuple, dict] = {}
    for (start, ct, status), r in out.items():
        if ct in small and status != "answered":
            status = NOT_ANSWERED
        key = (start, ct, status)
        if key in final:
            final[key]["calls"] += r["calls"]
        else:
            final[key] = {**r, "status": status}
    return list(final.values())


# --------------------------------------------------------------------------------------------
# Coarser grains: a breakdown or a yes/no split with a small count in some month is published by quarter (or
# fiscal year, or to date) instead, in every period alike.
# --------------------------------------------------------------------------------------------

QUARTER = "quarter"
LADDER = ("month", QUARTER, "fiscal_year", "all")
ADDITIVE_KINDS = ("count", "rate", "sum")
# Figures that give each other back and so take the same grain (see `families`): the answered calls outside
# coverage are the eligible calls - those in coverage - the unmet outside coverage, so the coverage split and
# the eligible calls in coverage go together; by call type, eligible_calls_monthly's statuses and the call
# type's eligible, in-coverage and answered calls go together.
COVERAGE_FAMILY = {("eligible_answered_rate", "coverage"), ("eligible_in_coverage", "ALL"),
                   ("eligible_in_coverage", "call_type")}
# Totals a family's quarter rows add up to, published by quarter too (they are sums of published months, so
# they tell a reader nothing new) so that every relation a reader can use is a published one.
COMPANIONS = {
    "call_type": (("eligible_calls", "ALL"), ("eligible_in_coverage", "ALL"), ("eligible_answered_rate", "ALL"),
                  ("eligible_answered_rate", "coverage"), ("unmet_eligible_calls", "reason")),
    "coverage": (("eligible_calls", "ALL"), ("eligible_answered_rate", "ALL")),
}


def families(r: dict) -> set[tuple]:
    """The families a metric_values row belongs to: each family is published at one grain."""
    m, d = r["metric_id"], r["dimension"]
    out = set()
    if (m, d) in COVERAGE_FAMILY:
        out.add(("coverage",))
    if d == "call_type":
        out.add(("call_type",))
    if not out:
        # Units add up to ALL: the units of a metric and breakdown go together (one unit coarser than the
        # others would come back as ALL minus them); the ALL row goes on its own.
        out.add((m, d, "ALL" if r["unit"] == "ALL" else "units"))
    return out


def published_counts(r: dict) -> list[float]:
    """The counts a row prints or gives back: a count; a rate's numerator, denominator and rest (yes/no)."""
    n, d = r["numerator"] or 0, r["denominator"] or 0
    if r["kind"] == "count":
        return [n]
    if r["kind"] == "rate":
        return [n, d, d - n] if r["metric_id"] in BINARY_RATES else [n, d]
    return [d] if r["kind"] == "sum" else []


def quarter_spans(rows: list[dict], fy_start_month: int) -> dict[tuple[int, int], tuple[date, date]]:
    """(fiscal year, quarter 0-3) -> (period_start, period_end) of the month rows it holds. A month is placed by
    its last day, so the launch days folded into the next month (period_start before it) stay with it."""
    spans: dict[tuple[int, int], tuple[date, date]] = {}
    for r in rows:
        if r["grain"] == "month":
            q = quarter_of(r["period_end"], fy_start_month)
            s, e = spans.get(q, (r["period_start"], r["period_end"]))
            spans[q] = (min(s, r["period_start"]), max(e, r["period_end"]))
    return spans


def quarter_of(period_end: date, fy_start_month: int) -> tuple[int, int]:
    last = date.fromordinal(period_end.toordinal() - 1)
    return (last.year - (1 if last.month < fy_start_month else 0), ((last.month - fy_start_month) % 12) // 3)


def _to_quarters(rows: list[dict], spans: dict, fy_start_month: int) -> list[dict]:
    parts: dict[tuple, list[dict]] = defaultdict(list)
    for r in rows:
        q = quarter_of(r["period_end"], fy_start_month)
        parts[(r["metric_id"], r["unit"], r["dimension"], r["dimension_value"], q)].append(r)
    out = []
    for (*_, q), ps in parts.items():
        start, end = spans[q]
        out.append(_combine(ps, grain=QUARTER, period_start=start, period_end=end))
    return out


def grains(rows: list[dict], spans: dict, fy_start_month: int, threshold: int) -> dict[tuple, str | None]:
    """family -> the finest grain at which none of its rows holds a small count (None: none such; see regrain)."""
    by_family: dict[tuple, list[dict]] = defaultdict(list)
    for r in rows:
        if r["kind"] in ADDITIVE_KINDS and r["metric_id"] not in NOT_ADDITIVE_OVER_TIME:
            for f in families(r):
                by_family[f].append(r)
    out: dict[tuple, str | None] = {}
    for f, rs in by_family.items():
        months = [r for r in rs if r["grain"] == "month"]
        levels = {"month": months, QUARTER: _to_quarters(months, spans, fy_start_month),
                  "fiscal_year": [r for r in rs if r["grain"] == "fiscal_year"],
                  "all": [r for r in rs if r["grain"] == "all"]}
        out[f] = next((g for g in LADDER if levels[g] and not any(
            is_small(c, threshold) for r in levels[g] for c in published_counts(r))), None)
    return out


def regrain(rows: list[dict], decided: dict[tuple, str | None], spans: dict, fy_start_month: int) -> list[dict]:
    """The rows at their families' grains (and never finer than their totals'): finer rows dropped, months added up into quarters where a family goes
    by quarter, with its COMPANIONS by quarter beside their months. A family of units that add up to ALL (UNIT_SUMS) with a small
    count even to date is not published by unit (one unit hidden would cost another its place, since they add
    up to the ALL row); any other keeps its rows to date (suppression then hides what is small)."""
    def target(r: dict) -> int | None:
        # A breakdown adds up to its ALL row, and units to ALL: never finer than the totals they give back.
        totals = ({**r, "dimension": "ALL"}, {**r, "unit": "ALL"}, {**r, "unit": "ALL", "dimension": "ALL"})
        levels = []
        for f in families(r) | {f for t in totals for f in families(t)}:
            g = decided.get(f, "month")
            if g is None:
                if f[-1] == "units" and f[0] in UNIT_SUMS:   # (units that add up to ALL: see the docstring)
                    return None
                g = "all"
            levels.append(LADDER.index(g))
        return max(levels)

    quarter_families = {f[0] for f, g in decided.items() if g == QUARTER and f[0] in COMPANIONS}
    companions = {c for f in quarter_families for c in COMPANIONS[f]}
    targets = [target(r) if r["kind"] in ADDITIVE_KINDS and r["metric_id"] not in NOT_ADDITIVE_OVER_TIME else 0
               for r in rows]
    # A breakdown by quarter adds up to its ALL row by quarter, and units to ALL: those go by quarter too.
    totals = {(r["metric_id"], u, d) for r, t in zip(rows, targets) if t == 1
              for u, d in ((r["unit"], "ALL"), ("ALL", r["dimension"]), ("ALL", "ALL"))}
    out, to_quarter = [], []
    for r, t in zip(rows, targets):
        if t is None:
            continue
        if LADDER.index(r["grain"]) >= t:
            out.append(r)
        if r["grain"] == "month" and (t == 1 or (t == 0 and (
                (r["metric_id"], r["unit"], r["dimension"]) in totals
                or (r["unit"] == "ALL" and (r["metric_id"], r["dimension"]) in companions)))):
            to_quarter.append(r)
    return out + _to_quarters(to_quarter, spans, fy_start_month)


def monthly_to(rows: list[dict], periods: list[tuple[date, date]]) -> list[dict]:
    """eligible_calls_monthly's rows added up into the coarser periods call types go by (grains): each month
    into the period holding its last day."""
    out: dict[tuple, dict] = {}
    for r in rows:
        last = date.fromordinal(r["period_end"].toordinal() - 1)
        start, end = next((s, e) for s, e in periods if s <= last < e)
        key = (start, r["call_type"], r["status"])
        if key in out:
            out[key]["calls"] += r["calls"]
        else:
            out[key] = {**r, "period_start": start, "period_end": end}
    return list(out.values())
