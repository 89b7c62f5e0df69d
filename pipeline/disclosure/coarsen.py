"""Coarsening: where a small count would cost a large cell its place, publish a coarser table instead.

Hiding a large cell to protect a small one loses what a reader came for (the
07:00 and 08:00 bars, "Outside service area"). So before suppression is
planned, the public tables are made coarser wherever a small count would need
a complement, and the same way in every period, since periods add up (a merge
made on one fiscal year's page only would be given back by the program to
date minus the other years):

* unmet reasons: "No team free" and "Not routed to HEART" become one reason,
  "In coverage, not answered", when either is small in any period; likewise
  "Outside service hours" and "Outside service area" become "Outside service
  hours or area" (reason_categories);
* hours of the day: a run of neighbouring hours is shown as one span
  ("07:00–09:00") when any of its counts is small in any period (hour_bins);
* responses by unit: by quarter instead of by month when any month has a small
  unit count (quarters);
* a first fiscal year under a quarter long (the launch days) is folded into the
  next fiscal year, and its months into that year's first month
  (pipeline/disclosure/public_counts.py), so no table holds a four-day year.

What is left small after coarsening is suppressed as before (suppression.plan).
Each page says in words what was merged (pipeline/reports/council/).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from pipeline.disclosure.periods import Month
from pipeline.disclosure.rules import DEFAULT_THRESHOLD, is_small
from pipeline.vocabulary import UNMET_REASON_LABELS

# Reasons that may be merged, in pairs of neighbours in the order a call is checked: (name, label, members).
REASON_MERGES = (
    ("outside_coverage", "Outside service hours or area", ("outside_service_hours", "outside_service_area")),
    ("in_coverage", "In coverage, not answered", ("no_team_free", "not_routed")),
)


@dataclass(frozen=True)
class Category:
    """One reason as published: a reason of its own, or reasons merged."""

    name: str                      # the ledger name after "unmet:" (a reason, or a merge's name)
    label: str
    members: tuple[str, ...]

    @property
    def merged(self) -> bool:
        return len(self.members) > 1


def reason_categories(periods: Iterable[Mapping[str, float]], threshold: int = DEFAULT_THRESHOLD) -> list[Category]:
    """The unmet reasons as published: each pair of REASON_MERGES merged when one of them is small in any period.

    `periods`: for each published period, reason -> count. A merged reason that is
    still small somewhere is left to suppression.
    """
    periods = list(periods)
    out: list[Category] = []
    for name, label, members in REASON_MERGES:
        if any(is_small(p.get(r, 0), threshold) for p in periods for r in members):
            out.append(Category(name, label, members))
        else:
            out.extend(Category(r, UNMET_REASON_LABELS[r], (r,)) for r in members)
    return out


def hour_bins(series: Iterable[Sequence[float]], threshold: int = DEFAULT_THRESHOLD,
              duty: Iterable[Sequence[int]] = ()) -> list[tuple[int, ...]]:
    """Runs of neighbouring hours 0-23, each published as one row, so that no run holds a small count.

    `series`: 24 counts each (every period's eligible, answered and unmet calls by
    hour). Starting from single hours, a run with a small sum in any series is
    merged with a neighbour: the one that leaves it no longer small, else the one
    holding fewer calls (ties: the later hour), until no run is small anywhere or
    one run is left. (Merging toward the quiet hours first would sweep the night
    into one bar before reaching the busy hour next door.) Among those, a neighbour
    that keeps the run on one side of the hours HEART was on duty (`duty`: each
    period's days on duty by hour) goes first, so the off-duty count moves least.
    """
    series = [list(s) for s in series]
    duty = [list(d) for d in duty]

    def mixed(b: list[int]) -> bool:
        return any(len({bool(d[h]) for h in b}) > 1 for d in duty)
    bins: list[list[int]] = [[h] for h in range(24)]

    def small(b: list[int]) -> bool:
        return any(is_small(sum(s[h] for h in b), threshold) for s in series)

    def size(b: list[int]) -> float:
        return sum(s[h] for s in series for h in b)

    while len(bins) > 1:
        i = next((i for i, b in enumerate(bins) if small(b)), None)
        if i is None:
            break
        neighbours = [j for j in (i - 1, i + 1) if 0 <= j < len(bins)]
        # The neighbour that leaves the run no longer small, then one on the same side of the duty hours,
        # then the one with fewer calls (ties: the later).
        j = min(neighbours, key=lambda j: (small(bins[min(i, j)] + bins[max(i, j)]),
                                           mixed(bins[min(i, j)] + bins[max(i, j)]), size(bins[j]), -j))
        a, b = sorted((i, j))
        bins[a:b + 1] = [bins[a] + bins[b]]
    return [tuple(b) for b in bins]


def bin_name(hours: Sequence[int]) -> str:
    """The ledger name of a run of hours: its first hour as the metrics spell it ("07")."""
    return f"{hours[0]:02d}"


def bin_value(hours: Sequence[int]) -> str:
    """The hour_of_day value open data publishes a run under: "07" for one hour, "07-08" for a run."""
    return f"{hours[0]:02d}" if len(hours) == 1 else f"{hours[0]:02d}-{hours[-1]:02d}"


def bin_label(hours: Sequence[int]) -> str:
    """'07:00' for one hour, '07:00–09:00' for a run."""
    return f"{hours[0]:02d}:00" if len(hours) == 1 else f"{hours[0]:02d}:00\u2013{hours[-1] + 1:02d}:00"


@dataclass(frozen=True)
class Quarter:
    """Three months of a fiscal year (fewer at the data's ends), for the responses by unit."""

    months: tuple[Month, ...]

    @property
    def start(self) -> date:
        return self.months[0].start

    @property
    def first_day(self) -> date:
        return self.months[0].first_day

    @property
    def end(self) -> date:
        return self.months[-1].end

    @property
    def key(self) -> str:
        return f"q{self.start:%Y-%m}"

    @property
    def label(self) -> str:
        first, last = self.months[0], self.months[-1]
        return f"{first.start:%b}\u2013{last.start:%b %Y}" if len(self.months) > 1 else first.label


def quarters(months: Sequence[Month], fy_start_month: int) -> list[Quarter]:
    """The fiscal quarters (three months from the fiscal year's first month) the months fall in, oldest first."""
    out: dict[tuple[int, int], list[Month]] = {}
    for m in months:
        s = m.start
        fy_year = s.year - (1 if s.month < fy_start_month else 0)
        out.setdefault((fy_year, ((s.month - fy_start_month) % 12) // 3), []).append(m)
    return [Quarter(tuple(ms)) for _, ms in sorted(out.items())]


def any_small(values: Iterable[float], threshold: int = DEFAULT_THRESHOLD) -> bool:
    return any(is_small(v, threshold) for v in values)

