"""One council page: its sections put together, and the context the council template renders."""

from __future__ import annotations

from pipeline.disclosure.suppression import COMPLEMENTARY, PRIMARY
from pipeline.metrics import values
from pipeline.reports.council.cards import HeadlineCards
from pipeline.reports.council.cost import CostPerResponse
from pipeline.reports.council.demand import DemandAgainstCapacity
from pipeline.reports.council.trends import MonthlyTrends
from pipeline.reports.council.units import Units

# The metrics the dashboard shows, in the order their definitions are listed.
METRICS_SHOWN = (
    "responses", "eligible_calls", "eligible_answered_rate", "unmet_eligible_calls", "diversion_rate",
    "resolved_without_in_person_rate", "felt_safe_rate", "people_reached", "officer_hours_saved",
    "heart_response_time_median", "police_response_time_median",
)



class Page(HeadlineCards, Units, DemandAgainstCapacity, MonthlyTrends, CostPerResponse):
    """Builds one page's cards, tables and charts from the shared data and plan."""

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
