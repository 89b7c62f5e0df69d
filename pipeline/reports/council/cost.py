"""The cost per response on a council page: the configured budget figure ([[budget]]) over HEART responses.

The page never names the configuration file: a budget's source prints without any path in it
(metric_text.no_paths), and a year with no budget figure says so in plain words.
"""

from __future__ import annotations

from pipeline.reports import metric_text
from pipeline.reports.council.base import PageBase

NO_BUDGET = ("No budget figure was provided for {what}, so the cost of a HEART response cannot be worked out "
             "here.")


class CostPerResponse(PageBase):
    """The cost card and its caveats (fiscal years with a budget figure only, partial years)."""

    def cost(self) -> dict:
        definition = {
            "metric_id": "cost_per_response", "name": "Cost per response",
            "definition": "The fiscal year's budget figure, as published by the city or the press, divided by "
                          "HEART responses in that year (Crisis Call Diversion, Community Response and Co-Response).",
            "numerator": "the budget figure published for the fiscal year, in dollars",
            "denominator": "HEART responses received in the fiscal year, all crisis-response units",
            "caveats": "Only as specific as the budget figure: a department-wide budget includes costs other than "
                       "HEART's responses, so it overstates HEART's cost per response. Program to date: the budgets "
                       "of the fiscal years that have one, over those years' responses only.",
            "period_by": "the fiscal year", "kind": "rate", "value_unit": "dollars",
        }
        base = {"metric_id": "cost_per_response", "unit": "ALL", "title": "Cost per response", "interval_text": "",
                "change_text": "", "definition": definition, "sentence": ""}
        if self.period.grain == "all":
            years = self.data.budgeted_years()
            if not years:
                return {"budgets": [], "card": {**base, "cell": "", "raw_value": "", "value_text": "No budget",
                                                "counts_text": "",
                                                "sentence": NO_BUDGET.format(what="any fiscal year in the data")}}
            amount = sum(b.amount_usd for _, b in years)
            key = "all:responses:budgeted_years"
            count_text = self.text(key)
            label = ", ".join(p.label for p, _ in years)
            scope = (f"Fiscal years with a budget figure only: {label}. ${amount:,.0f} over {count_text} responses "
                     "in those years.")
            budgets = [{"period": p, "budget": b, "source": metric_text.no_paths(b.source)} for p, b in years]
        else:
            budget = self.data.program.budget_for(self.period.start)
            if budget is None:
                return {"budgets": [], "card": {**base, "cell": "", "raw_value": "", "value_text": "No budget",
                                                "counts_text": "", "sentence": NO_BUDGET.format(what=self.period.label)}}
            amount, key = budget.amount_usd, self.key("responses:ALL")
            count_text = self.text(key)
            scope = f"${amount:,.0f} over {count_text} responses."
            budgets = [{"period": self.period, "budget": budget, "source": metric_text.no_paths(budget.source)}]
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
                    "value_text": f"${amount / responses:,.0f}", "counts_text": scope,
                    "sentence": f"Each HEART response cost about ${amount / responses:,.0f} of the budget figure "
                                f"(what that figure covers is shown below)."}
        return {"budgets": budgets, "card": card, "caveats": caveats}
