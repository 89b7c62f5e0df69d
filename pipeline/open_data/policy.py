"""What is public and what adds up: the published breakdowns, the additive relations, the ledger's cells.

The rules are explained in pipeline/open_data/__init__.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from pipeline.vocabulary import CRISIS_UNITS


GRAINS = ("month", "fiscal_year", "all")
BY_YEAR = ("fiscal_year", "all")
SMALL = "small count"
COMPLEMENT = "complementary"
HOURS_DECIMALS = 1

# metric_id -> breakdown -> the grains it is published at. A metric or breakdown not listed is
# not exported: a new one needs its additive relations modelled below before it is public.
PUBLIC_BREAKDOWNS: dict[str, dict[str, tuple[str, ...]]] = {
    "eligible_calls": {"ALL": GRAINS, "weekday": GRAINS, "call_type": GRAINS, "hour_of_day": BY_YEAR},
    "eligible_in_coverage": {"ALL": GRAINS, "call_type": GRAINS, "hour_of_day": BY_YEAR},
    "eligible_answered_rate": {"ALL": GRAINS, "coverage": GRAINS, "call_type": GRAINS, "hour_of_day": BY_YEAR},
    "unmet_eligible_calls": {"ALL": GRAINS, "reason": GRAINS, "hour_of_day": BY_YEAR},
    "responses": {"ALL": GRAINS, "contact_mode": GRAINS, "hour_of_day": BY_YEAR},
    "outcome_share": {"outcome": GRAINS},
    "diversion_rate": {"ALL": GRAINS},
    "officer_hours_saved": {"ALL": GRAINS},
    "resolved_without_in_person_rate": {"ALL": GRAINS},
    "felt_safe_rate": {"ALL": GRAINS},
    "police_backup_rate": {"ALL": GRAINS},
    "people_reached": {"ALL": GRAINS},
    "care_nav_followup_48h_rate": {"ALL": GRAINS},
    "heart_response_time_median": {"ALL": GRAINS},
    "heart_response_time_p90": {"ALL": GRAINS},
    "police_response_time_median": {"ALL": GRAINS},
    "police_response_time_p90": {"ALL": GRAINS},
}
# Breakdowns that split the ALL row: metric -> breakdowns whose values add up to it.
PARTITIONS = {
    "eligible_calls": ("weekday", "call_type", "hour_of_day"),
    "eligible_in_coverage": ("call_type", "hour_of_day"),
    "eligible_answered_rate": ("coverage", "call_type", "hour_of_day"),
    "unmet_eligible_calls": ("reason", "hour_of_day"),
    "responses": ("contact_mode", "hour_of_day"),
}
# Rates with two outcomes: denominator - numerator is a count of its own.
BINARY_RATES = ("eligible_answered_rate", "diversion_rate", "felt_safe_rate", "police_backup_rate",
                "resolved_without_in_person_rate", "care_nav_followup_48h_rate")
# Metrics whose units add up to ALL: metric -> the units that do (None: every unit but ALL).
UNIT_SUMS: dict[str, tuple[str, ...] | None] = {
    "responses": CRISIS_UNITS, "outcome_share": CRISIS_UNITS, "felt_safe_rate": None, "police_backup_rate": None,
}
NOT_ADDITIVE_OVER_TIME = ("people_reached",)
# Where complements are taken first (low first): the finest cells of the shortest periods.
GRAIN_RANK = {"month": 1, "quarter": 2, "fiscal_year": 3, "all": 5}

TABLES = ("metric_values", "eligible_calls_monthly", "police_time_by_call_type")


def canonical(metric: str, unit: str, dimension: str, value: str, part: str) -> tuple[str, str, str, str, str]:
    """The metric_values figure a (metric, unit, breakdown, part) count is the same count as.

    part: numerator, denominator or rest (denominator - numerator). The same
    count published under two metrics must be one cell, or hiding it in one
    place and showing it in the other would go unnoticed.
    """
    if metric == "eligible_answered_rate":
        if part == "denominator":
            if dimension == "ALL":                       # every unit: of all eligible calls
                return "eligible_calls", "ALL", "ALL", "ALL", "numerator"
            if dimension == "coverage" and value == "in_coverage":
                return "eligible_in_coverage", "ALL", "ALL", "ALL", "numerator"
            if dimension in ("hour_of_day", "call_type"):
                return "eligible_calls", "ALL", dimension, value, "numerator"
        if part == "rest" and unit == "ALL" and dimension in ("ALL", "hour_of_day"):
            return "unmet_eligible_calls", "ALL", dimension, value, "numerator"
    if metric == "resolved_without_in_person_rate" and part == "denominator":
        return "responses", "CCD", "ALL", "ALL", "numerator"
    if metric == "officer_hours_saved" and part == "denominator":
        return "diversion_rate", "ALL", "ALL", "ALL", "numerator"
    if metric.endswith("_p90") and part == "denominator":
        return metric.removesuffix("_p90") + "_median", unit, dimension, value, part
    if metric == "police_backup_rate" and part == "denominator" and unit != "ALL":
        return "responses", unit, "contact_mode", "in_person", "numerator"
    if metric == "outcome_share" and part == "denominator":   # one per unit, repeated on every outcome's row
        return metric, unit, dimension, "ALL", part
    return metric, unit, dimension, value, part


def mv_key(metric: str, grain: str, start: date, unit: str, dimension: str, value: str, part: str) -> str:
    """The ledger key of a metric_values count, after `canonical`."""
    metric, unit, dimension, value, part = canonical(metric, unit, dimension, value, part)
    return "|".join(("mv", metric, grain, start.isoformat(), unit, dimension, value, part))


def _parse(key: str) -> tuple | None:
    parts = key.split("|")
    return tuple(parts[1:]) if parts[0] == "mv" else None


@dataclass
class ExportLedger:
    """Every count the open data (and the council dashboard) publishes, and every published total."""

    cells: dict[str, float] = field(default_factory=dict)
    not_counts: set[str] = field(default_factory=set)
    ranks: dict[str, float] = field(default_factory=dict)
    groups: list[tuple[tuple[str, ...], str]] = field(default_factory=list)
    depends: list[tuple[str, str]] = field(default_factory=list)
    at_most: list[tuple[str, str]] = field(default_factory=list)   # (a, b): a <= b, known to readers
    _seen: set = field(default_factory=set)

    def cell(self, key: str, value: float, *, count: bool = True, rank: float = 0) -> str:
        """Add a cell, or check that a count published twice is the same number both times."""
        value = float(value or 0)
        if key in self.cells:
            if not _same(self.cells[key], value):
                raise ValueError(f"open data: {key} is {self.cells[key]} in one place and {value} in another")
            return key
        self.cells[key] = value
        self.ranks[key] = rank
        if not count:
            self.not_counts.add(key)
        return key

    def relate(self, smaller: str, larger: str) -> None:
        """smaller <= larger is known to a reader (where the data keeps it)."""
        if self.cells[smaller] <= self.cells[larger]:
            self.at_most.append((smaller, larger))

    def group(self, parts, total: str | None) -> None:
        """sum(parts) == total is published. Cells with no row are known zeros and left out."""
        parts = tuple(sorted({p for p in parts if p in self.cells}))
        present = total is not None and total in self.cells
        total_value = self.cells[total] if present else 0.0
        if not _same(sum(self.cells[p] for p in parts), total_value):
            raise ValueError(f"open data: {parts} do not add up to {total} "
                             f"({sum(self.cells[p] for p in parts)} != {total_value})")
        if not present or not parts or (frozenset(parts), total) in self._seen:
            return
        self._seen.add((frozenset(parts), total))
        self.groups.append((parts, total))


def _same(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-6 * max(1.0, abs(a), abs(b))


def _rank(grain: str, dimension: str, part: str) -> float:
    return GRAIN_RANK[grain] + (1 if dimension == "ALL" else 0) + (0.5 if part == "rest" else 0)
