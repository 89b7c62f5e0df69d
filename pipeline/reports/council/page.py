"""One council page: its sections put together, and the context the council template renders."""

from __future__ import annotations

from pipeline.disclosure.suppression import COMPLEMENTARY, PRIMARY
from pipeline.metrics import values
from pipeline.reports import metric_text
from pipeline.reports.council.base import public_pages
from pipeline.reports.council.cards import HeadlineCards
from pipeline.reports.council.cost import CostPerResponse
from pipeline.reports.council.demand import DemandAgainstCapacity
from pipeline.reports.council.trends import MonthlyTrends
from pipeline.reports.council.units import Units
# The downloadable definitions, written beside the pages (pipeline/reports/council/__init__.py).
DEFINITIONS_FILE = "metric_definitions.csv"
# What each definition field is called on the public page and in the CSV, in order.
DEFINITION_FIELDS = (("name", "Figure"), ("definition", "What it means"), ("numerator", "What is counted"),
                     ("denominator", "Out of"), ("period_by", "Dated by"), ("caveats", "Caveats"))

# The metrics the dashboard shows, in the order their definitions are listed.
METRICS_SHOWN = (
    "responses", "eligible_calls", "eligible_answered_rate", "unmet_eligible_calls", "diversion_rate",
    "resolved_without_in_person_rate", "felt_safe_rate", "people_reached", "officer_hours_saved",
    "heart_response_time_median", "police_response_time_median",
)


def public_definition(d: dict) -> dict:
    """A metric definition in plain words: no table, column, file or metric id (metric_text.public_text)."""
    plain = {field: metric_text.public_text(str(d.get(field) or "")) for field, _ in DEFINITION_FIELDS}
    for field in ("numerator", "denominator"):
        if plain[field].startswith("none"):
            plain[field] = ""       # a count or a median: nothing is divided
    return {"metric_id": d["metric_id"], "kind": d.get("kind", ""), **plain}


def public_definitions(data) -> list[dict]:
    """Every metric a council page publishes (cost per response included), in plain words."""
    rows = [public_definition(data.definitions[m]) for m in METRICS_SHOWN if m in data.definitions]
    if data.heart_log_loaded:
        # The cost card carries its own definition (it is not a metric_values metric).
        rows.append(public_definition(CostPerResponse(data, data.to_date).cost()["card"]["definition"]))
    return rows


class Page(HeadlineCards, Units, DemandAgainstCapacity, MonthlyTrends, CostPerResponse):
    """Builds one page's cards, tables and charts from the shared data and plan."""

    def context(self) -> dict:
        parts = {"cards": self.cards(), "units": self.units_table(), "demand": self.demand(),
                 "months": self.months(), "cost": self.cost()}
        launch = None
        if self.launch is not None:
            # The launch days are this page's own counts now (periods.fold_launch): only their dates are said.
            launch = {"period": self.launch, "days": (self.launch.data_to - self.launch.data_from).days + 1,
                      "first_month": self.months_shown()[0].label if self.months_shown() else ""}
        return {
            "period": self.period,
            "pages": [{"label": p.label, "href": p.file_name, "current": p == self.period}
                      for p in public_pages(self.data)],
            "launch": launch,
            "trend_text": self.trend_text,
            "definitions_file": DEFINITIONS_FILE,
            "definition_fields": DEFINITION_FIELDS,
            "program_name": self.data.program.name,
            "threshold": self.t,
            "heart_log_loaded": self.data.heart_log_loaded,
            "no_heart_log": values.NO_HEART_LOG,
            **parts,
            "definitions": public_definitions(self.data),
            # Every count this page prints (ledger key -> text), and how many of them are hidden and why.
            "published": dict(self.published),
            "hidden_here": {why: sum(1 for k in self.published if self.plan.hidden.get(k) == why)
                            for why in (PRIMARY, COMPLEMENTARY)},
            "plan": self.plan,
        }
