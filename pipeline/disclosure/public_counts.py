"""Every count the council pages publish, read once from metric_values into one ledger with its plan.

The cells and groups are described in pipeline/reports/council/ (the pages
that print them); the open-data files take this plan as given
(pipeline/open_data/), so no public file gives back what a page hides.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import duckdb

from pipeline.disclosure import coarsen
from pipeline.disclosure.ledger import COUNT_KIND, HOURS_KIND, Ledger, SuppressionPlan, plan_suppression
from pipeline.disclosure.periods import Month, Period, fold_launch, hour_spans
from pipeline.disclosure.suppression import DEFAULT_THRESHOLD
from pipeline.metrics import values
from pipeline.program import Budget, ProgramConfig
from pipeline.warehouse.sqlfiles import query_sql_file
from pipeline.vocabulary import CRISIS_UNITS, HOURS, UNMET_REASONS


@dataclass(frozen=True)
class Coarsening:
    """How the council tables are coarsened, the same on every page (pipeline/disclosure/coarsen.py)."""

    reasons: list[coarsen.Category]
    hour_bins: list[tuple[int, ...]]
    unit_quarters: list[coarsen.Quarter] | None    # None: responses by unit by month


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
    # The launch days' own fiscal year, folded into the next one (periods.fold_launch); None when not short.
    launch: Period | None = None
    coarse: Coarsening | None = None

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

    def quarters_of(self, period: Period) -> list:
        """The quarters the responses by unit are shown in (coarsen.quarters), holding days of the period;
        [] when they are shown by month."""
        quarters = self.coarse.unit_quarters if self.coarse is not None else None
        return [q for q in quarters or [] if q.start < period.end and q.end > period.start]

    def budgeted_years(self) -> list[tuple[Period, Budget]]:
        return [(p, b) for p in self.fiscal_years if (b := self.program.budget_for(p.start)) is not None]


def _count(mv: values.MetricValues, starts: date | tuple[date, ...], metric: str, unit: str = "ALL",
           dimension: str = "ALL", dimension_value: str = "ALL") -> float:
    """A count from metric_values, added up over `starts` (a period with the launch days folded into it):
    a breakdown value with no row had nothing in it (0)."""
    total = 0.0
    for start in (starts,) if isinstance(starts, date) else starts:
        row = mv.row(metric, start, unit, dimension, dimension_value)
        total += 0.0 if row is None or row["numerator"] is None else float(row["numerator"])
    return total


def _denominator(mv: values.MetricValues, starts: date | tuple[date, ...], metric: str, unit: str = "ALL") -> float:
    total = 0.0
    for start in (starts,) if isinstance(starts, date) else starts:
        row = mv.row(metric, start, unit)
        total += 0.0 if row is None or row["denominator"] is None else float(row["denominator"])
    return total


def _period_cells(ledger: Ledger, key: str, mv: values.MetricValues, starts: tuple[date, ...],
                  hour_sources: list[tuple[values.MetricValues, date]], on_duty: list[int],
                  coarse: Coarsening, source_start: date) -> tuple[list, list]:
    """The cells of one fiscal year or the program to date, with their groups.

    `starts`: the metric_values periods whose counts make this one (the launch days'
    year folded into the next). The hour-of-day cells add up the hour_of_day rows of
    `hour_sources` (the period itself, or the period with a short last fiscal year next
    to it; none for a short fiscal year whose hours are on its neighbour's page), by the
    runs of hours in `coarse.hour_bins`. Returns the names (after "<key>:") that add up
    across fiscal years, and those of the hour cells.
    """
    additive: list[str] = []
    hourly: list[str] = []

    def add(name: str, value: float, kind: str = COUNT_KIND, adds_up: bool = True, source: tuple | None = None) -> str:
        if adds_up:
            additive.append(name)
        return ledger.add(f"{key}:{name}", value, kind, source)

    def src(metric: str, unit: str = "ALL", dimension: str = "ALL", value: str = "ALL",
            part: str = "numerator") -> tuple:
        # The figure open data publishes it as (pipeline/open_data/coarse.py folds and merges its rows alike).
        return (metric, mv.grain, source_start, unit, dimension, value, part)

    responses = {u: add(f"responses:{u}", _count(mv, starts, "responses", u), source=src("responses", u))
                 for u in ("ALL", *CRISIS_UNITS, "CN")}
    ledger.group([responses[u] for u in CRISIS_UNITS], responses["ALL"])

    eligible = add("eligible", _count(mv, starts, "eligible_calls"), source=src("eligible_calls"))
    answered = add("answered", _count(mv, starts, "eligible_answered_rate"), source=src("eligible_answered_rate"))
    unmet = add("unmet", _count(mv, starts, "unmet_eligible_calls"), source=src("unmet_eligible_calls"))
    ledger.group([answered, unmet], eligible)
    reasons = [add(f"unmet:{c.name}", sum(_count(mv, starts, "unmet_eligible_calls", "ALL", "reason", r)
                                          for r in c.members),
                   source=src("eligible_answered_rate", "ALL", "coverage", c.name, "rest") if c.merged
                   else src("unmet_eligible_calls", "ALL", "reason", c.name))
               for c in coarse.reasons]
    ledger.group(reasons, unmet)
    ledger.group([answered, *reasons], eligible)
    for u in CRISIS_UNITS:
        by_unit = _count(mv, starts, "eligible_answered_rate", u)
        ledger.group([add(f"answered_by:{u}", by_unit, source=src("eligible_answered_rate", u)),
                      add(f"not_answered_by:{u}", ledger.cells[eligible] - by_unit,
                          source=src("eligible_answered_rate", u, part="rest"))],
                     eligible)
        # A unit answering an eligible call responded to it:
        # readers bound hidden counts with these (the FY2021-22 units table gave a "<11" back so).
        ledger.relate(f"{key}:answered_by:{u}", responses[u])

    if hour_sources:
        totals = {"eligible": eligible, "answered": answered, "unmet": unmet}
        own_hours = hour_sources == [(mv, s) for s in starts]
        if not own_hours:
            # The hour table covers more than this period: its own totals, which the pages' totals add up to.
            sources = {"eligible": "eligible_calls", "answered": "eligible_answered_rate",
                       "unmet": "unmet_eligible_calls"}
            totals = {m: ledger.add(f"{key}:{m}:hour_span", sum(_count(smv, s, metric) for smv, s in hour_sources))
                      for m, metric in sources.items()}
            ledger.group([totals["answered"], totals["unmet"]], totals["eligible"])
        by_hour: dict[str, dict[str, str]] = {m: {} for m in ("eligible", "answered", "unmet")}
        metrics = {"eligible": "eligible_calls", "answered": "eligible_answered_rate", "unmet": "unmet_eligible_calls"}
        for run in coarse.hour_bins:
            h = coarsen.bin_name(run)
            for measure, metric in metrics.items():
                hourly.append(f"{measure}:h{h}")
                by_hour[measure][h] = ledger.add(
                    f"{key}:{measure}:h{h}",
                    sum(_count(smv, s, metric, "ALL", "hour_of_day", f"{hour:02d}")
                        for smv, s in hour_sources for hour in run),
                    source=src(metric, "ALL", "hour_of_day", coarsen.bin_value(run)) if own_hours else None)
            ledger.group([by_hour["answered"][h], by_hour["unmet"][h]], by_hour["eligible"][h])
        for measure, cells in by_hour.items():
            ledger.group(cells.values(), totals[measure])

        # Eligible calls in the runs of hours HEART was never on duty, and in those it was on duty on some
        # day. (Eligible calls only: how many of them HEART answered is in the hour table, and splitting
        # that too would add totals that cost more hidden cells than they tell.)
        duty = {coarsen.bin_name(run): max(on_duty[h] for h in run) for run in coarse.hour_bins}
        off_hours = [h for h, days in duty.items() if not days]
        on_hours = [h for h, days in duty.items() if days]
        if off_hours and on_hours:
            sides = []
            for side, hours in (("off_duty", off_hours), ("on_duty", on_hours)):
                sides.append(add(f"eligible:{side}", sum(ledger.cells[by_hour["eligible"][h]] for h in hours),
                                 adds_up=False))
                ledger.group([by_hour["eligible"][h] for h in hours], sides[-1])
            ledger.group(sides, totals["eligible"])

    def rate(metric: str, unit: str, num: str, rest: str, den: str | None = None) -> None:
        n, d = _count(mv, starts, metric, unit), _denominator(mv, starts, metric, unit)
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
    for u in ("ALL", "CN"):   # distinct people do not add up: a folded period shows its own year's (see cards.py)
        add(f"people:{u}", _count(mv, starts[-1], "people_reached", u), adds_up=False,
            source=src("people_reached", u) if len(starts) == 1 else None)
    add("timed:heart", _denominator(mv, starts, "heart_response_time_median"),
        source=src("heart_response_time_median", part="denominator"))
    add("timed:police", _denominator(mv, starts, "police_response_time_median"),
        source=src("police_response_time_median", part="denominator"))
    hours = add("officer_hours", _count(mv, starts, "officer_hours_saved"), HOURS_KIND,
                source=src("officer_hours_saved"))
    ledger.depends.append((hours, f"{key}:diverted:ALL"))
    return additive, hourly


def _month_cells(ledger: Ledger, month: Month, mv: values.MetricValues, by_unit: bool) -> list[str]:
    """A month's cells: eligible calls, answered and unmet, and (`by_unit`) its responses by unit."""
    names = []

    def add(name: str, value: float, metric: str, unit: str = "ALL") -> str:
        names.append(name)
        return ledger.add(f"{month.key}:{name}", value,
                          source=(metric, mv.grain, month.source_start, unit, "ALL", "ALL", "numerator"))

    if by_unit:
        _unit_cells(ledger, month.key, [(mv, s) for s in month.starts], names, month.source_start)
    eligible = add("eligible", _count(mv, month.starts, "eligible_calls"), "eligible_calls")
    answered = add("answered", _count(mv, month.starts, "eligible_answered_rate"), "eligible_answered_rate")
    unmet = add("unmet", _count(mv, month.starts, "unmet_eligible_calls"), "unmet_eligible_calls")
    ledger.group([answered, unmet], eligible)
    return names


def _unit_cells(ledger: Ledger, key: str, sources: list[tuple[values.MetricValues, date]], names: list[str],
                source_start: date | None) -> None:
    """Responses by unit of a month or quarter (the months' rows added up), with their total. `source_start`:
    the month open data publishes them under; None for a quarter (not published there)."""
    cells = {}
    for u in ("ALL", *CRISIS_UNITS, "CN"):
        names.append(f"responses:{u}")
        mv = sources[0][0]
        cells[u] = ledger.add(f"{key}:responses:{u}", sum(_count(smv, s, "responses", u) for smv, s in sources),
                              source=("responses", mv.grain, source_start, u, "ALL", "ALL", "numerator")
                              if source_start else None)
    ledger.group([cells[u] for u in CRISIS_UNITS], cells["ALL"])


def _hours_on_duty(con: duckdb.DuckDBPyConnection, first_day: date, last_day: date) -> tuple[list[int], int]:
    rows = query_sql_file(con, "reports/council_hours_on_duty.sql",
                          {"first_day": first_day, "end_day": last_day + timedelta(days=1)})
    by_hour = {r["hour_of_day"]: int(r["days_on_duty"]) for r in rows}
    days = int(rows[0]["days_in_period"]) if rows else 0
    return [by_hour.get(h, 0) for h in range(24)], days


def public_first_day(con: duckdb.DuckDBPyConnection, first: date, launch: date, last: date) -> date:
    """The first day of the public periods: the later of the launch day and the first call record on or after
    it (exports that begin after launch), never before metric_values' `first` day, and capped at its `last`.
    Records before launch (CAD history) do not move it earlier."""
    return _first_data_day(con, max(first, launch), last)


def _first_data_day(con: duckdb.DuckDBPyConnection, first: date, last: date) -> date:
    """The first day with a call record from `first` on (sql/reports/council_first_data_day.sql); `first`
    when there is none."""
    found = query_sql_file(con, "reports/council_first_data_day.sql", {"first_day": first})[0]["first_day"]
    return min(found, last) if found is not None else first


def _coarsening(mv: dict, fiscal_years: list[Period], to_date: Period, months: list[Month],
                spans: dict[str, list[Period]], on_duty: dict[str, list[int]], program: ProgramConfig,
                threshold: int) -> Coarsening:
    """Decide the coarser tables from the counts of every page (pipeline/disclosure/coarsen.py)."""
    pages = [(mv[p.grain], p.starts) for p in [*fiscal_years, to_date]]
    reasons = coarsen.reason_categories(
        ({r: _count(pmv, starts, "unmet_eligible_calls", "ALL", "reason", r) for r in UNMET_REASONS}
         for pmv, starts in pages), threshold)
    series = []
    for period in [*fiscal_years, to_date]:
        sources = [(mv[p.grain], s) for p in spans[period.key] for s in p.starts]
        for metric in ("eligible_calls", "eligible_answered_rate", "unmet_eligible_calls"):
            if sources:
                series.append([sum(_count(smv, s, metric, "ALL", "hour_of_day", h) for smv, s in sources)
                               for h in HOURS])
    bins = coarsen.hour_bins(series, threshold, on_duty.values())
    by_month = [_count(mv["month"], m.starts, "responses", u) for m in months for u in ("ALL", *CRISIS_UNITS, "CN")]
    unit_quarters = (coarsen.quarters(months, program.fiscal_year_start_month)
                     if coarsen.any_small(by_month, threshold) else None)
    return Coarsening(reasons, bins, unit_quarters)


def load_council_data(con: duckdb.DuckDBPyConnection, program: ProgramConfig,
                      threshold: int = DEFAULT_THRESHOLD) -> CouncilData | None:
    """Everything the council pages show, with the suppression plan over all of them; None with no data."""
    all_periods = values.periods(con, "all")
    if not all_periods:
        return None
    first, end = all_periods[0]
    last = end - timedelta(days=1)
    data_first = public_first_day(con, first, program.launch_date, last)
    to_date = Period("all", first, end, data_first, last)
    # metric_values ends the current fiscal year at the data's end; the page's year is the whole
    # fiscal year (its label and partial note), with the days the data covers in data_from/data_to.
    # A fiscal year the call records do not reach (exports that begin after launch) has no page.
    fiscal_years = [Period("fiscal_year", s, s.replace(year=s.year + 1), max(s, data_first),
                           min(e - timedelta(days=1), last))
                    for s, e in values.periods(con, "fiscal_year") if e > data_first]
    months = [Month(s, e) for s, e in values.periods(con, "month") if e > data_first]
    fiscal_years, months, launch = fold_launch(fiscal_years, months)
    mv = {
        "fiscal_year": values.MetricValues.load(con, "fiscal_year", [s for p in fiscal_years for s in p.starts]),
        "all": values.MetricValues.load(con, "all", [first]),
        "month": values.MetricValues.load(con, "month", [s for m in months for s in m.starts]),
    }
    spans = hour_spans(fiscal_years)
    spans[to_date.key] = [to_date]
    on_duty, days_in_period = {}, {}
    for period in [*fiscal_years, to_date]:
        span = spans[period.key]
        if span:
            on_duty[period.key], days_in_period[period.key] = _hours_on_duty(con, span[0].data_from, span[-1].data_to)
    coarse = _coarsening(mv, fiscal_years, to_date, months, spans, on_duty, program, threshold)

    ledger = Ledger()
    full_years = [p for p in fiscal_years if not p.partial]
    for period in fiscal_years:
        ledger.ranks[period.key] = 0 if period.partial else 1 + full_years.index(period)
    ledger.ranks[to_date.key] = 2 + len(full_years)
    for span in [*months, *(coarse.unit_quarters or [])]:
        ledger.ranks[span.key] = next((ledger.ranks[p.key] for p in fiscal_years if p.start <= span.start < p.end),
                                      ledger.ranks[to_date.key])
    additive, hourly = None, []
    for period in [*fiscal_years, to_date]:
        names, hourly = _period_cells(ledger, period.key, mv[period.grain], period.starts,
                                      [(mv[p.grain], s) for p in spans[period.key] for s in p.starts],
                                      on_duty.get(period.key, [0] * 24), coarse, period.source_start)
        additive = [n for n in names if additive is None or n in additive]
    for name in additive or []:  # fiscal years add up to the program to date
        ledger.group([f"{p.key}:{name}" for p in fiscal_years], f"all:{name}")
    for name in hourly:          # so do the hour tables of the fiscal-year pages that have one
        ledger.group([f"{p.key}:{name}" for p in fiscal_years if spans[p.key]], f"all:{name}")
    for period in fiscal_years:  # a page's hour table covering two fiscal years has their totals as parts
        if len(spans[period.key]) > 1:
            for measure in ("eligible", "answered", "unmet"):
                ledger.group([f"{p.key}:{measure}" for p in spans[period.key]], f"{period.key}:{measure}:hour_span")
    spans_in_time: list[tuple[list, list[str]]] = []
    month_names: list[str] = []
    for month in months:
        month_names = _month_cells(ledger, month, mv["month"], by_unit=coarse.unit_quarters is None)
    spans_in_time.append((months, month_names))
    if coarse.unit_quarters:
        quarter_names: list[str] = []
        for quarter in coarse.unit_quarters:
            quarter_names = []
            _unit_cells(ledger, quarter.key, [(mv["month"], s) for m in quarter.months for s in m.starts],
                        quarter_names, None)
        spans_in_time.append((coarse.unit_quarters, quarter_names))
    for spans_of, names in spans_in_time:   # months (quarters) add up to their fiscal year and to the program to date
        for name in names:
            for period in fiscal_years:
                ledger.group([f"{m.key}:{name}" for m in spans_of if period.start <= m.start < period.end],
                             f"{period.key}:{name}")
            ledger.group([f"{m.key}:{name}" for m in spans_of], f"all:{name}")
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
        launch=launch, coarse=coarse,
    )
