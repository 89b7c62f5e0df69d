"""The units table of a council page: responses and eligible calls answered, by crisis-response unit."""

from __future__ import annotations

from pipeline.reports import metric_text
from pipeline.reports.council.base import Cell, PageBase, table_of
from pipeline.vocabulary import CRISIS_UNITS, HEART_UNIT_NAMES


class Units(PageBase):
    """Responses and eligible calls answered by each unit."""

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
        table, cells = table_of(["Unit", "Responses", "Eligible calls answered", "Share of eligible calls answered"],
                              rows, note="A call answered by two units counts once for each unit and once in the "
                                         "all-units row. Shares are not shown where a count behind them is hidden.")
        return {"table": table, "cells": cells}
