"""The ledger of published counts (cells) and totals (groups), and its suppression plan.

Every count printed anywhere on a public page is a cell; every printed total a
group (parts and total). plan_suppression hides the small counts and enough
others that none can be worked out from the totals (pipeline/disclosure/suppression.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.disclosure.suppression import DEFAULT_THRESHOLD, plan, shown

HOURS_KIND = "hours"
COUNT_KIND = "count"


@dataclass
class Ledger:
    """Every count the council pages publish (cells), and every published total (groups).

    A group is (parts, total): sum(parts) == total is printed somewhere, so a
    reader who sees all but one of its cells can work the last one out.
    """

    cells: dict[str, float] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=dict)
    groups: list[tuple[tuple[str, ...], str]] = field(default_factory=list)
    # (cell, cell it gives away): hide the first whenever the second is hidden.
    depends: list[tuple[str, str]] = field(default_factory=list)
    # (a, b): a <= b, a relation between metrics a reader knows (a unit's eligible calls answered
    # never exceed its responses). Added only where the data keeps it.
    at_most: list[tuple[str, str]] = field(default_factory=list)
    # Where complements go first: the rank of each period prefix ("fy2022-23", "m2022-07", "all"), low first.
    ranks: dict[str, int] = field(default_factory=dict)
    # The metric_values figure each cell is, where it is one: (metric_id, grain, period_start, unit,
    # dimension, dimension_value, field), field being numerator, denominator or rest (denominator -
    # numerator). The open-data exports plan their suppression around these cells (pipeline/open_data/).
    sources: dict[str, tuple] = field(default_factory=dict)

    def add(self, key: str, value: float | None, kind: str = COUNT_KIND, source: tuple | None = None) -> str:
        if key in self.cells:
            raise ValueError(f"council ledger: cell {key} added twice")
        self.cells[key] = float(value or 0)
        self.kinds[key] = kind
        if source is not None:
            self.sources[key] = source
        return key

    def relate(self, smaller: str, larger: str) -> None:
        """smaller <= larger is known to a reader; it bounds hidden counts (pipeline/disclosure/solver.py)."""
        if self.cells[smaller] <= self.cells[larger]:
            self.at_most.append((smaller, larger))

    def group(self, parts, total: str) -> None:
        parts = tuple(parts)
        if parts:
            self.groups.append((parts, total))


@dataclass
class SuppressionPlan:
    """The ledger with the cells to hide: what every council page shows for each count."""

    threshold: int
    ledger: Ledger
    hidden: dict[str, str]     # cell -> PRIMARY | COMPLEMENTARY

    @property
    def cells(self) -> dict[str, float]:
        return self.ledger.cells

    @property
    def groups(self) -> list[tuple[tuple[str, ...], str]]:
        return self.ledger.groups

    def visible(self, *keys: str) -> bool:
        return all(k not in self.hidden for k in keys)

    def value(self, key: str) -> float | None:
        """The cell's value for a chart: None (a gap) when hidden."""
        return None if key in self.hidden else self.ledger.cells[key]

    def text(self, key: str) -> str:
        """The cell as printed: '1,234', '<11' (a small count), '—' (hidden so a small count stays hidden)."""
        value = self.ledger.cells[key]
        if self.ledger.kinds[key] == HOURS_KIND:
            return "—" if key in self.hidden else f"{value:,.0f} h"
        return shown(value, self.hidden.get(key), self.threshold)


def plan_suppression(ledger: Ledger, threshold: int = DEFAULT_THRESHOLD) -> SuppressionPlan:
    """Hide the small counts and enough others that none can be worked out from any published total.

    The planning is pipeline.disclosure.suppression.plan (shared with the open-data
    exports). Complements are taken from the lowest-ranked period first: the
    short partial fiscal years, then the oldest full ones, the program to date
    last, so that a total spanning periods (a month across fiscal years, a
    fiscal year within the program to date) costs one page its detail instead
    of spreading holes over all. Hours are not counts: never small themselves.
    """
    ranks = {k: ledger.ranks.get(k.split(":", 1)[0], 0) for k in ledger.cells}
    hidden = plan(ledger.cells, ledger.groups, threshold,
                  not_counts={k for k, kind in ledger.kinds.items() if kind != COUNT_KIND},
                  ranks=ranks, depends=ledger.depends, at_most=ledger.at_most)
    return SuppressionPlan(threshold, ledger, hidden)
