"""The open data's rows made as coarse as the council pages (pipeline/disclosure/coarsen.py), before planning.

The council pages and open data are one publication to a reader: a count the pages
merge must not be printed apart in a file. So the open-data rows are coarsened the
same way, from the council's decisions (CouncilData.coarse, CouncilData.launch):

* the launch days' fiscal year and month(s) are folded into the next one: one row,
  period_start the launch day, counts added up (numerators and denominators); a rate
  is recomputed from them, with no interval (metric_values computes intervals for its
  own periods only); a median, a 90th percentile and a count of distinct people
  cannot be added up, so their value is left blank (the count of observations stays);
* merged unmet reasons are not published apart: eligible_answered_rate by coverage
  (denominator - numerator) already publishes each pair's sum;
* hours shown together on the pages are one hour_of_day row ("07-08");
* breakdowns by unit are published by fiscal year and to date only when a unit has a
  month under the threshold (the pages show them by quarter): by month nearly every
  part would be small and the printed totals would pin them;
* eligible_calls_monthly folds the launch month alike and merges the statuses the
  pages merge; a call type with an unanswered reason under the threshold in any
  month has its unanswered calls as one status, not_answered (in every month).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from pipeline.disclosure import coarsen
from pipeline.disclosure.public_counts import CouncilData
from pipeline.disclosure.rules import is_small
from pipeline.open_data.policy import NOT_ADDITIVE_OVER_TIME


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
        if r["dimension"] == "reason" and r["dimension_value"] in merged:
            continue
        if r["grain"] == "month" and r["unit"] != "ALL" and not by_month_unit:
            continue
        fold = folds.get((r["grain"], r["period_start"]))
        run = runs.get(r["dimension_value"]) if r["dimension"] == "hour_of_day" else None
        if fold is None and run is None:
            out.append(r)
            continue
        start, end = fold or (r["period_start"], r["period_end"])
        value = coarsen.bin_value(run) if run else r["dimension_value"]
        combined[(r["metric_id"], r["grain"], start, end, r["unit"], r["dimension"], value)].append(r)
    for (_, _, start, end, _, _, value), parts in combined.items():
        out.append(_combine(parts, period_start=start, period_end=end, dimension_value=value))
    order = ("metric_id", "grain", "period_start", "unit", "dimension", "dimension_value")
    return sorted(out, key=lambda r: tuple(str(r[k]) for k in order))


NOT_ANSWERED = "not_answered"


def monthly_rows(rows: list[dict], data: CouncilData | None, threshold: int) -> list[dict]:
    """eligible_calls_monthly with the launch month folded, the merged statuses as one, and a call type whose
    unanswered calls have a reason under the threshold in any month shown as not_answered alone (its reasons
    merged, in every month: a month apart would give them back through the year)."""
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
