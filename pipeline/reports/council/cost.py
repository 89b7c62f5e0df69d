"""The cost per response on a council page: the budget of config/program.toml over HEART responses."""

from __future__ import annotations

from pipeline.reports.council.base import PageBase


class CostPerResponse(PageBase):
    """The cost card and its caveats (fiscal years with a budget figure only, partial years)."""

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
