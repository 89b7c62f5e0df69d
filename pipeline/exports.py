"""Open-data exports: the public metrics and aggregate tables as CSV and Parquet, small counts suppressed.

`write_open_data` writes into `<reports>/open-data/`:

* `metric_values.csv|.parquet`: the public subset of metrics.metric_values;
* `eligible_calls_monthly.csv|.parquet`: month x call type x answered / unmet reason
  (sql/exports/eligible_calls_monthly.sql);
* `police_time_by_call_type.csv|.parquet`: the officer time per call type that
  officer_hours_saved is computed from (sql/exports/police_time_by_call_type.sql);
* `README.md`: columns, what is published and what is not, the suppression rule,
  threshold and data range.

The warehouse marts are one row per incident or response and are never
exported; the aggregate tables are defined by the SQL files under sql/exports/.

What is public (PUBLIC_BREAKDOWNS)
----------------------------------
Grains month, fiscal_year and all; weeks are not published (a week's counts are
mostly below the threshold, and weeks cut across months, so they would add
totals that cost the months their detail). Breakdowns: none finer than the
council dashboard's. No beat (a beat is a few blocks: with the month and call
type it can single out a call), no two-way breakdown (weekday x hour, reason x
hour), hour of day only by fiscal year and to date (as the council dashboard
shows it; by month nearly every hour would be a small count), and no
officer-hours saved by call type (the published mean hours per call type would
turn each figure back into its count of diverted calls). Officer-hours saved
are rounded to 0.1 h for the same reason: full precision would let a reader
decompose a month's total into its calls per call type.

Suppression
-----------
Every count is a *cell* of one ledger; so is the count a reader can work out
from a published rate (denominator - numerator: the calls not answered, the
responders who did not feel safe). Each cell is identified by what it counts,
so a count published twice (eligible calls, also the denominator of the share
answered) is one cell. Every published additive relation is a *group*:

* units: CCD + CR + COR = ALL for responses and outcome_share (CN is not in
  ALL); every unit adds up to ALL for felt_safe_rate and police_backup_rate
  (their ALL includes Care Navigation). eligible_answered_rate, diversion_rate,
  people_reached and the response times count a call once however many units
  answered it: their units do not add up and have no group;
* breakdowns: the values of hour_of_day, weekday, call_type, coverage, reason and
  contact_mode add up to the ALL row (numerators, and denominators where the
  breakdown splits them too); the outcomes of outcome_share add up to its
  denominator;
* rates: numerator + (denominator - numerator) = denominator; answered + unmet
  = eligible (overall and by hour), and the unmet reasons add up to the unmet
  calls outside coverage (outside_service_hours + outside_service_area) and
  in coverage (no_team_free + not_routed); police_backup_rate's denominator by
  unit is responses by contact_mode in_person;
* periods: months add up to their fiscal year and to all, fiscal years to all
  (every event is placed in one period by one date; people_reached is a
  distinct count and does not add up);
* eligible_calls_monthly: statuses add up to eligible calls of the month and
  call type, call types to unmet calls by reason and to answered calls;
* the council dashboard: every count it prints, with all its totals. It is
  public too, so its plan is taken as given: what it hides is hidden here, what
  it prints is known to the reader and never counted on as hidden.

pipeline.disclosure.suppression.plan then hides every count from 1 to threshold-1
("small count"), and enough other cells ("complementary", zeros last, from the
finest breakdown of the shortest period first) that no group has exactly one
hidden cell and no hidden small count can be solved for from all the groups
together. A rate, interval, median or percentile is blanked when any count
behind it is hidden; officer-hours saved are hidden whenever the number of
diverted calls is (hours / mean hours would give it back).

police_time_by_call_type has no published total, so a call type with fewer
comparable incidents than the threshold has its count and its hours blanked
(a mean or median of a few incidents describes those incidents).
"""

from __future__ import annotations

import os
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from pipeline.disclosure.ledger import COUNT_KIND
from pipeline.disclosure.public_counts import CouncilData, load_council_data
from pipeline.disclosure.suppression import DEFAULT_THRESHOLD, PRIMARY, is_small, plan
from pipeline.metrics import values
from pipeline.program import ProgramConfig, load_program
from pipeline.sqlfiles import query_sql_file
from pipeline.vocabulary import CRISIS_UNITS, UNMET_REASONS

GRAINS = ("month", "fiscal_year", "all")
BY_YEAR = ("fiscal_year", "all")
SMALL = "small count"
COMPLEMENT = "complementary"
HOURS_DECIMALS = 1

# metric_id -> breakdown -> the grains it is published at. A metric or breakdown not listed is
# not exported: a new one needs its additive relations modelled below before it is public.
PUBLIC_BREAKDOWNS: dict[str, dict[str, tuple[str, ...]]] = {
    "eligible_calls": {"ALL": GRAINS, "weekday": GRAINS, "call_type": GRAINS, "hour_of_day": BY_YEAR},
    "eligible_in_coverage": {"ALL": GRAINS, "call_type": GRAINS, "hour_of_day": BY_YEAR},
    "eligible_answered_rate": {"ALL": GRAINS, "coverage": GRAINS, "call_type": GRAINS, "hour_of_day": BY_YEAR},
    "unmet_eligible_calls": {"ALL": GRAINS, "reason": GRAINS, "hour_of_day": BY_YEAR},
    "responses": {"ALL": GRAINS, "contact_mode": GRAINS, "hour_of_day": BY_YEAR},
    "outcome_share": {"outcome": GRAINS},
    "diversion_rate": {"ALL": GRAINS},
    "officer_hours_saved": {"ALL": GRAINS},
    "resolved_without_in_person_rate": {"ALL": GRAINS},
    "felt_safe_rate": {"ALL": GRAINS},
    "police_backup_rate": {"ALL": GRAINS},
    "people_reached": {"ALL": GRAINS},
    "care_nav_followup_48h_rate": {"ALL": GRAINS},
    "heart_response_time_median": {"ALL": GRAINS},
    "heart_response_time_p90": {"ALL": GRAINS},
    "police_response_time_median": {"ALL": GRAINS},
    "police_response_time_p90": {"ALL": GRAINS},
}
# Breakdowns that split the ALL row: metric -> breakdowns whose values add up to it.
PARTITIONS = {
    "eligible_calls": ("weekday", "call_type", "hour_of_day"),
    "eligible_in_coverage": ("call_type", "hour_of_day"),
    "eligible_answered_rate": ("coverage", "call_type", "hour_of_day"),
    "unmet_eligible_calls": ("reason", "hour_of_day"),
    "responses": ("contact_mode", "hour_of_day"),
}
# Rates with two outcomes: denominator - numerator is a count of its own.
BINARY_RATES = ("eligible_answered_rate", "diversion_rate", "felt_safe_rate", "police_backup_rate",
                "resolved_without_in_person_rate", "care_nav_followup_48h_rate")
# Metrics whose units add up to ALL: metric -> the units that do (None: every unit but ALL).
UNIT_SUMS: dict[str, tuple[str, ...] | None] = {
    "responses": CRISIS_UNITS, "outcome_share": CRISIS_UNITS, "felt_safe_rate": None, "police_backup_rate": None,
}
NOT_ADDITIVE_OVER_TIME = ("people_reached",)
# Where complements are taken first (low first): the finest cells of the shortest periods.
GRAIN_RANK = {"month": 1, "fiscal_year": 3, "all": 5}

TABLES = ("metric_values", "eligible_calls_monthly", "police_time_by_call_type")


# --------------------------------------------------------------------------------------------
# Cells
# --------------------------------------------------------------------------------------------

def canonical(metric: str, unit: str, dimension: str, value: str, part: str) -> tuple[str, str, str, str, str]:
    """The metric_values figure a (metric, unit, breakdown, part) count is the same count as.

    part: numerator, denominator or rest (denominator - numerator). The same
    count published under two metrics must be one cell, or hiding it in one
    place and showing it in the other would go unnoticed.
    """
    if metric == "eligible_answered_rate":
        if part == "denominator":
            if dimension == "ALL":                       # every unit: of all eligible calls
                return "eligible_calls", "ALL", "ALL", "ALL", "numerator"
            if dimension == "coverage" and value == "in_coverage":
                return "eligible_in_coverage", "ALL", "ALL", "ALL", "numerator"
            if dimension in ("hour_of_day", "call_type"):
                return "eligible_calls", "ALL", dimension, value, "numerator"
        if part == "rest" and unit == "ALL" and dimension in ("ALL", "hour_of_day"):
            return "unmet_eligible_calls", "ALL", dimension, value, "numerator"
    if metric == "resolved_without_in_person_rate" and part == "denominator":
        return "responses", "CCD", "ALL", "ALL", "numerator"
    if metric == "officer_hours_saved" and part == "denominator":
        return "diversion_rate", "ALL", "ALL", "ALL", "numerator"
    if metric.endswith("_p90") and part == "denominator":
        return metric.removesuffix("_p90") + "_median", unit, dimension, value, part
    if metric == "police_backup_rate" and part == "denominator" and unit != "ALL":
        return "responses", unit, "contact_mode", "in_person", "numerator"
    if metric == "outcome_share" and part == "denominator":   # one per unit, repeated on every outcome's row
        return metric, unit, dimension, "ALL", part
    return metric, unit, dimension, value, part


def mv_key(metric: str, grain: str, start: date, unit: str, dimension: str, value: str, part: str) -> str:
    """The ledger key of a metric_values count, after `canonical`."""
    metric, unit, dimension, value, part = canonical(metric, unit, dimension, value, part)
    return "|".join(("mv", metric, grain, start.isoformat(), unit, dimension, value, part))


def _parse(key: str) -> tuple | None:
    parts = key.split("|")
    return tuple(parts[1:]) if parts[0] == "mv" else None


@dataclass
class ExportLedger:
    """Every count the open data (and the council dashboard) publishes, and every published total."""

    cells: dict[str, float] = field(default_factory=dict)
    not_counts: set[str] = field(default_factory=set)
    ranks: dict[str, float] = field(default_factory=dict)
    groups: list[tuple[tuple[str, ...], str]] = field(default_factory=list)
    depends: list[tuple[str, str]] = field(default_factory=list)
    _seen: set = field(default_factory=set)

    def cell(self, key: str, value: float, *, count: bool = True, rank: float = 0) -> str:
        """Add a cell, or check that a count published twice is the same number both times."""
        value = float(value or 0)
        if key in self.cells:
            if not _same(self.cells[key], value):
                raise ValueError(f"open data: {key} is {self.cells[key]} in one place and {value} in another")
            return key
        self.cells[key] = value
        self.ranks[key] = rank
        if not count:
            self.not_counts.add(key)
        return key

    def group(self, parts, total: str | None) -> None:
        """sum(parts) == total is published. Cells with no row are known zeros and left out."""
        parts = tuple(sorted({p for p in parts if p in self.cells}))
        present = total is not None and total in self.cells
        total_value = self.cells[total] if present else 0.0
        if not _same(sum(self.cells[p] for p in parts), total_value):
            raise ValueError(f"open data: {parts} do not add up to {total} "
                             f"({sum(self.cells[p] for p in parts)} != {total_value})")
        if not present or not parts or (frozenset(parts), total) in self._seen:
            return
        self._seen.add((frozenset(parts), total))
        self.groups.append((parts, total))


def _same(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-6 * max(1.0, abs(a), abs(b))


def _rank(grain: str, dimension: str, part: str) -> float:
    return GRAIN_RANK[grain] + (1 if dimension == "ALL" else 0) + (0.5 if part == "rest" else 0)


# --------------------------------------------------------------------------------------------
# The ledger of the open data
# --------------------------------------------------------------------------------------------

@dataclass
class Row:
    """One exported row and the ledger cells behind its columns."""

    data: dict
    cells: dict[str, str] = field(default_factory=dict)   # column (or "rest") -> ledger key


def _public(row: dict) -> bool:
    return row["grain"] in PUBLIC_BREAKDOWNS.get(row["metric_id"], {}).get(row["dimension"], ())


def _metric_rows(con: duckdb.DuckDBPyConnection, ledger: ExportLedger) -> list[Row]:
    """The public metric_values rows, each count entered in the ledger."""
    rows = []
    for r in query_sql_file(con, "exports/metric_values.sql", {"grains": list(GRAINS)}):
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
    return rows


def _metric_groups(ledger: ExportLedger, rows: list[Row]) -> None:
    """Every additive relation between the published metric_values counts (see the module docstring)."""
    index = {(r.data["metric_id"], r.data["grain"], r.data["period_start"], r.data["unit"], r.data["dimension"],
              r.data["dimension_value"]): r for r in rows}
    periods = sorted({(r.data["grain"], r.data["period_start"], r.data["period_end"]) for r in rows})
    breakdowns: dict[tuple, list[str]] = defaultdict(list)   # (metric, grain, start, unit, dimension) -> values
    units: dict[tuple, set[str]] = defaultdict(set)            # (metric, grain, start) -> units
    for m, g, s, u, d, v in index:
        breakdowns[(m, g, s, u, d)].append(v)
        units[(m, g, s)].add(u)

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
    # Units add up to ALL.
    for (m, g, s, u, d), vals in breakdowns.items():
        if m not in UNIT_SUMS or u != "ALL":
            continue
        parts_units = UNIT_SUMS[m] or sorted(units[(m, g, s)] - {"ALL"})
        for v in vals:
            for part in ("numerator", "denominator"):
                if part == "denominator" and m == "responses":
                    continue
                ledger.group([key(m, g, s, pu, d, v, part) for pu in parts_units], key(m, g, s, "ALL", d, v, part))
    # The unmet reasons add up to the unanswered calls outside coverage and in coverage.
    for g, s, _ in periods:
        for side, reasons in (("outside_coverage", UNMET_REASONS[:2]), ("in_coverage", UNMET_REASONS[2:])):
            ledger.group([key("unmet_eligible_calls", g, s, "ALL", "reason", r, "numerator") for r in reasons],
                         key("eligible_answered_rate", g, s, "ALL", "coverage", side, "rest"))
    _time_groups(ledger, periods)


def _time_groups(ledger: ExportLedger, periods: list[tuple[str, date, date]]) -> None:
    """Months add up to their fiscal year and to all; fiscal years to all."""
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
        if "month" in grains:
            for fy_start, fy_end in years:
                ledger.group([k for s, k in months.items() if fy_start <= s < fy_end], fys.get(fy_start))
            ledger.group(months.values(), total)
        ledger.group(fys.values(), total)


def _monthly_rows(con: duckdb.DuckDBPyConnection, ledger: ExportLedger) -> list[Row]:
    """eligible_calls_monthly, its counts entered in the ledger with their totals."""
    rows = []
    answered: dict[tuple, str] = {}
    unmet: dict[tuple, list[str]] = defaultdict(list)
    by_month_reason: dict[tuple, list[str]] = defaultdict(list)
    for r in query_sql_file(con, "exports/eligible_calls_monthly.sql"):
        s, ct, status = r["period_start"], r["call_type"], r["status"]
        if status == "answered":
            k = ledger.cell(mv_key("eligible_answered_rate", "month", s, "ALL", "call_type", ct, "numerator"),
                            r["calls"], rank=_rank("month", "call_type", "numerator"))
            answered[(s, ct)] = k
        else:
            k = ledger.cell(f"agg|eligible_calls_monthly|{s.isoformat()}|{ct}|{status}", r["calls"], rank=0)
            by_month_reason[(s, status)].append(k)
            unmet[(s, ct)].append(k)
        rows.append(Row(dict(r), {"calls": k}))
    for (s, ct), cells in unmet.items():
        ledger.group([answered[(s, ct)], *cells], mv_key("eligible_calls", "month", s, "ALL", "call_type", ct,
                                                          "numerator"))
        ledger.group(cells, mv_key("eligible_answered_rate", "month", s, "ALL", "call_type", ct, "rest"))
    for (s, reason), cells in by_month_reason.items():
        ledger.group(cells, mv_key("unmet_eligible_calls", "month", s, "ALL", "reason", reason, "numerator"))
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

    def why(self, *keys: str) -> str | None:
        reasons = {self.hidden[k] for k in keys if k in self.hidden}
        return SMALL if PRIMARY in reasons else COMPLEMENT if reasons else None


def plan_open_data(con: duckdb.DuckDBPyConnection, threshold: int = DEFAULT_THRESHOLD,
                   program: ProgramConfig | None = None) -> OpenData:
    """Read the public rows, build the ledger (with the council dashboard's), and plan the suppression."""
    ledger = ExportLedger()
    metric_rows = _metric_rows(con, ledger)
    monthly_rows = _monthly_rows(con, ledger)
    _metric_groups(ledger, metric_rows)
    hidden_elsewhere: set[str] = set()
    shown_elsewhere: set[str] = set()
    data = load_council_data(con, program or load_program(_default_program()), threshold)
    if data is not None:
        hidden_elsewhere, shown_elsewhere = _council_cells(ledger, data)
    hidden = plan(ledger.cells, ledger.groups, threshold, not_counts=ledger.not_counts, ranks=ledger.ranks,
                  depends=ledger.depends, hidden_elsewhere=hidden_elsewhere, shown_elsewhere=shown_elsewhere)
    periods = values.periods(con, "all")
    data_range = (periods[0][0], periods[0][1] - timedelta(days=1)) if periods else None
    police_rows = query_sql_file(con, "exports/police_time_by_call_type.sql")
    return OpenData(threshold, ledger, hidden, metric_rows, monthly_rows, police_rows, data_range, data)


def _default_program() -> Path:
    from pipeline.settings import DEFAULT_PROGRAM   # read when needed: the settings module reads the environment
    return DEFAULT_PROGRAM


# --------------------------------------------------------------------------------------------
# Tables
# --------------------------------------------------------------------------------------------

METRIC_SCHEMA = pa.schema([
    ("metric_id", pa.string()), ("grain", pa.string()), ("period_start", pa.date32()), ("period_end", pa.date32()),
    ("unit", pa.string()), ("dimension", pa.string()), ("dimension_value", pa.string()),
    ("numerator", pa.float64()), ("denominator", pa.int64()), ("value", pa.float64()),
    ("ci_low", pa.float64()), ("ci_high", pa.float64()), ("suppressed", pa.string()),
])
MONTHLY_SCHEMA = pa.schema([
    ("period_start", pa.date32()), ("period_end", pa.date32()), ("call_type", pa.string()), ("status", pa.string()),
    ("calls", pa.int64()), ("suppressed", pa.string()),
])
POLICE_SCHEMA = pa.schema([
    ("call_type", pa.string()), ("comparable_incidents", pa.int64()), ("mean_police_unit_hours", pa.float64()),
    ("median_police_unit_hours", pa.float64()), ("mean_police_units", pa.float64()), ("suppressed", pa.string()),
])


def _int(value) -> int | None:
    return None if value is None else int(round(value))


def metric_table(od: OpenData) -> pa.Table:
    """metric_values as published: hidden counts and everything computed from them blank, with why."""
    out = []
    for row in od.metric_rows:
        r, cells = dict(row.data), row.cells
        hidden = {col for col, key in cells.items() if key in od.hidden}
        if "numerator" in hidden:
            r["numerator"] = None
        if "denominator" in hidden:
            r["denominator"] = None
        if hidden:   # a value (rate, count, sum, median) and its interval need every count behind them
            r["value"] = r["ci_low"] = r["ci_high"] = None
        if row.data["metric_id"] == "officer_hours_saved":
            for col in ("numerator", "value"):
                r[col] = None if r[col] is None else round(r[col], HOURS_DECIMALS)
        r["denominator"] = _int(r["denominator"])
        r["suppressed"] = od.why(*cells.values())
        out.append(r)
    return pa.Table.from_pylist(out, schema=METRIC_SCHEMA)


def monthly_table(od: OpenData) -> pa.Table:
    out = []
    for row in od.monthly_rows:
        key = row.cells["calls"]
        calls = None if key in od.hidden else int(row.data["calls"])
        out.append({**row.data, "calls": calls, "suppressed": od.why(key)})
    return pa.Table.from_pylist(out, schema=MONTHLY_SCHEMA)


def police_table(od: OpenData) -> pa.Table:
    """police_time_by_call_type: no total is published, so only the small counts (and their hours) are blank."""
    out = []
    for r in od.police_rows:
        if is_small(r["comparable_incidents"], od.threshold):
            r = {"call_type": r["call_type"], "suppressed": SMALL}
        out.append(r)
    return pa.Table.from_pylist(out, schema=POLICE_SCHEMA)


# --------------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------------

def write_open_data(con: duckdb.DuckDBPyConnection, out_dir: Path, threshold: int = DEFAULT_THRESHOLD, *,
                    program: ProgramConfig | None = None) -> list[Path]:
    """Write the open-data folder (normally `<reports>/open-data`); returns the files written.

    `program` is the configuration the council dashboard is built with (its
    budgets add a total to the dashboard); by default config/program.toml.
    Every file is written whole to a temporary name and then moved into place,
    and the same warehouse gives byte-identical files.
    """
    return write_planned(plan_open_data(con, threshold, program), out_dir)


def write_planned(od: OpenData, out_dir: Path) -> list[Path]:
    """Write the files of a planned export (see write_open_data)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    tables = {"metric_values": metric_table(od), "eligible_calls_monthly": monthly_table(od),
              "police_time_by_call_type": police_table(od)}
    written = []
    for name, table in tables.items():
        written.append(_write(out_dir / f"{name}.csv", lambda tmp, t=table: pa_csv.write_csv(
            t, tmp, write_options=pa_csv.WriteOptions(quoting_style="needed"))))
        written.append(_write(out_dir / f"{name}.parquet", lambda tmp, t=table: pq.write_table(
            t, tmp, compression="zstd")))
    written.append(_write(out_dir / "README.md",
                          lambda tmp: Path(tmp).write_text(readme(od, tables), encoding="utf-8")))
    return written


def _write(path: Path, write) -> Path:
    tmp = path.with_name(f".{path.name}.tmp")
    write(str(tmp))
    os.replace(tmp, path)
    return path


def summary(od: OpenData, tables: dict[str, pa.Table] | None = None) -> dict:
    """Rows and rows with hidden values, per table (for the README)."""
    return _counts(tables or {"metric_values": metric_table(od), "eligible_calls_monthly": monthly_table(od),
                              "police_time_by_call_type": police_table(od)})


def read_summary(out_dir: Path) -> dict:
    """The same, read back from the Parquet files of an open-data folder (for the asset's metadata)."""
    return _counts({name: pq.read_table(Path(out_dir) / f"{name}.parquet") for name in TABLES})


def _counts(tables: dict[str, pa.Table]) -> dict:
    result = {}
    for name, table in tables.items():
        reasons = table.column("suppressed").to_pylist()
        result[name] = {"rows": table.num_rows, "small count": reasons.count(SMALL),
                        "complementary": reasons.count(COMPLEMENT)}
    return result


# --------------------------------------------------------------------------------------------
# README
# --------------------------------------------------------------------------------------------

_GRAIN_TEXT = {GRAINS: "month, fiscal year, to date", BY_YEAR: "fiscal year, to date"}


def readme(od: OpenData, tables: dict[str, pa.Table]) -> str:
    t = od.threshold
    counts = summary(od, tables)
    span = (f"{od.data_range[0]:%-d %B %Y} to {od.data_range[1]:%-d %B %Y}" if od.data_range else "no data yet")
    breakdown_rows = "\n".join(
        f"| `{m}` | " + "; ".join(f"`{d}` ({_GRAIN_TEXT.get(g, ', '.join(g))})" for d, g in dims.items()) + " |"
        for m, dims in PUBLIC_BREAKDOWNS.items())
    counts_rows = "\n".join(f"| `{name}` | {c['rows']:,} | {c['small count']:,} | {c['complementary']:,} |"
                            for name, c in counts.items())
    return f"""# HEART open data

Aggregate figures of the HEART crisis-response program, for open-data portals.
Every file comes as CSV (UTF-8, header row, empty cell = no value) and as
Parquet (typed: dates as dates, counts as integers); the two hold the same rows.
Nothing here is about a single call or person: every figure is a count, a
share, a median or a sum over a month or longer.

* **Data range:** {span} (local dates). The first and last periods can be
  partial: they hold only the days the data covers.
* **Small counts are suppressed:** threshold {t} (see below).
* Metric definitions: `docs/metrics.md` in the pipeline's repository, or
  `metrics.metric_definitions` in the warehouse.

## Files

| table | rows | rows with a small count blanked | rows with complements only blanked |
|---|---|---|---|
{counts_rows}

### `metric_values.csv`, `metric_values.parquet`

One row per metric x period x unit x breakdown: the public part of the
pipeline's `metrics.metric_values`.

| column | meaning |
|---|---|
| `metric_id` | the metric (list below) |
| `grain` | `month`, `fiscal_year` (labelled by its first day), `all` (program to date) |
| `period_start`, `period_end` | first day (inclusive) and end (exclusive) of the period |
| `unit` | `ALL` or a HEART unit: `CCD` Crisis Call Diversion, `CR` Community Response, `COR` Co-Response, `CN` Care Navigation |
| `dimension`, `dimension_value` | `ALL`/`ALL` when not broken down; otherwise the breakdown and its value (`hour_of_day`/`08`, `reason`/`no_team_free`) |
| `numerator` | the count (for a rate: the calls or responses counted; for `officer_hours_saved`: hours, rounded to {HOURS_DECIMALS} decimal) |
| `denominator` | for a rate: what it is out of; for a median or percentile: the number of observations; for `officer_hours_saved`: the diverted calls |
| `value` | rate (share 0-1), count, hours, or minutes for medians and percentiles |
| `ci_low`, `ci_high` | 95% interval: Wilson for rates, order statistics for medians and percentiles; empty for counts |
| `suppressed` | empty, or why some of the row's values are blank: `{SMALL}` or `{COMPLEMENT}` |

A count or sum with nothing in a period is 0; a rate, median or percentile
with nothing to measure has no row. A breakdown value with no row had no
calls. `ALL` of `responses` and `outcome_share` counts the crisis-response
units (CCD, CR, COR) only; Care Navigation (`CN`) is separate.

Published metrics and breakdowns (anything else is not published):

| metric | breakdowns (grains) |
|---|---|
{breakdown_rows}

Not published: weeks; breakdowns by beat; two-way breakdowns (weekday x hour,
reason x hour); hour of day by month; officer-hours saved by call type. They
are finer than the threshold allows: most of their counts would be small, or
(beats) could point at a single call. Officer-hours saved are rounded to
{HOURS_DECIMALS} decimal because, with the mean hours per call type published,
exact totals could be taken apart into calls per call type.

### `eligible_calls_monthly.csv`, `eligible_calls_monthly.parquet`

One row per calendar month x initial call type x status: what became of the
eligible 911 calls (call types HEART can take).

| column | meaning |
|---|---|
| `period_start`, `period_end` | the month (start inclusive, end exclusive; the `month` periods of `metric_values`) |
| `call_type` | the CAD initial call type (as `dimension_value` of the `call_type` breakdown) |
| `status` | `answered` (a HEART crisis-response unit answered it), or why not: `outside_service_hours`, `outside_service_area`, `no_team_free`, `not_routed` |
| `calls` | eligible calls received in the month with that call type and status |
| `suppressed` | empty, `{SMALL}` or `{COMPLEMENT}` (`calls` is blank) |

Summed over status, a month and call type give `eligible_calls` by
`call_type`; summed over call types, a status gives `unmet_eligible_calls`
by `reason` (or the numerator of `eligible_answered_rate`). Every status is
listed, with 0, for each month and call type with at least one eligible call.

### `police_time_by_call_type.csv`, `police_time_by_call_type.parquet`

One row per CAD initial call type (all call types): how much officer time a
call of that type takes when police handle it, over every comparable incident
in the data (police sent, no HEART crisis response, every police dispatch and
clear time recorded). `officer_hours_saved` multiplies diverted calls by it.

| column | meaning |
|---|---|
| `call_type` | the CAD initial call type |
| `comparable_incidents` | incidents it is computed from |
| `mean_police_unit_hours` | mean over those incidents of the police unit-hours (dispatch to clear, summed over units) |
| `median_police_unit_hours` | their median |
| `mean_police_units` | mean number of police units sent |
| `suppressed` | `{SMALL}` when fewer than {t} incidents: the count and the hours are blank |

## Small-count suppression

A count from 1 to {t - 1} could point at a person, so it is blank
(`suppressed` = `{SMALL}`). Zeros are shown. Blanking a small count is not
enough when totals are published: a count left as the only blank of a total
comes back by subtraction. So other counts are blanked too (`{COMPLEMENT}`:
these are 0 or at least {t}, and usually large) until no blank can be worked
out from all the published totals together. The totals taken into account:

* units: CCD + CR + COR = ALL for `responses` and `outcome_share`; every unit
  adds up to ALL for `felt_safe_rate` and `police_backup_rate`;
* breakdowns add up to the `ALL` row, and the outcomes of `outcome_share` to
  its denominator;
* a rate's numerator and denominator give the count of the rest (calls not
  answered, responders who did not feel safe): that is a count too, and a
  small one is protected the same way;
* answered + unmet = eligible calls; the unmet reasons add up to the unmet
  calls outside coverage (outside service hours + outside service area) and in
  coverage (no team free + not routed);
* months add up to their fiscal year and to the program to date, fiscal years
  to the program to date (`people_reached` counts distinct people and does not
  add up);
* `eligible_calls_monthly` adds up to `metric_values` as described above;
* the public council dashboard, which prints some of the same counts: what it
  hides is hidden here too.

A rate, interval, median or percentile is blank when a count behind it is,
and officer-hours saved when the number of diverted calls is.
`police_time_by_call_type` has no published total, so only its small counts are
blank. Distinct counts (`people_reached`) have no totals either.
"""
