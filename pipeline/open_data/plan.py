"""The open data's ledger and its suppression plan, planned around the council dashboard's (pipeline/disclosure/).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import duckdb

from pipeline.disclosure.ledger import COUNT_KIND
from pipeline.disclosure.public_counts import CouncilData, load_council_data
from pipeline.disclosure.suppression import DEFAULT_THRESHOLD, PRIMARY, plan
from pipeline.metrics import values
from pipeline.program import ProgramConfig, load_program
from pipeline.open_data import coarse
from pipeline.warehouse.sqlfiles import query_sql_file
from pipeline.vocabulary import UNMET_REASONS
from pipeline.open_data.policy import (
    BINARY_RATES,
    COMPLEMENT,
    GRAINS,
    NOT_ADDITIVE_OVER_TIME,
    PARTITIONS,
    PUBLIC_BREAKDOWNS,
    SMALL,
    UNIT_SUMS,
    ExportLedger,
    _parse,
    _rank,
    mv_key,
)


@dataclass
class Row:
    """One exported row and the ledger cells behind its columns."""

    data: dict
    cells: dict[str, str] = field(default_factory=dict)   # column (or "rest") -> ledger key


def _public(row: dict) -> bool:
    grain = "month" if row["grain"] == coarse.QUARTER else row["grain"]   # quarters: months added up (coarse.py)
    return grain in PUBLIC_BREAKDOWNS.get(row["metric_id"], {}).get(row["dimension"], ())


def _metric_rows(con: duckdb.DuckDBPyConnection, ledger: ExportLedger, data: CouncilData | None,
                 threshold: int) -> tuple[list[Row], dict]:
    """The public metric_values rows, as coarse as the council pages and by quarter or year where a month holds a
    small count (coarse.py), each count entered in the ledger. Also: family -> grain (coarse.grains)."""
    rows = []
    raw = [r for r in query_sql_file(con, "open_data/metric_values.sql", {"grains": list(GRAINS)}) if _public(r)]
    public = coarse.metric_rows(raw, data)
    decided = {}
    if data is not None:
        fy_month = data.program.fiscal_year_start_month
        spans = coarse.quarter_spans(public, fy_month)
        decided = coarse.grains(public, spans, fy_month, threshold)
        public = coarse.regrain(public, decided, spans, fy_month)
    for r in public:
        if not _public(r):
            continue
        row = Row({k: v for k, v in r.items() if k != "kind"})
        m, g, s, u, d, v = (r[k] for k in ("metric_id", "grain", "period_start", "unit", "dimension",
                                            "dimension_value"))

        def add(part: str, value: float, count: bool = True) -> str:
            return ledger.cell(mv_key(m, g, s, u, d, v, part), value, count=count, rank=_rank(g, d, part))

        kind = r["kind"]
        if kind == "count":
            row.cells["numerator"] = add("numerator", r["numerator"])
        elif kind == "sum":   # officer-hours saved: hours over the diverted calls (its denominator)
            row.cells["numerator"] = hours = add("numerator", r["numerator"], count=False)
            row.cells["denominator"] = diverted = add("denominator", r["denominator"])
            ledger.depends.append((hours, diverted))
        elif kind == "rate":
            row.cells["numerator"] = add("numerator", r["numerator"])
            row.cells["denominator"] = add("denominator", r["denominator"])
            if m in BINARY_RATES:
                row.cells["rest"] = add("rest", r["denominator"] - r["numerator"])
        else:                 # median, p90: the denominator is the number of observations
            row.cells["denominator"] = add("denominator", r["denominator"])
        rows.append(row)
    order = ("metric_id", "grain", "period_start", "unit", "dimension", "dimension_value")
    rows.sort(key=lambda row: tuple(str(row.data[k]) for k in order))
    return rows, decided


def _metric_groups(ledger: ExportLedger, rows: list[Row], merged_sides: frozenset = frozenset()) -> None:
    """Every additive relation between the published metric_values counts (see the module docstring).

    `merged_sides`: the coverage sides ("in_coverage", "outside_coverage") whose unmet reasons are
    published only as their sum, a reason row named after the side (coarse.py).
    """
    index = {(r.data["metric_id"], r.data["grain"], r.data["period_start"], r.data["unit"], r.data["dimension"],
              r.data["dimension_value"]): r for r in rows}
    periods = sorted({(r.data["grain"], r.data["period_start"], r.data["period_end"]) for r in rows})
    breakdowns: dict[tuple, list[str]] = defaultdict(list)   # (metric, grain, start, unit, dimension) -> values
    # (metric, grain, start, dimension) -> units: a breakdown may be published by unit for one dimension and
    # only for all units for another (coarse.py drops a dimension's unit rows where they would be small).
    units: dict[tuple, set[str]] = defaultdict(set)
    for m, g, s, u, d, v in index:
        breakdowns[(m, g, s, u, d)].append(v)
        units[(m, g, s, d)].add(u)

    def key(m, g, s, u, d, v, part):
        return mv_key(m, g, s, u, d, v, part)

    # Rates: numerator + rest = denominator.
    for (m, g, s, u, d, v), row in index.items():
        if "rest" in row.cells:
            ledger.group([row.cells["numerator"], row.cells["rest"]], row.cells["denominator"])
    # Breakdowns add up to the ALL row (numerators; denominators too, for a rate the breakdown splits).
    for (m, g, s, u, d), vals in breakdowns.items():
        if d in PARTITIONS.get(m, ()):
            for part in ("numerator", "denominator", "rest") if m in BINARY_RATES else ("numerator",):
                ledger.group([key(m, g, s, u, d, v, part) for v in vals], key(m, g, s, u, "ALL", "ALL", part))
        if m == "outcome_share":   # the outcomes add up to the responses with an outcome recorded
            ledger.group([key(m, g, s, u, d, v, "numerator") for v in vals], key(m, g, s, u, d, "ALL", "denominator"))
    # A unit's eligible calls answered never exceed its responses (readers bound hidden counts with it).
    for (m, g, s, u, d, v), row in index.items():
        if m == "eligible_answered_rate" and d == "ALL" and (r := index.get(("responses", g, s, u, d, v))):
            ledger.relate(row.cells["numerator"], r.cells["numerator"])
    # Units add up to ALL.
    for (m, g, s, u, d), vals in breakdowns.items():
        if m not in UNIT_SUMS or u != "ALL" or not units[(m, g, s, d)] - {"ALL"}:
            continue   # (no unit rows: by month when they are published by year only, coarse.py)
        parts_units = UNIT_SUMS[m] or sorted(units[(m, g, s, d)] - {"ALL"})
        for v in vals:
            for part in ("numerator", "denominator"):
                if part == "denominator" and m == "responses":
                    continue
                ledger.group([key(m, g, s, pu, d, v, part) for pu in parts_units], key(m, g, s, "ALL", d, v, part))
    # The unmet reasons add up to the unanswered calls outside coverage and in coverage.
    for g, s, _ in periods:
        for side, reasons in (("outside_coverage", UNMET_REASONS[:2]), ("in_coverage", UNMET_REASONS[2:])):
            if side in merged_sides:   # one reason row holds the pair's sum (coarse.py)
                reasons = (side,)
            parts = [key("unmet_eligible_calls", g, s, "ALL", "reason", r, "numerator") for r in reasons]
            total = key("eligible_answered_rate", g, s, "ALL", "coverage", side, "rest")
            if total in ledger.cells and any(p in ledger.cells for p in parts):   # (each by its own grain)
                ledger.group(parts, total)
    _time_groups(ledger, periods)


def _time_groups(ledger: ExportLedger, periods: list[tuple[str, date, date]]) -> None:
    """Months add up to their quarter, fiscal year and to all; quarters to their fiscal year and all; fiscal years
    to all."""
    ends = {(g, s): e for g, s, e in periods}

    def _span(key: str) -> tuple[date, date]:
        start = date.fromisoformat(_parse(key)[2])
        return start, ends[(coarse.QUARTER, start)]
    by_identity: dict[tuple, dict[str, dict[date, str]]] = defaultdict(lambda: defaultdict(dict))
    for key in ledger.cells:
        parsed = _parse(key)
        if parsed is None or parsed[0] in NOT_ADDITIVE_OVER_TIME:
            continue
        metric, grain, start, unit, dimension, value, part = parsed
        by_identity[(metric, unit, dimension, value, part)][grain][date.fromisoformat(start)] = key
    years = [(s, e) for g, s, e in periods if g == "fiscal_year"]
    for (metric, _, dimension, _, _), cells in by_identity.items():
        grains = PUBLIC_BREAKDOWNS.get(metric, {}).get(dimension, GRAINS)
        months, fys, everything = cells.get("month", {}), cells.get("fiscal_year", {}), cells.get("all", {})
        total = next(iter(everything.values()), None)
        quarters = {s: (e, k) for (s, e), k in ((_span(k), k) for k in cells.get(coarse.QUARTER, {}).values())}
        for q_start, (q_end, q_key) in quarters.items() if months else ():   # (companions: coarse.py)
            ledger.group([k for s, k in months.items() if q_start <= s < q_end], q_key)
        for finer in (months, {s: k for s, (_, k) in quarters.items()}):
            if "month" in grains and finer:   # (none by unit when units are published by year only, coarse.py)
                for fy_start, fy_end in years:
                    ledger.group([k for s, k in finer.items() if fy_start <= s < fy_end], fys.get(fy_start))
                ledger.group(finer.values(), total)
        if fys:   # (none when a family goes to date only: coarse.py)
            ledger.group(fys.values(), total)


def _monthly_rows(con: duckdb.DuckDBPyConnection, ledger: ExportLedger, data: CouncilData | None,
                  ledger_threshold: int, decided: dict, metric_rows: list[Row]) -> list[Row]:
    """eligible_calls_monthly (as coarse as the council pages, and by quarter when call types go by quarter:
    coarse.py), its counts entered in the ledger with their totals."""
    g = decided.get(("call_type",), "month") or "all"   # (None: small even to date, suppression decides)
    periods = sorted({(r.data["period_start"], r.data["period_end"]) for r in metric_rows if r.data["grain"] == g})
    periods = periods if g != "month" else None
    rows = []
    answered: dict[tuple, str] = {}
    unmet: dict[tuple, list[str]] = defaultdict(list)
    by_month_reason: dict[tuple, list[str]] = defaultdict(list)
    merged_months: set = set()
    for r in coarse.monthly_rows(query_sql_file(con, "open_data/eligible_calls_monthly.sql"), data, ledger_threshold,
                                  periods):
        s, ct, status = r["period_start"], r["call_type"], r["status"]
        if status == coarse.NOT_ANSWERED:    # the call type's unanswered calls: the share answered's rest
            k = ledger.cell(mv_key("eligible_answered_rate", g, s, "ALL", "call_type", ct, "rest"),
                            r["calls"], rank=_rank(g, "call_type", "rest"))
            merged_months.add(s)
            rows.append(Row(dict(r), {"calls": k}))
            continue
        if status == "answered":
            k = ledger.cell(mv_key("eligible_answered_rate", g, s, "ALL", "call_type", ct, "numerator"),
                            r["calls"], rank=_rank(g, "call_type", "numerator"))
            answered[(s, ct)] = k
        else:
            k = ledger.cell(f"agg|eligible_calls_monthly|{s.isoformat()}|{ct}|{status}", r["calls"], rank=0)
            by_month_reason[(s, status)].append(k)
            unmet[(s, ct)].append(k)
        rows.append(Row(dict(r), {"calls": k}))
    for (s, ct), cells in unmet.items():
        ledger.group([answered[(s, ct)], *cells], mv_key("eligible_calls", g, s, "ALL", "call_type", ct,
                                                          "numerator"))
        ledger.group(cells, mv_key("eligible_answered_rate", g, s, "ALL", "call_type", ct, "rest"))
    for (s, reason), cells in by_month_reason.items():
        if s in merged_months:
            continue   # a call type's reasons are not published apart that month: no longer a total
        # (A merged status has its reason row too, under the same name: coarse.py.)
        ledger.group(cells, mv_key("unmet_eligible_calls", g, s, "ALL", "reason", reason, "numerator"))
    return rows


def _council_cells(ledger: ExportLedger, data: CouncilData) -> tuple[set[str], set[str]]:
    """The council dashboard's counts and totals, in the ledger: (cells it hides, cells it prints)."""
    council_plan = data.plan
    mapping: dict[str, str] = {}
    for key, value in council_plan.cells.items():
        source = council_plan.ledger.sources.get(key)
        target = mv_key(*source) if source else f"council|{key}"
        mapping[key] = ledger.cell(target, value, count=council_plan.ledger.kinds[key] == COUNT_KIND)
    for parts, total in council_plan.groups:
        ledger.group([mapping[p] for p in parts], mapping[total])
    ledger.depends.extend((mapping[a], mapping[b]) for a, b in council_plan.ledger.depends)
    ledger.at_most.extend((mapping[a], mapping[b]) for a, b in council_plan.ledger.at_most)
    hidden = {mapping[k] for k in council_plan.hidden}
    shown = {mapping[k] for k in council_plan.cells if k not in council_plan.hidden}
    if hidden & shown:
        raise ValueError(f"the council dashboard both hides and prints {sorted(hidden & shown)[:3]}")
    return hidden, shown


# --------------------------------------------------------------------------------------------
# The plan and the files
# --------------------------------------------------------------------------------------------

@dataclass
class OpenData:
    """The exported tables (rows with the ledger keys of their counts) and what to hide."""

    threshold: int
    ledger: ExportLedger
    hidden: dict[str, str]
    metric_rows: list[Row]
    monthly_rows: list[Row]
    police_rows: list[dict]
    data_range: tuple[date, date] | None
    council: CouncilData | None = None   # the dashboard's data and plan, which this one is planned around
    grains: dict = field(default_factory=dict)   # family -> the grain it is published at (coarse.grains)

    def why(self, *keys: str) -> str | None:
        reasons = {self.hidden[k] for k in keys if k in self.hidden}
        return SMALL if PRIMARY in reasons else COMPLEMENT if reasons else None


def plan_open_data(con: duckdb.DuckDBPyConnection, threshold: int = DEFAULT_THRESHOLD,
                   program: ProgramConfig | None = None) -> OpenData:
    """Read the public rows, build the ledger (with the council dashboard's), and plan the suppression."""
    ledger = ExportLedger()
    data = load_council_data(con, program or load_program(_default_program()), threshold)
    metric_rows, decided = _metric_rows(con, ledger, data, threshold)
    monthly_rows = _monthly_rows(con, ledger, data, threshold, decided, metric_rows)
    _metric_groups(ledger, metric_rows, frozenset(c.name for c in data.coarse.reasons if c.merged)
                   if data is not None and data.coarse is not None else frozenset())
    hidden_elsewhere: set[str] = set()
    shown_elsewhere: set[str] = set()
    if data is not None:
        hidden_elsewhere, shown_elsewhere = _council_cells(ledger, data)
    hidden = plan(ledger.cells, ledger.groups, threshold, not_counts=ledger.not_counts, ranks=ledger.ranks,
                  depends=ledger.depends, hidden_elsewhere=hidden_elsewhere, shown_elsewhere=shown_elsewhere,
                  at_most=ledger.at_most)
    periods = values.periods(con, "all")
    data_range = (periods[0][0], periods[0][1] - timedelta(days=1)) if periods else None
    police_rows = query_sql_file(con, "open_data/police_time_by_call_type.sql")
    return OpenData(threshold, ledger, hidden, metric_rows, monthly_rows, police_rows, data_range, data, decided)


def _default_program() -> Path:
    from pipeline.settings import DEFAULT_PROGRAM   # read when needed: the settings module reads the environment
    return DEFAULT_PROGRAM
