"""The council budget dashboard (public): one page per fiscal year, one for the program to date.

Every figure is a metric_values row (grains `fiscal_year`, `all` and, for the
trends, `month`); the only other inputs are the hours HEART was on duty
(marts.program_days, sql/reports/council_hours_on_duty.sql) and the budget
figures of config/program.toml ([[budget]]).

The pages are public, so every count goes through pipeline/disclosure/ (shared with open data):

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
  complement order and this check) lives in pipeline/disclosure/, shared with
  the open-data exports (pipeline/open_data/), which plan their own suppression
  around this dashboard's: both are public.
* A rate, interval, median, officer-hours figure or cost per response is shown
  only when every count behind it is (rate x denominator gives the count
  back); otherwise the page prints the counts in "<11" form and no number.
  Charts plot hidden cells as gaps, never as values.
* A short partial fiscal year (fewer than SHORT_YEAR_DAYS days of data, such
  as the days between launch and the first 1 July) has too few calls to break
  down by hour: its hours are shown in the neighbouring fiscal year's hour
  table, which says so, instead of costing another page its whole hour table.

The package, one module per part of a page: base.py (the page's period, the plan and the cell
helpers every section shares), cards.py (the headline cards), units.py (the units table), demand.py
(demand against capacity: reasons, hour of day, on and off duty), trends.py (monthly trends), cost.py
(cost per response) and page.py (the sections put together into the template's context). This
module loads the data (pipeline/disclosure/public_counts.py) and writes the pages. What the pages
print is decided elsewhere: the counts and their plan in pipeline/disclosure/, the figures in
metrics.metric_values.

The pages speak a resident's language: each headline card has one sentence saying what its number
means, the definitions (plain words, metric_text.public_text) are at the bottom and in
metric_definitions.csv, no text names a file, table or column, and every monthly trend carries the
program's dated changes (milestones.py). A first fiscal year under a quarter long has no page: its
days are the next page's "launch days" (base.launch_years); its ledger cells are unchanged.

Nothing finer than hour of day is printed: no beats, no call types, no day x
hour grid, no reason x hour, no record-level points.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from pathlib import Path

import duckdb

# The periods, the ledger and its plan are shared with open data (pipeline/disclosure/); the names the
# council's tests use are re-exported here.
from pipeline.disclosure.ledger import COUNT_KIND, HOURS_KIND, Ledger, SuppressionPlan, plan_suppression  # noqa: F401
from pipeline.disclosure.periods import REPORT_DIR, SHORT_YEAR_DAYS, TO_DATE_FILE, Month, Period, hour_spans  # noqa: F401
from pipeline.disclosure.public_counts import CouncilData, load_council_data
from pipeline.disclosure.redaction import neutralise_csv_cell
from pipeline.disclosure.suppression import DEFAULT_THRESHOLD
from pipeline.disclosure.suppression import solvable_cells  # noqa: F401  (re-exported: the council's tests check with it)
from pipeline.program import ProgramConfig
from pipeline.reports import render
from pipeline.reports.council.base import Cell, Figure, launch_years, public_pages  # noqa: F401
from pipeline.reports.council.impact import impact_section
from pipeline.reports.council.page import (DEFINITIONS_FILE, DEFINITION_FIELDS, METRICS_SHOWN, Page,  # noqa: F401
                                           public_definitions)
from pipeline.reports.council.scenarios import scenario_section
from pipeline.vocabulary import HOURS  # noqa: F401  (re-exported: the council's tests use it)


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
    return Page(data, data.page(period_start, grain)).context()


def write_council_page(reports_dir: Path, data: CouncilData, period: Period, built_at: datetime,
                       scenarios: dict | None = None, impact: dict | None = None) -> tuple[Path, dict]:
    """Render one council page from loaded data; returns the file and the context it was rendered with.
    The expansion scenarios (council/scenarios.py) and the impact estimates (council/impact.py) show on the
    program-to-date page: both are about the whole history, not one fiscal year."""
    to_date = period.grain == "all"
    context = {**Page(data, period).context(), "scenarios": scenarios if to_date else None,
               "impact": impact if to_date else None}
    title = ("HEART council dashboard: program to date" if period.grain == "all"
             else f"HEART council dashboard: {period.label}")
    meta = render.ReportMeta("council", title, period.data_from, period.data_to, built_at)
    return render.render_report(reports_dir, period.path, "council.html", meta, **context), context


def definitions_csv(data: CouncilData) -> str:
    """metric_definitions.csv: one row per figure the council pages publish, in the pages' plain words.

    Generated from the metric headers (sql/metrics/, read through metrics.metric_definitions) and the
    cost card's definition in code, never typed here. Cells go through the open-data files' formula
    rule (pipeline/disclosure/redaction.py), so a spreadsheet shows them as text rather than running them.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["metric_id", *(title for _, title in DEFINITION_FIELDS)])
    for d in public_definitions(data):
        cells = [d["metric_id"], *(d[field] for field, _ in DEFINITION_FIELDS)]
        writer.writerow([neutralise_csv_cell(c) for c in cells])
    return out.getvalue()


def write_council_dashboards(con: duckdb.DuckDBPyConnection, reports_dir: Path, program: ProgramConfig,
                             built_at: datetime, threshold: int = DEFAULT_THRESHOLD) -> list[Path]:
    """Write council/council-fy<YYYY>-<YY>.html for each fiscal year (a short launch year folded into the
    next), council/council-to-date.html and council/metric_definitions.csv (linked from every page);
    returns the pages."""
    data = load_council_data(con, program, threshold)
    if data is None:
        return []
    section, impact = scenario_section(con, threshold), impact_section(con, threshold)
    written = [write_council_page(reports_dir, data, period, built_at, section, impact)[0]
               for period in public_pages(data)]
    folder = reports_dir / REPORT_DIR
    definitions = folder / DEFINITIONS_FILE
    render.write_atomic(definitions, definitions_csv(data))
    # A page from an earlier build that is no longer written (a launch year now folded into the next)
    # would stay on the index and keep stale figures: the council folder holds only this build's pages.
    for stale in set(folder.glob("council-*.html")) - set(written):
        stale.unlink()
    return written          # the HTML reports (the definitions file sits beside them, linked from each)
