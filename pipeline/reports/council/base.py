"""What every section of a council page shares: the page's period, the suppression plan, and the cell helpers.

Each section (cards, units, demand, trends, cost) is a mixin on PageBase; page.py puts them together.
Every count a page prints goes through PageBase.text, which records it in `published`.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.disclosure.periods import Month, Period
from pipeline.disclosure.public_counts import CouncilData
from pipeline.disclosure.suppression import PRIMARY
from pipeline.reports import charts, render
from pipeline.reports.charts import Table


def launch_years(data: CouncilData) -> dict[str, Period]:
    """Host page key -> the launch days folded into it.

    A first fiscal year with under a quarter of data (the days between launch and the first
    1 July) is too short to read as a year: it has no page and no cells of its own. Its counts
    are the next fiscal year's (pipeline/disclosure/periods.fold_launch), whose page says it
    holds the launch days.
    """
    if data.launch is None or not data.fiscal_years:
        return {}
    return {data.fiscal_years[0].key: data.launch}


def public_pages(data: CouncilData) -> list[Period]:
    """The council pages written: every fiscal year (the launch days folded into the next) and the program to date."""
    return list(data.pages)


def bands(on_duty: list[int]) -> list[tuple[int, int, bool]]:
    """Runs of hours (first, last + 1, on duty on at least one day) covering 0-24."""
    runs: list[tuple[int, int, bool]] = []
    for hour, days in enumerate(on_duty):
        served = days > 0
        if runs and runs[-1][2] == served:
            runs[-1] = (runs[-1][0], hour + 1, served)
        else:
            runs.append((hour, hour + 1, served))
    return runs


def bands_text(on_duty: list[int], served: bool) -> str:
    """'00:00–07:00, 19:00–24:00': the runs of hours on duty (or never on duty)."""
    return ", ".join(f"{b[0]:02d}:00\u2013{b[1]:02d}:00" for b in bands(on_duty) if b[2] == served)


@dataclass(frozen=True)
class Cell:
    """One table cell as printed, with the ledger cell it shows (for data-cell) when it is a count."""

    text: str
    key: str | None = None


@dataclass
class Figure:
    chart: charts.Chart
    cells: list[list[Cell]]


def table_of(columns: list[str], rows: list[list[Cell]], note: str = "") -> tuple[Table, list[list[Cell]]]:
    return Table(columns, [[c.text for c in row] for row in rows], note), rows


def pct(n: float, d: float) -> str:
    return render.fmt_pct(n / d) if d else "—"


class PageBase:
    """One page's period, data and plan, and the helpers every section uses."""

    def __init__(self, data: CouncilData, period: Period):
        self.data, self.period, self.plan = data, period, data.plan
        self.mv = data.mv[period.grain]
        self.defs = data.definitions
        self.k = period.key
        self.t = data.threshold
        self.published: dict[str, str] = {}
        self.launch = launch_years(data).get(period.key)

    def months_shown(self) -> list[Month]:
        """The page's months (the launch days are in the first month of the page that carries them)."""
        return self.data.months_of(self.period)

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
