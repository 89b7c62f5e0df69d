"""Demand against capacity on a council page: where eligible calls went, by hour of day, on and off duty."""

from __future__ import annotations

from pipeline.disclosure.periods import Period
from pipeline.reports import charts, metric_text
from pipeline.reports.council.base import Cell, Figure, PageBase, bands, bands_text, pct, table_of
from pipeline.disclosure import coarsen
from pipeline.vocabulary import UNMET_REASON_LABELS


# What each published reason (coarsen.reason_categories) says in the demand section's sentence.
REASON_PHRASES = {
    "outside_service_hours": "came in outside the service hours in force that day",
    "outside_service_area": "came from outside the service area during service hours",
    "outside_coverage": "came in outside the service hours in force that day or from outside the service area",
    "no_team_free": "found every in-person team busy",
    "not_routed": "were not sent to HEART although a team was free",
    "in_coverage": "came in during service hours from inside the service area but were not answered (every "
                   "in-person team was busy, or the call was not sent to HEART)",
}
# The reasons 24-hour citywide service would take on, in the off-duty sentence.
OUTSIDE_PHRASES = {
    "outside_service_hours": "because they came in outside service hours",
    "outside_service_area": "because they came from outside the service area",
    "outside_coverage": "because they came in outside service hours or from outside the service area",
}


class DemandAgainstCapacity(PageBase):
    """Answered and unmet calls by reason, the hour-of-day table and chart, the on/off-duty split."""

    def demand(self) -> dict:
        eligible = self.key("eligible")
        categories = [("Answered by HEART", "answered")] + [(c.label, f"unmet:{c.name}") for c in self.reasons]
        e_value = self.plan.cells[eligible]
        rows = []
        for label, name in categories:
            key = self.key(name)
            share = pct(self.plan.cells[key], e_value) if self.plan.visible(key, eligible) else "—"
            rows.append([Cell(label), self.cell(name), Cell(share)])
        rows.append([Cell("All eligible calls"), self.cell("eligible"), Cell("100%" if e_value else "—")])
        table, cells = table_of(
            ["Eligible calls", "Calls", "Share of eligible calls"], rows,
            note="Every eligible call is either answered or unmet for exactly one reason, the first that applies. "
                 + self.merged_reasons_note()
                 + metric_text.public_text(self.definition("unmet_eligible_calls")["caveats"]))
        where = charts.bar_chart(
            "where-calls-went", "Eligible calls: answered, and unmet by reason",
            f"Each eligible call in {self.period_phrase()}, answered by a HEART crisis-response unit or, if not, "
            "the first reason that applies. " + self.merged_reasons_note() + "Hidden counts are left out of the chart.",
            [c for c, _ in categories], [("Calls", [self.plan.value(self.key(n)) for _, n in categories])],
            axis_y="Eligible calls", table=table, horizontal=True, height=300,
            value_text=[[self.text(self.key(n)) if self.plan.visible(self.key(n)) else "" for _, n in categories]])
        return {"where": Figure(where, cells), "hours": self.hours_figure(), "duty": self.duty_table(),
                "facts": self.demand_facts()}

    @property
    def reasons(self) -> list:
        return self.data.coarse.reasons

    @property
    def hour_bins(self) -> list[tuple[int, ...]]:
        return self.data.coarse.hour_bins

    def duty_by_hour(self) -> list[int]:
        """Days on duty for each hour 0-23 as the tables count them: an hour shown with its neighbours has
        the most days any hour of its run was covered (the on/off-duty split is by runs)."""
        on_duty = self.data.on_duty.get(self.k, [])
        out = list(on_duty)
        for run in self.hour_bins if on_duty else []:
            for h in run:
                out[h] = max(on_duty[x] for x in run)
        return out

    def merged_reasons_note(self) -> str:
        """Which reasons are shown together, and why, in words (the same on every page)."""
        merged = [c for c in self.reasons if c.merged]
        if not merged:
            return ""
        parts = "; ".join(f"\u201c{c.label}\u201d is {' and '.join(UNMET_REASON_LABELS[r][:1].lower() + UNMET_REASON_LABELS[r][1:] for r in c.members)}"
                          for c in merged)
        return (f"Some reasons are shown together on every page ({parts}): on at least one page one of them "
                f"is fewer than {self.t} calls, and shown apart it would have to be hidden together with a large "
                "figure beside it. ")

    def merged_hours_note(self) -> str:
        runs = [coarsen.bin_label(b) for b in self.hour_bins if len(b) > 1]
        if not runs:
            return ""
        return (f"Neighbouring hours are shown together ({', '.join(runs)}) on every page: on at least one page an "
                f"hour on its own holds fewer than {self.t} answered or unanswered calls. HEART on duty for those "
                "hours: the most days any of them was covered. ")

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
        extra = " and ".join(f"the {(p.data_to - p.data_from).days + 1} "
                             f"days of {p.label}, "
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
        for run in self.hour_bins:
            h = coarsen.bin_name(run)
            covered = max(on_duty[hour] for hour in run)
            duty = ("never" if covered == 0 else "every day" if min(on_duty[hour] for hour in run) == days
                    else f"{covered:,} of {days:,} days")
            rows.append([Cell(coarsen.bin_label(run)), Cell(duty), self.cell(f"eligible:h{h}"),
                         self.cell(f"answered:h{h}"), self.cell(f"unmet:h{h}")])
        rows.append([Cell("All hours"), Cell(""), *[self.cell(key=self.span_key(m))
                                                    for m in ("eligible", "answered", "unmet")]])
        # Without a HEART log, answered and not answered are unknown: eligible calls only (the CAD side).
        heart = self.data.heart_log_loaded
        measures = ("answered", "unmet") if heart else ("eligible",)
        if not heart:
            rows = [row[:3] for row in rows]
        table, cells = table_of(["Hour (local)", "HEART on duty", "Eligible calls", "Answered by HEART", "Not answered"]
                              [:5 if heart else 3],
                              rows, note="Hour 00 is midnight to 1am. HEART on duty: on how many days the service "
                                         "hours in force covered at least part of that hour. "
                                         + self.merged_hours_note() + self.span_note())
        names = {"answered": "Answered by HEART", "unmet": "Not answered", "eligible": "Eligible calls"}
        hour_names = [coarsen.bin_name(b) for b in self.hour_bins]
        chart = charts.bar_chart(
            "eligible-by-hour", "Eligible calls by hour of day, against the hours HEART was on duty",
            f"Eligible calls received in each hour of the day over {self.span_phrase()}"
            + (", answered by HEART or not. " if heart else ". ")
            + "Shaded: hours when HEART was never on duty, so no eligible call then could be answered in person. "
            + self.merged_hours_note() + "Hidden counts are left out of the chart.",
            [coarsen.bin_label(b) for b in self.hour_bins],
            [(names[m], [self.plan.value(self.key(f"{m}:h{h}")) for h in hour_names]) for m in measures],
            axis_x="Hour of day the call came in (local time)", axis_y="Eligible calls", stacked=True, table=table,
            value_text=[[self.text(self.key(f"{m}:h{h}")) if self.plan.visible(self.key(f"{m}:h{h}")) else ""
                         for h in hour_names] for m in measures], height=380)
        shapes, notes = [], []
        for band in bands([max(on_duty[h] for h in b) for b in self.hour_bins]):
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
        on_duty = self.duty_by_hour()
        total = self.span_key("eligible")
        eligible = self.plan.cells[total]
        rows = []
        for side, label in (("off_duty", f"Never on duty: {bands_text(on_duty, False)}"),
                            ("on_duty", f"On duty on some or all days: {bands_text(on_duty, True)}")):
            e_key = self.key(f"eligible:{side}")
            share = pct(self.plan.cells[e_key], eligible) if self.plan.visible(e_key, total) else "—"
            rows.append([Cell(label), self.cell(f"eligible:{side}"), Cell(share)])
        rows.append([Cell("All hours"), self.cell(key=total), Cell("100%" if eligible else "—")])
        table, cells = table_of(["Hours of the day (local)", "Eligible calls", "Share of eligible calls"], rows,
                              note="Calls in hours HEART was on duty can still go unanswered: on days it was not on "
                                   "duty at that hour, from outside the service area, or with every team busy; the "
                                   "reasons are above. " + self.span_note())
        return {"table": table, "cells": cells}

    def demand_facts(self) -> dict:
        on_duty = self.duty_by_hour()
        facts = {"off_bands": bands_text(on_duty, False) if on_duty else "",
                 "span": self.span_phrase() if self.span else "",
                 "span_note": self.span_note(),
                 "has_off_duty": self.key("eligible:off_duty") in self.plan.cells,
                 "never_on_duty": bool(on_duty) and not any(on_duty),
                 "reasons": [{"cell": self.cell(f"unmet:{c.name}"), "phrase": REASON_PHRASES[c.name]}
                             for c in self.reasons],
                 "outside": [{"cell": self.cell(f"unmet:{c.name}"), "phrase": OUTSIDE_PHRASES[c.name]}
                             for c in self.reasons if c.name in OUTSIDE_PHRASES],
                 "unmet": self.cell("unmet"), "eligible": self.cell("eligible")}
        if facts["has_off_duty"]:
            off_key, total = self.key("eligible:off_duty"), self.span_key("eligible")
            facts.update(off_eligible=self.cell("eligible:off_duty"),
                         off_share=(pct(self.plan.cells[off_key], self.plan.cells[total])
                                    if self.plan.visible(off_key, total) else ""))
        return facts
