"""The monthly trends of a council page: eligible calls, share answered and responses by month."""

from __future__ import annotations

from pipeline.disclosure.periods import Month
from pipeline.reports import charts, metric_text
from pipeline.reports.charts import Table
from pipeline.reports.council import milestones
from pipeline.reports.council.base import Cell, Figure, PageBase, table_of
from pipeline.vocabulary import CRISIS_UNITS, HEART_UNIT_NAMES


class MonthlyTrends(PageBase):
    """The month-by-month charts and tables of the page's period."""

    trend_text = ""

    def month_label(self, m: Month) -> str:
        return f"{m.label} (with launch days)" if getattr(m, "folded", ()) else m.label

    def share_row(self, m: Month) -> dict | None:
        """The month's share answered; for a month with the launch days folded in, from its own counts (no
        interval: metric_values computes intervals for its own periods only)."""
        row = self.data.mv["month"].row("eligible_answered_rate", m.start)
        if not m.folded or row is None:
            return row
        n, d = self.plan.cells[f"{m.key}:answered"], self.plan.cells[f"{m.key}:eligible"]
        return {**row, "numerator": n, "denominator": d, "value": n / d if d else None, "ci_low": None,
                "ci_high": None}

    def months(self) -> list[Figure]:
        months = self.months_shown()
        if not months:
            return []
        shown = milestones.in_months(milestones.milestones(self.data.program), months)
        changes = milestones.column(shown, months)
        figures = self.month_figures(months)
        quarters = self.data.quarters_of(self.period)
        for figure in figures:
            # The responses by unit may be by quarter (units_over_time): their bars are quarters.
            spans = quarters if figure.chart.chart_id == "monthly-responses" and quarters else months
            milestones.mark(figure.chart, shown, spans)
            figure.chart.table.columns.append("Program change")
            for row, cells, change in zip(figure.chart.table.rows, figure.cells,
                                          [*(changes if spans is months else milestones.column(shown, spans)), ""]):
                row.append(change)
                cells.append(Cell(change))
        shares = [self.share_row(m) for m in months]
        visible = [r["value"] if r is not None and r["denominator"] and self.plan.visible(
            f"{m.key}:answered", f"{m.key}:unmet", f"{m.key}:eligible") else None for r, m in zip(shares, months)]
        self.trend_text = milestones.jump_sentence(shown, months, visible if self.data.heart_log_loaded
                                                   else [None] * len(months))
        return figures

    def month_figures(self, months: list[Month]) -> list[Figure]:
        mv, d = self.data.mv["month"], self.definition("eligible_answered_rate")
        labels = [self.month_label(m) for m in months]

        def mkey(m: Month, name: str) -> str:
            return f"{m.key}:{name}"

        shares, lows, highs, rows = [], [], [], []
        for m in months:
            row = self.share_row(m)
            ok = row is not None and row["denominator"] and self.plan.visible(
                mkey(m, "answered"), mkey(m, "unmet"), mkey(m, "eligible"))
            shares.append(row["value"] if ok else None)
            lows.append(row["ci_low"] if ok else None)
            highs.append(row["ci_high"] if ok else None)
            interval = metric_text.interval_text(row, d).removeprefix("95% interval ") if ok else ""
            share_text = (f"{metric_text.format_value(row, d)}" + (f" ({interval})" if interval else "")) if ok else "—"
            rows.append([Cell(self.month_label(m))] + [self.cell(key=mkey(m, n))
                                           for n in ("eligible", "answered", "unmet")] + [Cell(share_text)])
        rows.append([Cell(f"{self.period.label} total"), self.cell("eligible"), self.cell("answered"),
                     self.cell("unmet"), Cell("")])
        note = ("The first and last months can be partial: they hold only the days the data covers. "
                + (f"The launch days ({self.launch.data_from:%-d %b} to {self.launch.data_to:%-d %b %Y}) are in the "
                   f"first month and in this fiscal year's total. " if self.launch is not None else "")
                + "Shares are not shown where a count behind them is hidden.")
        table, cells = table_of(["Month", "Eligible calls", "Answered by HEART", "Not answered",
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
        units = self.units_over_time(months, note.split("Shares")[0].strip())
        if not self.data.heart_log_loaded:
            return [self.eligible_months(months)]
        # The share answered first: it is the trend a reader looks for (and the print summary's one chart).
        return [Figure(share, [[Cell(r[0].text), r[4]] for r in rows[:-1]]), Figure(demand, cells), units]

    def units_over_time(self, months: list[Month], note: str) -> Figure:
        """Responses by unit, by month, or by quarter where a month's unit count is small on some page
        (pipeline/disclosure/coarsen.py): the same on every page."""
        quarters = self.data.quarters_of(self.period)
        spans = quarters or months
        by = "quarter" if quarters else "month"
        labels = [q.label + (" (with launch days)" if any(m.folded for m in q.months) else "") for q in quarters] \
            if quarters else [self.month_label(m) for m in months]
        rows = []
        for label, span in zip(labels, spans):
            rows.append([Cell(label)] + [self.cell(key=f"{span.key}:responses:{u}") for u in (*CRISIS_UNITS, "ALL", "CN")])
        rows.append([Cell(f"{self.period.label} total")] + [self.cell(f"responses:{u}")
                                                            for u in (*CRISIS_UNITS, "ALL", "CN")])
        by_quarter = (f"Responses by unit are shown by quarter (three months of the fiscal year) on every page: in at "
                      f"least one month a unit made fewer than {self.t} responses, and shown by month that count "
                      "would have to be hidden together with larger ones. ") if quarters else ""
        note = by_quarter + note
        table, cells = table_of(
            [by.capitalize(), *[HEART_UNIT_NAMES[u] for u in CRISIS_UNITS], "All crisis-response units",
             "Care Navigation follow-ups"], rows, note=note)
        # On the chart a folded quarter is marked "*" and the caption says why: eight quarters labelled
        # "... (with launch days)" leave a phone-width plot no room and plotly fails to draw it.
        folded = " (with launch days)"
        marked = [label.replace(folded, "*") for label in labels] if quarters else labels
        star = ("* with the launch days before the first fiscal year. " if quarters and marked != labels else "")
        chart = charts.bar_chart(
            "monthly-responses", f"HEART responses by {by} and unit",
            f"Responses each {by} by the three crisis-response units. Care Navigation follow-ups are in the table. "
            + by_quarter + star + "Hidden counts are gaps.",
            marked, [(HEART_UNIT_NAMES[u], [self.plan.value(f"{s.key}:responses:{u}") for s in spans])
                     for u in CRISIS_UNITS],
            axis_x=by.capitalize(), axis_y="Responses", table=table,
            value_text=[[self.text(f"{s.key}:responses:{u}") if self.plan.visible(f"{s.key}:responses:{u}")
                         else "" for s in spans] for u in CRISIS_UNITS])
        return Figure(chart, cells)

    def eligible_months(self, months: list[Month]) -> Figure:
        """Eligible calls by month alone (the CAD side), for a page with no HEART log loaded."""
        rows = [[Cell(self.month_label(m)), self.cell(key=f"{m.key}:eligible")] for m in months]
        rows.append([Cell(f"{self.period.label} total"), self.cell("eligible")])
        table, cells = table_of(["Month", "Eligible calls"], rows,
                              note="The first and last months can be partial: they hold only the days the data covers.")
        chart = charts.bar_chart(
            "monthly-demand", "Eligible calls by month",
            "Eligible calls received each month. Hidden counts are gaps.",
            [self.month_label(m) for m in months], [("Eligible calls", [self.plan.value(f"{m.key}:eligible") for m in months])],
            axis_x="Month", axis_y="Eligible calls", table=table,
            value_text=[[self.text(f"{m.key}:eligible") if self.plan.visible(f"{m.key}:eligible") else ""
                         for m in months]])
        return Figure(chart, cells)
