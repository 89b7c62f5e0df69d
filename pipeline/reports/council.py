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

Why one module of ~600 lines: the page content is one class (_Page) whose
sections (headline, trends, demand against capacity, officer-hours, cost)
share the page's period, the suppression plan and the cell and figure
helpers; split by section, each would take all of them as arguments. What the
pages print is decided elsewhere: the counts and their plan in
pipeline/disclosure/, the figures in metrics.metric_values.

Nothing finer than hour of day is printed: no beats, no call types, no day x
hour grid, no reason x hour, no record-level points.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import duckdb

# The periods, the ledger and its plan are shared with open data (pipeline/disclosure/); the names the
# council's tests use are re-exported here.
from pipeline.disclosure.ledger import COUNT_KIND, HOURS_KIND, Ledger, SuppressionPlan, plan_suppression  # noqa: F401
from pipeline.disclosure.periods import REPORT_DIR, SHORT_YEAR_DAYS, TO_DATE_FILE, Month, Period, hour_spans  # noqa: F401
from pipeline.disclosure.public_counts import CouncilData, load_council_data
from pipeline.disclosure.suppression import COMPLEMENTARY, DEFAULT_THRESHOLD, PRIMARY
from pipeline.disclosure.suppression import solvable_cells  # noqa: F401  (re-exported: the council's tests check with it)
from pipeline.metrics import values
from pipeline.program import Budget, ProgramConfig
from pipeline.reports import charts, metric_text, render
from pipeline.reports.charts import Table
from pipeline.vocabulary import CRISIS_UNITS, HEART_UNIT_NAMES, HOURS, UNMET_REASON_LABELS

# The metrics the dashboard shows, in the order their definitions are listed.
METRICS_SHOWN = (
    "responses", "eligible_calls", "eligible_answered_rate", "unmet_eligible_calls", "diversion_rate",
    "resolved_without_in_person_rate", "felt_safe_rate", "people_reached", "officer_hours_saved",
    "heart_response_time_median", "police_response_time_median",
)


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
