"""The council budget dashboard (public): one page per fiscal year, one for the program to date.

Every figure is a metric_values row (grains `fiscal_year`, `all` and, for the
trends, `month`); the only other inputs are the hours HEART was on duty
(marts.program_days, sql/reports/council_hours_on_duty.sql) and the budget
figures of config/program.toml ([[budget]]).

The pages are public, so every count goes through pipeline.suppression:

* Each count printed anywhere on any council page is a *cell* of one ledger
  shared by all the pages (a month's eligible calls is the same cell on its
  fiscal year's page and on the to-date page), so suppression is planned once
  and no page's totals undo another page's.
* Every printed total is a *group*: its parts plus the total itself. Units add
  up to all crisis units; reasons to unmet calls; answered + unmet = eligible
  overall, per hour and per month; hours to the day and to the hours on and off
  duty; months to their fiscal year and to the program to date; fiscal years to
  the program to date. A rate prints its numerator and denominator, so it is
  the group (numerator, denominator - numerator) -> denominator.
* `suppress` hides the small counts (1 to threshold-1, printed "<11") and, in
  any group left with one hidden cell, one more (printed "—"), until no group
  has exactly one. Complements are taken from the least-read page first (short
  partial fiscal years, then the oldest full ones, the program to date last),
  so that a total spanning pages costs one page its detail rather than all of
  them. Zeros are shown and are the last choice as a complement: a "—" known to
  be 0 would give the "<11" beside it back.
* Groups overlap, so a small count could still be solved for by combining
  several totals. `solvable_cells` checks all of them at once (exact row
  reduction) and one more cell is hidden beside any small count that can be
  solved for, until none can. The planning (`plan`, with the zero-last
  complement order and this check) lives in pipeline.suppression, shared with
  the open-data exports (pipeline/exports.py), which plan their own suppression
  around this dashboard's: both are public.
* A rate, interval, median, officer-hours figure or cost per response is shown
  only when every count behind it is (rate x denominator gives the count
  back); otherwise the page prints the counts in "<11" form and no number.
  Charts plot hidden cells as gaps, never as values.
* A short partial fiscal year (fewer than SHORT_YEAR_DAYS days of data, such
  as the days between launch and the first 1 July) has too few calls to break
  down by hour: its hours are shown in the neighbouring fiscal year's hour
  table, which says so, instead of costing another page its whole hour table.

Nothing finer than hour of day is printed: no beats, no call types, no day x
hour grid, no reason x hour, no record-level points.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb

from pipeline.vocabulary import CRISIS_UNITS, HEART_UNIT_NAMES, HOURS, UNMET_REASON_LABELS, UNMET_REASONS
from pipeline.program import Budget, ProgramConfig
from pipeline.metrics import values
from pipeline.reports import charts, metric_text, render
from pipeline.reports.charts import Table
from pipeline.sqlfiles import query_sql_file
from pipeline.suppression import COMPLEMENTARY, DEFAULT_THRESHOLD, PRIMARY, plan, shown
from pipeline.suppression import solvable_cells  # noqa: F401  (re-exported: the council's tests check with it)

REPORT_DIR = "council"
TO_DATE_FILE = "council-to-date.html"
# The metrics the dashboard shows, in the order their definitions are listed.
METRICS_SHOWN = (
    "responses", "eligible_calls", "eligible_answered_rate", "unmet_eligible_calls", "diversion_rate",
    "resolved_without_in_person_rate", "felt_safe_rate", "people_reached", "officer_hours_saved",
    "heart_response_time_median", "police_response_time_median",
)
SHORT_YEAR_DAYS = 92     # a partial fiscal year with fewer days of data shows its hours on its neighbour's page
HOURS_KIND = "hours"
COUNT_KIND = "count"


# --------------------------------------------------------------------------------------------
# Periods
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Period:
    """One dashboard page: a fiscal year or the program to date, clipped to the days the data covers."""

    grain: str            # fiscal_year | all
    start: date           # period_start in metric_values
    end: date             # period_end (exclusive)
    data_from: date       # first local day with data in the period
    data_to: date         # last local day with data in the period (inclusive)

    @property
    def last_day(self) -> date:
        return self.end - timedelta(days=1)

    @property
    def key(self) -> str:
        """'all', or 'fy2023-24' (a fiscal year that is a calendar year: 'fy2024')."""
        if self.grain == "all":
            return "all"
        if self.last_day.year == self.start.year:
            return f"fy{self.start.year}"
        return f"fy{self.start.year}-{self.last_day.year % 100:02d}"

    @property
    def label(self) -> str:
        if self.grain == "all":
            return "Program to date"
        if self.last_day.year == self.start.year:
            return f"FY{self.start.year}"
        return f"FY{self.start.year}\u2013{self.last_day.year % 100:02d}"

    @property
    def file_name(self) -> str:
        return TO_DATE_FILE if self.grain == "all" else f"council-{self.key}.html"

    @property
    def path(self) -> str:
        return f"{REPORT_DIR}/{self.file_name}"

    @property
    def partial(self) -> bool:
        """The data covers only part of the period (the first or the current fiscal year)."""
        return self.grain != "all" and (self.data_from > self.start or self.data_to < self.last_day)


@dataclass(frozen=True)
class Month:
    start: date
    end: date

    @property
    def key(self) -> str:
        return f"m{self.start:%Y-%m}"

    @property
    def label(self) -> str:
        return f"{self.start:%b %Y}"


# --------------------------------------------------------------------------------------------
# The ledger of published counts and its suppression
# --------------------------------------------------------------------------------------------

@dataclass
class Ledger:
    """Every count the council pages publish (cells), and every published total (groups).

    A group is (parts, total): sum(parts) == total is printed somewhere, so a
    reader who sees all but one of its cells can work the last one out.
    """

    cells: dict[str, float] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=dict)
    groups: list[tuple[tuple[str, ...], str]] = field(default_factory=list)
    # (cell, cell it gives away): hide the first whenever the second is hidden.
    depends: list[tuple[str, str]] = field(default_factory=list)
    # Where complements go first: the rank of each period prefix ("fy2022-23", "m2022-07", "all"), low first.
    ranks: dict[str, int] = field(default_factory=dict)
    # The metric_values figure each cell is, where it is one: (metric_id, grain, period_start, unit,
    # dimension, dimension_value, field), field being numerator, denominator or rest (denominator -
    # numerator). The open-data exports plan their suppression around these cells (pipeline/exports.py).
    sources: dict[str, tuple] = field(default_factory=dict)

    def add(self, key: str, value: float | None, kind: str = COUNT_KIND, source: tuple | None = None) -> str:
        if key in self.cells:
            raise ValueError(f"council ledger: cell {key} added twice")
        self.cells[key] = float(value or 0)
        self.kinds[key] = kind
        if source is not None:
            self.sources[key] = source
        return key

    def group(self, parts, total: str) -> None:
        parts = tuple(parts)
        if parts:
            self.groups.append((parts, total))


@dataclass
class SuppressionPlan:
    """The ledger with the cells to hide: what every council page shows for each count."""

    threshold: int
    ledger: Ledger
    hidden: dict[str, str]     # cell -> PRIMARY | COMPLEMENTARY

    @property
    def cells(self) -> dict[str, float]:
        return self.ledger.cells

    @property
    def groups(self) -> list[tuple[tuple[str, ...], str]]:
        return self.ledger.groups

    def visible(self, *keys: str) -> bool:
        return all(k not in self.hidden for k in keys)

    def value(self, key: str) -> float | None:
        """The cell's value for a chart: None (a gap) when hidden."""
        return None if key in self.hidden else self.ledger.cells[key]

    def text(self, key: str) -> str:
        """The cell as printed: '1,234', '<11' (a small count), '—' (hidden so a small count stays hidden)."""
        value = self.ledger.cells[key]
        if self.ledger.kinds[key] == HOURS_KIND:
            return "—" if key in self.hidden else f"{value:,.0f} h"
        return shown(value, self.hidden.get(key), self.threshold)


def plan_suppression(ledger: Ledger, threshold: int = DEFAULT_THRESHOLD) -> SuppressionPlan:
    """Hide the small counts and enough others that none can be worked out from any published total.

    The planning is pipeline.suppression.plan (shared with the open-data
    exports). Complements are taken from the lowest-ranked period first: the
    short partial fiscal years, then the oldest full ones, the program to date
    last, so that a total spanning periods (a month across fiscal years, a
    fiscal year within the program to date) costs one page its detail instead
    of spreading holes over all. Hours are not counts: never small themselves.
    """
    ranks = {k: ledger.ranks.get(k.split(":", 1)[0], 0) for k in ledger.cells}
    hidden = plan(ledger.cells, ledger.groups, threshold,
                  not_counts={k for k, kind in ledger.kinds.items() if kind != COUNT_KIND},
                  ranks=ranks, depends=ledger.depends)
    return SuppressionPlan(threshold, ledger, hidden)


# --------------------------------------------------------------------------------------------
# Reading the warehouse
# --------------------------------------------------------------------------------------------

@dataclass
class CouncilData:
    """What every council page reads, loaded once: periods, metric rows, hours on duty, and the suppression plan."""

    program: ProgramConfig
    threshold: int
    fiscal_years: list[Period]
    to_date: Period
    months: list[Month]
    mv: dict[str, values.MetricValues]          # grain -> rows
    definitions: dict[str, dict]
    on_duty: dict[str, list[int]]              # period key -> days on duty for each hour 0-23 of its hour span
    days_in_period: dict[str, int]             # period key -> days in its hour span
    hour_spans: dict[str, list[Period]]        # period key -> the fiscal years its hour table covers
    plan: SuppressionPlan
    # False: no HEART log loaded; the pages say so and show the CAD side only (eligible calls, demand, police time).
    heart_log_loaded: bool = True

    @property
    def pages(self) -> list[Period]:
        return [*self.fiscal_years, self.to_date]

    def page(self, period_start: date, grain: str) -> Period:
        for period in self.pages:
            if period.grain == grain and period.start == period_start:
                return period
        raise ValueError(f"metric_values holds no {grain} period starting {period_start}")

    def months_of(self, period: Period) -> list[Month]:
        """The months holding days of the period (the program's first month starts before launch day)."""
        return [m for m in self.months if m.start < period.end and m.end > period.start]

    def budgeted_years(self) -> list[tuple[Period, Budget]]:
        return [(p, b) for p in self.fiscal_years if (b := self.program.budget_for(p.start)) is not None]


def _count(mv: values.MetricValues, start: date, metric: str, unit: str = "ALL", dimension: str = "ALL",
           dimension_value: str = "ALL") -> float:
    """A count from metric_values: a breakdown value with no row had nothing in it (0)."""
    row = mv.row(metric, start, unit, dimension, dimension_value)
    return 0.0 if row is None or row["numerator"] is None else float(row["numerator"])


def _denominator(mv: values.MetricValues, start: date, metric: str, unit: str = "ALL") -> float:
    row = mv.row(metric, start, unit)
    return 0.0 if row is None or row["denominator"] is None else float(row["denominator"])


def _bands(on_duty: list[int]) -> list[tuple[int, int, bool]]:
    """Runs of hours (first, last + 1, on duty on at least one day) covering 0-24."""
    bands: list[tuple[int, int, bool]] = []
    for hour, days in enumerate(on_duty):
        served = days > 0
        if bands and bands[-1][2] == served:
            bands[-1] = (bands[-1][0], hour + 1, served)
        else:
            bands.append((hour, hour + 1, served))
    return bands


def _bands_text(on_duty: list[int], served: bool) -> str:
    """'00:00–07:00, 19:00–24:00': the runs of hours on duty (or never on duty)."""
    return ", ".join(f"{b[0]:02d}:00\u2013{b[1]:02d}:00" for b in _bands(on_duty) if b[2] == served)


def _period_cells(ledger: Ledger, key: str, mv: values.MetricValues, start: date,
                  hour_sources: list[tuple[values.MetricValues, date]], on_duty: list[int]) -> tuple[list, list]:
    """The cells of one fiscal year or the program to date, with their groups.

    The hour-of-day cells add up the hour_of_day rows of `hour_sources` (the
    period itself, or the period with a short fiscal year next to it; none for
    a short fiscal year whose hours are on its neighbour's page). Returns the
    names (after "<key>:") that add up across fiscal years, and those of the
    hour cells.
    """
    additive: list[str] = []
    hourly: list[str] = []

    def add(name: str, value: float, kind: str = COUNT_KIND, adds_up: bool = True, source: tuple | None = None) -> str:
        if adds_up:
            additive.append(name)
        return ledger.add(f"{key}:{name}", value, kind, source)

    def src(metric: str, unit: str = "ALL", dimension: str = "ALL", value: str = "ALL",
            part: str = "numerator") -> tuple:
        return (metric, mv.grain, start, unit, dimension, value, part)

    responses = {u: add(f"responses:{u}", _count(mv, start, "responses", u), source=src("responses", u))
                 for u in ("ALL", *CRISIS_UNITS, "CN")}
    ledger.group([responses[u] for u in CRISIS_UNITS], responses["ALL"])

    eligible = add("eligible", _count(mv, start, "eligible_calls"), source=src("eligible_calls"))
    answered = add("answered", _count(mv, start, "eligible_answered_rate"), source=src("eligible_answered_rate"))
    unmet = add("unmet", _count(mv, start, "unmet_eligible_calls"), source=src("unmet_eligible_calls"))
    ledger.group([answered, unmet], eligible)
    reasons = [add(f"unmet:{r}", _count(mv, start, "unmet_eligible_calls", "ALL", "reason", r),
                   source=src("unmet_eligible_calls", "ALL", "reason", r)) for r in UNMET_REASONS]
    ledger.group(reasons, unmet)
    ledger.group([answered, *reasons], eligible)
    for u in CRISIS_UNITS:
        by_unit = _count(mv, start, "eligible_answered_rate", u)
        ledger.group([add(f"answered_by:{u}", by_unit, source=src("eligible_answered_rate", u)),
                      add(f"not_answered_by:{u}", ledger.cells[eligible] - by_unit,
                          source=src("eligible_answered_rate", u, part="rest"))],
                     eligible)

    if hour_sources:
        totals = {"eligible": eligible, "answered": answered, "unmet": unmet}
        if hour_sources != [(mv, start)]:
            # The hour table covers more than this period: its own totals, which the pages' totals add up to.
            sources = {"eligible": ("eligible_calls", "ALL"), "answered": ("eligible_answered_rate", "ALL"),
                       "unmet": ("unmet_eligible_calls", "ALL")}
            totals = {m: ledger.add(f"{key}:{m}:hour_span", sum(_count(smv, s, metric) for smv, s in hour_sources))
                      for m, (metric, _) in sources.items()}
            ledger.group([totals["answered"], totals["unmet"]], totals["eligible"])
        by_hour = {m: {} for m in ("eligible", "answered", "unmet")}
        metrics = {"eligible": "eligible_calls", "answered": "eligible_answered_rate", "unmet": "unmet_eligible_calls"}
        own_hours = hour_sources == [(mv, start)]
        for h in HOURS:
            for measure, metric in metrics.items():
                hourly.append(f"{measure}:h{h}")
                by_hour[measure][h] = ledger.add(
                    f"{key}:{measure}:h{h}",
                    sum(_count(smv, s, metric, "ALL", "hour_of_day", h) for smv, s in hour_sources),
                    source=src(metric, "ALL", "hour_of_day", h) if own_hours else None)
            ledger.group([by_hour["answered"][h], by_hour["unmet"][h]], by_hour["eligible"][h])
        for measure, cells in by_hour.items():
            ledger.group(cells.values(), totals[measure])

        # Eligible calls in the hours HEART was never on duty, and in the hours it was on duty on some
        # day. (Eligible calls only: how many of them HEART answered is in the hour table, and splitting
        # that too would add totals that cost more hidden cells than they tell.)
        off_hours = [h for h in HOURS if not on_duty[int(h)]]
        on_hours = [h for h in HOURS if on_duty[int(h)]]
        if off_hours and on_hours:
            sides = []
            for side, hours in (("off_duty", off_hours), ("on_duty", on_hours)):
                sides.append(add(f"eligible:{side}", sum(ledger.cells[by_hour["eligible"][h]] for h in hours),
                                 adds_up=False))
                ledger.group([by_hour["eligible"][h] for h in hours], sides[-1])
            ledger.group(sides, totals["eligible"])

    def rate(metric: str, unit: str, num: str, rest: str, den: str | None = None) -> None:
        n, d = _count(mv, start, metric, unit), _denominator(mv, start, metric, unit)
        den_key = f"{key}:{den}" if den else None
        if den_key is None or den_key not in ledger.cells or ledger.cells[den_key] != d:
            den_key = add(f"{num}:of", d, source=src(metric, unit, part="denominator"))
        ledger.group([add(num, n, source=src(metric, unit)), add(rest, d - n, source=src(metric, unit, part="rest"))],
                     den_key)

    rate("diversion_rate", "ALL", "diverted:ALL", "not_diverted:ALL")
    rate("diversion_rate", "CR", "diverted:CR", "not_diverted:CR")
    rate("felt_safe_rate", "ALL", "felt_safe", "felt_not_safe")
    rate("resolved_without_in_person_rate", "CCD", "ccd_resolved_by_phone", "ccd_not_resolved_by_phone",
         "responses:CCD")
    for u in ("ALL", "CN"):   # distinct people do not add up
        add(f"people:{u}", _count(mv, start, "people_reached", u), adds_up=False, source=src("people_reached", u))
    add("timed:heart", _denominator(mv, start, "heart_response_time_median"),
        source=src("heart_response_time_median", part="denominator"))
    add("timed:police", _denominator(mv, start, "police_response_time_median"),
        source=src("police_response_time_median", part="denominator"))
    hours = add("officer_hours", _count(mv, start, "officer_hours_saved"), HOURS_KIND,
                source=src("officer_hours_saved"))
    ledger.depends.append((hours, f"{key}:diverted:ALL"))
    return additive, hourly


def _month_cells(ledger: Ledger, month: Month, mv: values.MetricValues) -> list[str]:
    names = []

    def add(name: str, value: float, metric: str, unit: str = "ALL") -> str:
        names.append(name)
        return ledger.add(f"{month.key}:{name}", value,
                          source=(metric, mv.grain, month.start, unit, "ALL", "ALL", "numerator"))

    responses = {u: add(f"responses:{u}", _count(mv, month.start, "responses", u), "responses", u)
                 for u in ("ALL", *CRISIS_UNITS, "CN")}
    ledger.group([responses[u] for u in CRISIS_UNITS], responses["ALL"])
    eligible = add("eligible", _count(mv, month.start, "eligible_calls"), "eligible_calls")
    answered = add("answered", _count(mv, month.start, "eligible_answered_rate"), "eligible_answered_rate")
    unmet = add("unmet", _count(mv, month.start, "unmet_eligible_calls"), "unmet_eligible_calls")
    ledger.group([answered, unmet], eligible)
    return names


def hour_spans(fiscal_years: list[Period]) -> dict[str, list[Period]]:
    """For each fiscal-year page, the fiscal years its hour-of-day table covers.

    A short partial fiscal year (the days between launch and the first 1 July,
    or the first days of a year just begun) has too few calls to break down by
    hour: nearly every hour would be a small count, and since the fiscal years'
    hours add up to the program to date's, hiding them would cost another page
    its hour table. So its hours are shown with the neighbouring fiscal year's
    (the next one for the first year, the previous one for the last), and its
    own page says so. Everything else on its page is its own.
    """
    spans: dict[str, list[Period]] = {p.key: [p] for p in fiscal_years}
    merged: set[int] = set()
    for i, period in enumerate(fiscal_years):
        days = (period.data_to - period.data_from).days + 1
        if not period.partial or days >= SHORT_YEAR_DAYS or len(fiscal_years) < 2:
            continue
        host = i + 1 if i == 0 else i - 1
        if host in merged or len(spans[period.key]) > 1:
            continue
        spans[fiscal_years[host].key] = sorted([*spans[fiscal_years[host].key], period], key=lambda p: p.start)
        spans[period.key] = []
        merged.add(i)
    return spans


def _hours_on_duty(con: duckdb.DuckDBPyConnection, first_day: date, last_day: date) -> tuple[list[int], int]:
    rows = query_sql_file(con, "reports/council_hours_on_duty.sql",
                          {"first_day": first_day, "end_day": last_day + timedelta(days=1)})
    by_hour = {r["hour_of_day"]: int(r["days_on_duty"]) for r in rows}
    days = int(rows[0]["days_in_period"]) if rows else 0
    return [by_hour.get(h, 0) for h in range(24)], days


def load_council_data(con: duckdb.DuckDBPyConnection, program: ProgramConfig,
                      threshold: int = DEFAULT_THRESHOLD) -> CouncilData | None:
    """Everything the council pages show, with the suppression plan over all of them; None with no data."""
    all_periods = values.periods(con, "all")
    if not all_periods:
        return None
    first, end = all_periods[0]
    last = end - timedelta(days=1)
    to_date = Period("all", first, end, first, last)
    # metric_values ends the current fiscal year at the data's end; the page's year is the whole
    # fiscal year (its label and partial note), with the days the data covers in data_from/data_to.
    fiscal_years = [Period("fiscal_year", s, s.replace(year=s.year + 1), max(s, first),
                           min(e - timedelta(days=1), last))
                    for s, e in values.periods(con, "fiscal_year")]
    months = [Month(s, e) for s, e in values.periods(con, "month")]
    mv = {
        "fiscal_year": values.MetricValues.load(con, "fiscal_year", [p.start for p in fiscal_years]),
        "all": values.MetricValues.load(con, "all", [first]),
        "month": values.MetricValues.load(con, "month", [m.start for m in months]),
    }
    spans = hour_spans(fiscal_years)
    spans[to_date.key] = [to_date]
    on_duty, days_in_period = {}, {}
    for period in [*fiscal_years, to_date]:
        span = spans[period.key]
        if span:
            on_duty[period.key], days_in_period[period.key] = _hours_on_duty(con, span[0].data_from, span[-1].data_to)

    ledger = Ledger()
    full_years = [p for p in fiscal_years if not p.partial]
    for period in fiscal_years:
        ledger.ranks[period.key] = 0 if period.partial else 1 + full_years.index(period)
    ledger.ranks[to_date.key] = 2 + len(full_years)
    for month in months:
        ledger.ranks[month.key] = next((ledger.ranks[p.key] for p in fiscal_years if p.start <= month.start < p.end),
                                       ledger.ranks[to_date.key])
    additive, hourly = None, []
    for period in [*fiscal_years, to_date]:
        names, hourly = _period_cells(ledger, period.key, mv[period.grain], period.start,
                                      [(mv[p.grain], p.start) for p in spans[period.key]],
                                      on_duty.get(period.key, [0] * 24))
        additive = [n for n in names if additive is None or n in additive]
    for name in additive or []:  # fiscal years add up to the program to date
        ledger.group([f"{p.key}:{name}" for p in fiscal_years], f"all:{name}")
    for name in hourly:          # so do the hour tables of the fiscal-year pages that have one
        ledger.group([f"{p.key}:{name}" for p in fiscal_years if spans[p.key]], f"all:{name}")
    for period in fiscal_years:  # a page's hour table covering two fiscal years has their totals as parts
        if len(spans[period.key]) > 1:
            for measure in ("eligible", "answered", "unmet"):
                ledger.group([f"{p.key}:{measure}" for p in spans[period.key]], f"{period.key}:{measure}:hour_span")
    month_names: list[str] = []
    for month in months:
        month_names = _month_cells(ledger, month, mv["month"])
    for name in month_names:     # months add up to their fiscal year and to the program to date
        for period in fiscal_years:
            ledger.group([f"{m.key}:{name}" for m in months if period.start <= m.start < period.end],
                         f"{period.key}:{name}")
        ledger.group([f"{m.key}:{name}" for m in months], f"all:{name}")
    # Program-to-date cost per response divides the budgets by the responses of the budgeted years:
    # their sum is published (amount / cost), so it is a total too.
    budgeted = [p for p in fiscal_years if program.budget_for(p.start) is not None]
    if budgeted:
        total = ledger.add("all:responses:budgeted_years",
                           sum(ledger.cells[f"{p.key}:responses:ALL"] for p in budgeted))
        ledger.group([f"{p.key}:responses:ALL" for p in budgeted], total)

    return CouncilData(
        program=program, threshold=threshold, fiscal_years=fiscal_years, to_date=to_date, months=months, mv=mv,
        definitions=values.load_definitions(con), on_duty=on_duty, days_in_period=days_in_period,
        hour_spans=spans, plan=plan_suppression(ledger, threshold), heart_log_loaded=values.heart_log_loaded(con),
    )


# --------------------------------------------------------------------------------------------
# Page content
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Cell:
    """One table cell as printed, with the ledger cell it shows (for data-cell) when it is a count."""

    text: str
    key: str | None = None


@dataclass
class Figure:
    chart: charts.Chart
    cells: list[list[Cell]]


def _table(columns: list[str], rows: list[list[Cell]], note: str = "") -> tuple[Table, list[list[Cell]]]:
    return Table(columns, [[c.text for c in row] for row in rows], note), rows


def _pct(n: float, d: float) -> str:
    return render.fmt_pct(n / d) if d else "—"


class _Page:
    """Builds one page's cards, tables and charts from the shared data and plan."""

    def __init__(self, data: CouncilData, period: Period):
        self.data, self.period, self.plan = data, period, data.plan
        self.mv = data.mv[period.grain]
        self.defs = data.definitions
        self.k = period.key
        self.t = data.threshold
        self.published: dict[str, str] = {}

    # -- small helpers ----------------------------------------------------------------------
    def key(self, name: str) -> str:
        return f"{self.k}:{name}"

    def text(self, key: str) -> str:
        """A ledger cell as printed; every count the page prints goes through here (see `published`)."""
        self.published[key] = self.plan.text(key)
        return self.published[key]

    def cell(self, name: str | None = None, key: str | None = None) -> Cell:
        key = key or self.key(name)
        return Cell(self.text(key), key)

    def hidden_note(self, *keys: str) -> str:
        why = {self.plan.hidden.get(k) for k in keys} - {None}
        if PRIMARY in why:
            return f"Not published: a count behind it is below {self.t}."
        if why:
            return "Not published, so that a count below the threshold cannot be worked out from the totals."
        return ""

    def definition(self, metric_id: str) -> dict:
        return self.defs[metric_id]

    def row(self, metric_id: str, unit: str = "ALL") -> dict | None:
        return self.mv.row(metric_id, self.period.start, unit)

    # -- cards --------------------------------------------------------------------------------
    def count_card(self, metric_id: str, unit: str, title: str, name: str, note: str = "") -> dict:
        key = self.key(name)
        visible = self.plan.visible(key)
        value = self.plan.cells[key]
        return {
            "metric_id": metric_id, "unit": unit, "title": title, "cell": key,
            "raw_value": repr(value) if visible else "",
            "value_text": self.text(key), "interval_text": "",
            "counts_text": note if visible else self.hidden_note(key),
            "change_text": "", "definition": self.definition(metric_id),
        }

    def rate_card(self, metric_id: str, unit: str, title: str, num: str, rest: str, den_key: str, noun: str) -> dict:
        """A rate with its interval and counts; only when its numerator, the rest and the denominator are all shown."""
        keys = (self.key(num), self.key(rest), den_key)
        d = self.definition(metric_id)
        row = self.row(metric_id, unit)
        card = {"metric_id": metric_id, "unit": unit, "title": title, "cell": keys[0], "definition": d,
                "change_text": "", "interval_text": ""}
        counts = f"{self.text(keys[0])} of {self.text(keys[2])} {noun}"
        if row is None or not row["denominator"]:
            return {**card, "raw_value": "", "value_text": "—", "counts_text": f"No {noun} in this period."}
        if not self.plan.visible(*keys):
            return {**card, "raw_value": "", "value_text": "Not published",
                    "counts_text": f"{counts}. {self.hidden_note(*keys)}"}
        return {**card, "raw_value": repr(float(row["value"])), "value_text": metric_text.format_value(row, d),
                "interval_text": metric_text.interval_text(row, d), "counts_text": counts}

    def median_card(self, metric_id: str, title: str, timed: str, noun: str) -> dict:
        d = self.definition(metric_id)
        row = self.row(metric_id)
        key = self.key(timed)
        card = {"metric_id": metric_id, "unit": "ALL", "title": title, "cell": key, "definition": d,
                "change_text": ""}
        if row is None or row["value"] is None:
            return {**card, "raw_value": "", "value_text": "—", "interval_text": "",
                    "counts_text": f"No {noun} in this period."}
        if not self.plan.visible(key):
            return {**card, "raw_value": "", "value_text": "Not published", "interval_text": "",
                    "counts_text": f"From {self.text(key)} {noun}. {self.hidden_note(key)}"}
        return {**card, "raw_value": repr(float(row["value"])), "value_text": metric_text.format_value(row, d),
                "interval_text": metric_text.interval_text(row, d), "counts_text": f"From {self.text(key)} {noun}."}

    def hours_card(self) -> dict:
        key, diverted = self.key("officer_hours"), self.key("diverted:ALL")
        d = self.definition("officer_hours_saved")
        card = {"metric_id": "officer_hours_saved", "unit": "ALL", "title": d["name"], "cell": key,
                "definition": d, "change_text": "", "interval_text": ""}
        if not self.plan.visible(key):
            return {**card, "raw_value": "", "value_text": "Not published",
                    "counts_text": f"From {self.text(diverted)} calls diverted from police. "
                                   + self.hidden_note(key, diverted)}
        return {**card, "raw_value": repr(self.plan.cells[key]), "value_text": self.text(key),
                "counts_text": f"From {self.text(diverted)} calls diverted from police "
                               "(an estimate: see the definition)."}

    def cards(self) -> list[dict]:
        if not self.data.heart_log_loaded:
            # Only what the CAD export gives: anything answered, diverted or responded would read 0.
            return [
                self.count_card("eligible_calls", "ALL", "Eligible 911 calls",
                                "eligible", "Calls of a HEART-eligible type, citywide, at any hour."),
                self.median_card("police_response_time_median", "Police response time on eligible calls, median",
                                 "timed:police", "police arrivals on eligible calls"),
            ]
        name = HEART_UNIT_NAMES
        return [
            self.count_card("responses", "ALL", "HEART responses", "responses:ALL",
                            f"{name['CCD']}, {name['CR']} and {name['COR']}; Care Navigation follow-ups are "
                            "counted separately."),
            self.count_card("eligible_calls", "ALL", "Eligible 911 calls", "eligible",
                            "Calls of a HEART-eligible type, citywide, at any hour."),
            self.rate_card("eligible_answered_rate", "ALL", "Eligible calls answered by HEART", "answered", "unmet",
                           self.key("eligible"), "eligible calls"),
            self.count_card("unmet_eligible_calls", "ALL", "Eligible calls HEART did not answer", "unmet",
                            "By reason: see Demand against capacity."),
            self.rate_card("diversion_rate", "CR", "Community Response calls with no police", "diverted:CR",
                           "not_diverted:CR", self.key("diverted:CR:of"), "calls Community Response handled"),
            self.rate_card("diversion_rate", "ALL", "Calls diverted from police, all crisis units", "diverted:ALL",
                           "not_diverted:ALL", self.key("diverted:ALL:of"), "calls HEART handled"),
            self.rate_card("resolved_without_in_person_rate", "CCD",
                           "Crisis Call Diversion calls resolved without in-person contact", "ccd_resolved_by_phone",
                           "ccd_not_resolved_by_phone", self.ccd_denominator(), "Crisis Call Diversion responses"),
            self.rate_card("felt_safe_rate", "ALL", "Responders felt safe", "felt_safe", "felt_not_safe",
                           self.key("felt_safe:of"), "in-person responses with the question answered"),
            self.count_card("responses", "CN", "Care Navigation follow-ups", "responses:CN",
                            "Follow-ups about 48 hours after a crisis response; not in HEART responses."),
            self.count_card("people_reached", "CN", "People reached by Care Navigation", "people:CN",
                            "Distinct people; they do not add up across periods."),
            self.count_card("people_reached", "ALL", "People reached, all units", "people:ALL",
                            "Distinct people HEART responded to, Care Navigation included."),
            self.hours_card(),
            self.median_card("heart_response_time_median", "HEART response time, median", "timed:heart",
                             "in-person HEART arrivals"),
            self.median_card("police_response_time_median", "Police response time on eligible calls, median",
                             "timed:police", "police arrivals on eligible calls HEART did not answer"),
        ]

    def ccd_denominator(self) -> str:
        own = self.key("ccd_resolved_by_phone:of")
        return own if own in self.plan.cells else self.key("responses:CCD")

    # -- units ---------------------------------------------------------------------------------
    def units_table(self) -> dict:
        d = self.definition("eligible_answered_rate")
        rows = []
        for u in CRISIS_UNITS:
            num, rest = self.key(f"answered_by:{u}"), self.key(f"not_answered_by:{u}")
            row = self.row("eligible_answered_rate", u)
            shown_share = row is not None and self.plan.visible(num, rest, self.key("eligible"))
            share = metric_text.format_value(row, d) if shown_share else "—"
            rows.append([Cell(HEART_UNIT_NAMES[u]), self.cell(f"responses:{u}"), self.cell(f"answered_by:{u}"),
                         Cell(share)])
        answered_row = self.row("eligible_answered_rate")
        all_share = (metric_text.format_value(answered_row, d) if answered_row is not None
                     and self.plan.visible(self.key("answered"), self.key("unmet"), self.key("eligible")) else "—")
        rows.append([Cell("All crisis-response units"), self.cell("responses:ALL"), self.cell("answered"),
                     Cell(all_share)])
        rows.append([Cell(HEART_UNIT_NAMES["CN"] + " (follow-ups)"), self.cell("responses:CN"),
                     Cell("not a 911 answer"), Cell("")])
        table, cells = _table(["Unit", "Responses", "Eligible calls answered", "Share of eligible calls answered"],
                              rows, note="A call answered by two units counts once for each unit and once in the "
                                         "all-units row. Shares are not shown where a count behind them is hidden.")
        return {"table": table, "cells": cells}

    # -- demand against capacity ----------------------------------------------------------------
    def demand(self) -> dict:
        eligible = self.key("eligible")
        categories = [("Answered by HEART", "answered")] + [(label, f"unmet:{r}") for r, label in UNMET_REASON_LABELS.items()]
        e_value = self.plan.cells[eligible]
        rows = []
        for label, name in categories:
            key = self.key(name)
            share = _pct(self.plan.cells[key], e_value) if self.plan.visible(key, eligible) else "—"
            rows.append([Cell(label), self.cell(name), Cell(share)])
        rows.append([Cell("All eligible calls"), self.cell("eligible"), Cell("100%" if e_value else "—")])
        table, cells = _table(
            ["Eligible calls", "Calls", "Share of eligible calls"], rows,
            note="Every eligible call is either answered or unmet for exactly one reason, the first that applies. "
                 + self.definition("unmet_eligible_calls")["caveats"])
        where = charts.bar_chart(
            "where-calls-went", "Eligible calls: answered, and unmet by reason",
            f"Each eligible call in {self.period_phrase()}, answered by a HEART crisis-response unit or, if not, "
            "the first reason that applies. Hidden counts are left out of the chart.",
            [c for c, _ in categories], [("Calls", [self.plan.value(self.key(n)) for _, n in categories])],
            axis_y="Eligible calls", table=table, horizontal=True, height=300,
            value_text=[[self.text(self.key(n)) if self.plan.visible(self.key(n)) else "" for _, n in categories]])
        return {"where": Figure(where, cells), "hours": self.hours_figure(), "duty": self.duty_table(),
                "facts": self.demand_facts()}

    def period_phrase(self) -> str:
        return "the program to date" if self.period.grain == "all" else self.period.label

    @property
    def span(self) -> list[Period]:
        return self.data.hour_spans[self.k]

    def span_key(self, measure: str) -> str:
        """The cell of the hour table's total: the period's own unless the table covers a short year too."""
        own = self.key(f"{measure}:hour_span")
        return own if own in self.plan.cells else self.key(measure)

    def span_phrase(self) -> str:
        """What the hour table covers, in words."""
        if self.span == [self.period]:
            return self.period_phrase()
        others = [p for p in self.span if p != self.period]
        extra = " and ".join(f"the {(p.data_to - p.data_from).days + 1} days of {p.label}, "
                             f"{p.data_from:%-d %b %Y} to {p.data_to:%-d %b %Y}," for p in others)
        return f"{self.period.label} with {extra}"

    def span_note(self) -> str:
        """Said on a page whose hours are on another page, or that carries a short year's hours."""
        if not self.span:
            host = next(p for k, span in self.data.hour_spans.items() for p in self.data.fiscal_years
                        if p.key == k and self.period in span)
            return (f"{self.period.label} holds only {(self.period.data_to - self.period.data_from).days + 1} days of "
                    f"data: too few calls to break down by hour without hiding nearly every figure. Its calls are in "
                    f"the hour-of-day table of {host.label}.")
        if self.span != [self.period]:
            return (f"The hour-of-day table and chart cover {self.span_phrase()}, which holds too few days to break "
                    "down by hour on its own page. Every other figure on this page is for "
                    f"{self.period.label} alone.")
        return ""

    def hours_figure(self) -> Figure | None:
        if not self.span:
            return None
        on_duty = self.data.on_duty[self.k]
        days = self.data.days_in_period[self.k]
        rows = []
        for h, hour in enumerate(HOURS):
            duty = ("never" if on_duty[h] == 0 else "every day" if on_duty[h] == days
                    else f"{on_duty[h]:,} of {days:,} days")
            rows.append([Cell(f"{hour}:00"), Cell(duty), self.cell(f"eligible:h{hour}"), self.cell(f"answered:h{hour}"),
                         self.cell(f"unmet:h{hour}")])
        rows.append([Cell("All hours"), Cell(""), *[self.cell(key=self.span_key(m))
                                                    for m in ("eligible", "answered", "unmet")]])
        # Without a HEART log, answered and not answered are unknown: eligible calls only (the CAD side).
        heart = self.data.heart_log_loaded
        measures = ("answered", "unmet") if heart else ("eligible",)
        if not heart:
            rows = [row[:3] for row in rows]
        table, cells = _table(["Hour (local)", "HEART on duty", "Eligible calls", "Answered by HEART", "Not answered"]
                              [:5 if heart else 3],
                              rows, note="Hour 00 is midnight to 1am. HEART on duty: on how many days the service "
                                         "hours in force covered at least part of that hour. " + self.span_note())
        names = {"answered": "Answered by HEART", "unmet": "Not answered", "eligible": "Eligible calls"}
        chart = charts.bar_chart(
            "eligible-by-hour", "Eligible calls by hour of day, against the hours HEART was on duty",
            f"Eligible calls received in each hour of the day over {self.span_phrase()}"
            + (", answered by HEART or not. " if heart else ". ")
            + "Shaded: hours when HEART was never on duty, so no eligible call then could be answered in person. "
            "Hidden counts are left out of the chart.",
            [f"{h}:00" for h in HOURS], [(names[m], [self.plan.value(self.key(f"{m}:h{h}")) for h in HOURS])
                                         for m in measures],
            axis_x="Hour of day the call came in (local time)", axis_y="Eligible calls", stacked=True, table=table,
            value_text=[[self.text(self.key(f"{m}:h{h}")) if self.plan.visible(self.key(f"{m}:h{h}")) else ""
                         for h in HOURS] for m in measures], height=380)
        shapes, notes = [], []
        for band in _bands(on_duty):
            if band[2]:
                continue
            shapes.append({"type": "rect", "xref": "x", "yref": "paper", "x0": band[0] - 0.5, "x1": band[1] - 0.5,
                           "y0": 0, "y1": 1, "fillcolor": "rgba(87,96,106,0.14)", "line": {"width": 0},
                           "layer": "below"})
            notes.append({"xref": "x", "yref": "paper", "x": (band[0] + band[1] - 1) / 2, "y": 1.0,
                          "yanchor": "bottom", "showarrow": False, "text": "HEART not on duty",
                          "font": {"size": 11, "color": "#57606a"}})
        chart.spec["layout"]["shapes"] = shapes
        chart.spec["layout"]["annotations"] = notes
        return Figure(chart, cells)

    def duty_table(self) -> dict | None:
        """Eligible calls in the hours HEART was never on duty, and in the rest; None when there is no such split."""
        if self.key("eligible:off_duty") not in self.plan.cells:
            return None
        on_duty = self.data.on_duty[self.k]
        total = self.span_key("eligible")
        eligible = self.plan.cells[total]
        rows = []
        for side, label in (("off_duty", f"Never on duty: {_bands_text(on_duty, False)}"),
                            ("on_duty", f"On duty on some or all days: {_bands_text(on_duty, True)}")):
            e_key = self.key(f"eligible:{side}")
            share = _pct(self.plan.cells[e_key], eligible) if self.plan.visible(e_key, total) else "—"
            rows.append([Cell(label), self.cell(f"eligible:{side}"), Cell(share)])
        rows.append([Cell("All hours"), self.cell(key=total), Cell("100%" if eligible else "—")])
        table, cells = _table(["Hours of the day (local)", "Eligible calls", "Share of eligible calls"], rows,
                              note="Calls in hours HEART was on duty can still go unanswered: on days it was not on "
                                   "duty at that hour, from outside the service area, or with every team busy; the "
                                   "reasons are above. " + self.span_note())
        return {"table": table, "cells": cells}

    def demand_facts(self) -> dict:
        on_duty = self.data.on_duty.get(self.k, [])
        facts = {"off_bands": _bands_text(on_duty, False) if on_duty else "",
                 "span": self.span_phrase() if self.span else "",
                 "span_note": self.span_note(),
                 "has_off_duty": self.key("eligible:off_duty") in self.plan.cells,
                 "never_on_duty": bool(on_duty) and not any(on_duty),
                 "outside_hours": self.cell("unmet:outside_service_hours"),
                 "outside_area": self.cell("unmet:outside_service_area"),
                 "no_team_free": self.cell("unmet:no_team_free"), "not_routed": self.cell("unmet:not_routed"),
                 "unmet": self.cell("unmet"), "eligible": self.cell("eligible")}
        if facts["has_off_duty"]:
            off_key, total = self.key("eligible:off_duty"), self.span_key("eligible")
            facts.update(off_eligible=self.cell("eligible:off_duty"),
                         off_share=(_pct(self.plan.cells[off_key], self.plan.cells[total])
                                    if self.plan.visible(off_key, total) else ""))
        return facts

    # -- monthly trends ------------------------------------------------------------------------
    def months(self) -> list[Figure]:
        months = self.data.months_of(self.period)
        if not months:
            return []
        mv, d = self.data.mv["month"], self.definition("eligible_answered_rate")
        labels = [m.label for m in months]

        def mkey(m: Month, name: str) -> str:
            return f"{m.key}:{name}"

        shares, lows, highs, rows = [], [], [], []
        for m in months:
            row = mv.row("eligible_answered_rate", m.start)
            ok = row is not None and row["denominator"] and self.plan.visible(
                mkey(m, "answered"), mkey(m, "unmet"), mkey(m, "eligible"))
            shares.append(row["value"] if ok else None)
            lows.append(row["ci_low"] if ok else None)
            highs.append(row["ci_high"] if ok else None)
            interval = metric_text.interval_text(row, d).removeprefix("95% interval ") if ok else ""
            share_text = f"{metric_text.format_value(row, d)} ({interval})" if ok else "—"
            rows.append([Cell(m.label)] + [self.cell(key=mkey(m, n))
                                           for n in ("eligible", "answered", "unmet")] + [Cell(share_text)])
        rows.append([Cell(f"{self.period.label} total"), self.cell("eligible"), self.cell("answered"),
                     self.cell("unmet"), Cell("")])
        note = ("The first and last months can be partial: they hold only the days the data covers. "
                "Shares are not shown where a count behind them is hidden.")
        table, cells = _table(["Month", "Eligible calls", "Answered by HEART", "Not answered",
                               "Share answered (95% interval)"], rows, note=note)
        demand = charts.bar_chart(
            "monthly-demand", "Eligible calls by month: answered and not answered",
            "Eligible calls received each month, split into those a HEART crisis-response unit answered and the rest. "
            "Hidden counts are gaps.",
            labels, [("Answered by HEART", [self.plan.value(mkey(m, "answered")) for m in months]),
                     ("Not answered", [self.plan.value(mkey(m, "unmet")) for m in months])],
            axis_x="Month", axis_y="Eligible calls", stacked=True, table=table,
            value_text=[[self.text(mkey(m, n)) if self.plan.visible(mkey(m, n)) else "" for m in months]
                        for n in ("answered", "unmet")])
        share_table = Table(["Month", "Share answered (95% interval)"], [[r[0].text, r[4].text] for r in rows[:-1]],
                            note=note)
        share = charts.line_chart(
            "monthly-share-answered", "Share of eligible calls answered, by month",
            "Share of each month's eligible calls that a HEART crisis-response unit answered. Shaded: 95% interval "
            "(Wilson). Months with a hidden count are gaps.",
            labels, [("Eligible calls answered", shares)], axis_x="Month", axis_y="Share answered", percent=True,
            table=share_table, bands=[(lows, highs)])
        unit_rows = []
        for m in months:
            unit_rows.append([Cell(m.label)] + [self.cell(key=mkey(m, f"responses:{u}"))
                                                for u in (*CRISIS_UNITS, "ALL", "CN")])
        unit_rows.append([Cell(f"{self.period.label} total")] + [self.cell(f"responses:{u}")
                                                                 for u in (*CRISIS_UNITS, "ALL", "CN")])
        unit_table, unit_cells = _table(
            ["Month", *[HEART_UNIT_NAMES[u] for u in CRISIS_UNITS], "All crisis-response units",
             "Care Navigation follow-ups"], unit_rows, note=note.split(" Shares")[0])
        units = charts.bar_chart(
            "monthly-responses", "HEART responses by month and unit",
            "Responses each month by the three crisis-response units. Care Navigation follow-ups are in the table. "
            "Hidden counts are gaps.",
            labels, [(HEART_UNIT_NAMES[u], [self.plan.value(mkey(m, f"responses:{u}")) for m in months])
                     for u in CRISIS_UNITS],
            axis_x="Month", axis_y="Responses", table=unit_table,
            value_text=[[self.text(mkey(m, f"responses:{u}")) if self.plan.visible(mkey(m, f"responses:{u}"))
                         else "" for m in months] for u in CRISIS_UNITS])
        if not self.data.heart_log_loaded:
            return [self.eligible_months(months)]
        return [Figure(demand, cells), Figure(share, [[Cell(r[0].text), r[4]] for r in rows[:-1]]),
                Figure(units, unit_cells)]

    def eligible_months(self, months: list[Month]) -> Figure:
        """Eligible calls by month alone (the CAD side), for a page with no HEART log loaded."""
        rows = [[Cell(m.label), self.cell(key=f"{m.key}:eligible")] for m in months]
        rows.append([Cell(f"{self.period.label} total"), self.cell("eligible")])
        table, cells = _table(["Month", "Eligible calls"], rows,
                              note="The first and last months can be partial: they hold only the days the data covers.")
        chart = charts.bar_chart(
            "monthly-demand", "Eligible calls by month",
            "Eligible calls received each month. Hidden counts are gaps.",
            [m.label for m in months], [("Eligible calls", [self.plan.value(f"{m.key}:eligible") for m in months])],
            axis_x="Month", axis_y="Eligible calls", table=table,
            value_text=[[self.text(f"{m.key}:eligible") if self.plan.visible(f"{m.key}:eligible") else ""
                         for m in months]])
        return Figure(chart, cells)

    # -- cost per response ---------------------------------------------------------------------
    def cost(self) -> dict:
        definition = {
            "definition": "The budget figure configured for the fiscal year divided by HEART responses in that "
                          "year (Crisis Call Diversion, Community Response and Co-Response).",
            "numerator": "amount_usd of the fiscal year's [[budget]] entry in config/program.toml",
            "denominator": "HEART responses received in the fiscal year (the responses metric, all crisis units)",
            "kind": "rate",
        }
        base = {"metric_id": "cost_per_response", "unit": "ALL", "title": "Cost per response", "interval_text": "",
                "change_text": "", "definition": definition}
        if self.period.grain == "all":
            years = self.data.budgeted_years()
            if not years:
                return {"budgets": [], "card": {**base, "cell": "", "raw_value": "", "value_text": "No budget",
                                                "counts_text": "No fiscal year in the data has a budget figure in "
                                                               "config/program.toml."}}
            amount = sum(b.amount_usd for _, b in years)
            key = "all:responses:budgeted_years"
            count_text = self.text(key)
            label = ", ".join(p.label for p, _ in years)
            scope = (f"Fiscal years with a budget figure only: {label}. ${amount:,.0f} over {count_text} responses "
                     "in those years.")
            budgets = [{"period": p, "budget": b} for p, b in years]
        else:
            budget = self.data.program.budget_for(self.period.start)
            if budget is None:
                return {"budgets": [], "card": {**base, "cell": "", "raw_value": "", "value_text": "No budget",
                                                "counts_text": f"No budget figure for {self.period.label} is given in "
                                                               "config/program.toml, so no cost per response is "
                                                               "shown."}}
            amount, key = budget.amount_usd, self.key("responses:ALL")
            count_text = self.text(key)
            scope = f"${amount:,.0f} over {count_text} responses."
            budgets = [{"period": self.period, "budget": budget}]
        responses = self.plan.cells[key]
        caveats = [f"Budget covers: {b['budget'].covers} ({b['period'].label})." for b in budgets]
        caveats += [f"{b['period'].label}: the data covers only {b['period'].data_from:%-d %b %Y} to "
                    f"{b['period'].data_to:%-d %b %Y}, so the year's budget is divided by part of a year's responses."
                    for b in budgets if b["period"].partial]
        if not self.plan.visible(key) or not responses:
            card = {**base, "cell": key, "raw_value": "", "value_text": "Not published",
                    "counts_text": f"{scope} {self.hidden_note(key) if responses else 'No responses.'}"}
        else:
            card = {**base, "cell": key, "raw_value": repr(amount / responses),
                    "value_text": f"${amount / responses:,.0f}", "counts_text": scope}
        return {"budgets": budgets, "card": card, "caveats": caveats}

    # -- everything ---------------------------------------------------------------------------
    def context(self) -> dict:
        parts = {"cards": self.cards(), "units": self.units_table(), "demand": self.demand(),
                 "months": self.months(), "cost": self.cost()}
        return {
            "period": self.period,
            "pages": [{"label": p.label, "href": p.file_name, "current": p == self.period} for p in self.data.pages],
            "program_name": self.data.program.name,
            "threshold": self.t,
            "heart_log_loaded": self.data.heart_log_loaded,
            "no_heart_log": values.NO_HEART_LOG,
            **parts,
            "definitions": [self.defs[m] for m in METRICS_SHOWN if m in self.defs],
            # Every count this page prints (ledger key -> text), and how many of them are hidden and why.
            "published": dict(self.published),
            "hidden_here": {why: sum(1 for k in self.published if self.plan.hidden.get(k) == why)
                            for why in (PRIMARY, COMPLEMENTARY)},
            "plan": self.plan,
        }


def build_council_context(con: duckdb.DuckDBPyConnection, program: ProgramConfig, period_start: date, grain: str,
                          threshold: int = DEFAULT_THRESHOLD, *, data: CouncilData | None = None) -> dict:
    """Everything the council template shows for one page: grain 'fiscal_year' (period_start = the FY's
    first day) or 'all' (period_start = the program's first day).

    Suppression is planned over every council page at once (pass `data` from
    load_council_data to reuse it), so that no page's totals give back a count
    another page hides.
    """
    if grain not in ("fiscal_year", "all"):
        raise ValueError(f"the council dashboard is by fiscal_year or all, not {grain!r}")
    data = data or load_council_data(con, program, threshold)
    if data is None:
        raise ValueError("metric_values holds no periods yet: build the marts and metric_values first")
    return _Page(data, data.page(period_start, grain)).context()


def write_council_page(reports_dir: Path, data: CouncilData, period: Period, built_at: datetime) -> tuple[Path, dict]:
    """Render one council page from loaded data; returns the file and the context it was rendered with."""
    context = _Page(data, period).context()
    title = ("HEART council dashboard: program to date" if period.grain == "all"
             else f"HEART council dashboard: {period.label}")
    meta = render.ReportMeta("council", title, period.data_from, period.data_to, built_at)
    return render.render_report(reports_dir, period.path, "council.html", meta, **context), context


def write_council_dashboards(con: duckdb.DuckDBPyConnection, reports_dir: Path, program: ProgramConfig,
                             built_at: datetime, threshold: int = DEFAULT_THRESHOLD) -> list[Path]:
    """Write council/council-fy<YYYY>-<YY>.html for each fiscal year and council/council-to-date.html."""
    data = load_council_data(con, program, threshold)
    if data is None:
        return []
    return [write_council_page(reports_dir, data, period, built_at)[0] for period in data.pages]
