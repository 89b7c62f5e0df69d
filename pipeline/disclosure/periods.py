"""The periods the public pages publish: fiscal years and the program to date (one page each), and months.

A short partial fiscal year shows its hours of the day on its neighbour's page (hour_spans).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

# The council pages' folder and the to-date page (pinned paths).
REPORT_DIR = "council"
TO_DATE_FILE = "council-to-date.html"
SHORT_YEAR_DAYS = 92     # a partial fiscal year with fewer days of data shows its hours on its neighbour's page


@dataclass(frozen=True)
class Period:
    """One dashboard page: a fiscal year or the program to date, clipped to the days the data covers."""

    grain: str            # fiscal_year | all
    start: date           # period_start in metric_values
    end: date             # period_end (exclusive)
    data_from: date       # first local day with data in the period
    data_to: date         # last local day with data in the period (inclusive)
    # metric_values fiscal years folded into this one (the launch days' year, before `start`): their
    # counts are this page's too (pipeline/disclosure/coarsen.py).
    folded: tuple[date, ...] = ()

    @property
    def starts(self) -> tuple[date, ...]:
        """The metric_values period starts whose counts make this period's."""
        return (*self.folded, self.start)

    @property
    def source_start(self) -> date:
        """The period_start open data publishes it under: the launch day for a year with the launch days."""
        return self.data_from if self.folded else self.start

    @property
    def last_day(self) -> date:
        return self.end - timedelta(days=1)

    @property
    def key(self) -> str:
        """'all', or 'fy2023-24' (a fiscal year that is a calendar year: 'fy2024')."""
        if self.grain == "all":
            return "all"
        if self.last_day.year == self.start.year:
            return f"fy{self.start.year}"
        return f"fy{self.start.year}-{self.last_day.year % 100:02d}"

    @property
    def label(self) -> str:
        if self.grain == "all":
            return "Program to date"
        if self.last_day.year == self.start.year:
            return f"FY{self.start.year}"
        return f"FY{self.start.year}\u2013{self.last_day.year % 100:02d}"

    @property
    def file_name(self) -> str:
        return TO_DATE_FILE if self.grain == "all" else f"council-{self.key}.html"

    @property
    def path(self) -> str:
        return f"{REPORT_DIR}/{self.file_name}"

    @property
    def partial(self) -> bool:
        """The data covers only part of the period (the first or the current fiscal year)."""
        return self.grain != "all" and (self.data_from > self.start or self.data_to < self.last_day)


@dataclass(frozen=True)
class Month:
    start: date
    end: date
    folded: tuple[date, ...] = ()     # the launch days' month(s), folded into this one
    from_day: date | None = None      # with the launch days folded in: the launch day

    @property
    def starts(self) -> tuple[date, ...]:
        return (*self.folded, self.start)

    @property
    def source_start(self) -> date:
        """The period_start open data publishes it under (the launch day for a month with the launch days)."""
        return self.from_day or self.start

    @property
    def first_day(self) -> date:
        """The first calendar day it spans (the launch days' month's, when folded)."""
        return self.folded[0] if self.folded else self.start

    @property
    def key(self) -> str:
        return f"m{self.start:%Y-%m}"

    @property
    def label(self) -> str:
        if self.folded:
            return f"{self.folded[0]:%b}\u2013{self.start:%b %Y}"
        return f"{self.start:%b %Y}"


def fold_launch(fiscal_years: list[Period], months: list[Month]) -> tuple[list[Period], list[Month], Period | None]:
    """A first fiscal year with under SHORT_YEAR_DAYS days of data folded into the next, its months into that
    year's first month: (fiscal years, months, the launch days' own period or None).

    Four launch days are not a year: a table of them is mostly small counts, and since
    fiscal years add up to the program to date, hiding them would cost another year's
    cells. Folded, they are part of the next year's counts everywhere (its page, its
    months, its hours), so no published table has a four-day year and no total gives
    them back on their own.
    """
    if len(fiscal_years) < 2:
        return fiscal_years, months, None
    launch, host = fiscal_years[0], fiscal_years[1]
    if not launch.partial or (launch.data_to - launch.data_from).days + 1 >= SHORT_YEAR_DAYS:
        return fiscal_years, months, None
    folded_host = Period(host.grain, host.start, host.end, launch.data_from, host.data_to, (launch.start,))
    early = tuple(m.start for m in months if m.start < launch.end)
    later = [m for m in months if m.start >= launch.end]
    if later and early:
        later[0] = Month(later[0].start, later[0].end, early, launch.data_from)
    return [folded_host, *fiscal_years[2:]], later, launch


def hour_spans(fiscal_years: list[Period]) -> dict[str, list[Period]]:
    """For each fiscal-year page, the fiscal years its hour-of-day table covers.

    A short partial fiscal year (the days between launch and the first 1 July,
    or the first days of a year just begun) has too few calls to break down by
    hour: nearly every hour would be a small count, and since the fiscal years'
    hours add up to the program to date's, hiding them would cost another page
    its hour table. So its hours are shown with the neighbouring fiscal year's
    (the next one for the first year, the previous one for the last), and its
    own page says so. Everything else on its page is its own.
    """
    spans: dict[str, list[Period]] = {p.key: [p] for p in fiscal_years}
    merged: set[int] = set()
    for i, period in enumerate(fiscal_years):
        days = (period.data_to - period.data_from).days + 1
        if not period.partial or days >= SHORT_YEAR_DAYS or len(fiscal_years) < 2:
            continue
        host = i + 1 if i == 0 else i - 1
        if host in merged or len(spans[period.key]) > 1:
            continue
        spans[fiscal_years[host].key] = sorted([*spans[fiscal_years[host].key], period], key=lambda p: p.start)
        spans[period.key] = []
        merged.add(i)
    return spans
