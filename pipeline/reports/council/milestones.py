"""Program milestones on the council trends: the dated changes of the program configuration.

A jump in a monthly trend (the share answered going from 20% to 51% when service went citywide)
needs its reason beside it. The reasons are already dated data: the program's launch and the
`effective` entries of its service area, service hours and eligible call types. Each trend chart
gets a vertical line and a short label at each milestone within its months, its table a column
naming them, and the page a sentence tying the largest jump in the share answered to the change
just before it. Labels come from the configuration, so they are escaped (plotly reads HTML).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from pipeline.disclosure.periods import Month
from pipeline.program import ProgramConfig
from pipeline.reports import charts

# The sections whose dated entries change what HEART can answer, in the order their labels are named.
SECTIONS = ("service_area", "service_hours", "eligible_call_types")
SHORT = 24    # characters of a milestone's label drawn on a chart (rotated, it must fit the plot's height)
JUMP = 0.10   # a month-to-month change in the share answered this large is worth a sentence


@dataclass(frozen=True)
class Milestone:
    day: date
    short: str      # the chart's label: the first configured label, up to its first colon
    full: str       # every label of the day, for the table and the text

    @property
    def day_text(self) -> str:
        return f"{self.day:%-d %b %Y}"


def milestones(program: ProgramConfig) -> list[Milestone]:
    """The program's launch and every later dated change, one per day, oldest first."""
    labels: dict[date, list[str]] = {program.launch_date: ["Program launch"]}
    for section in SECTIONS:
        for entry in program.entries(section):
            day, label = entry.get("effective"), str(entry.get("label") or "").strip()
            if not isinstance(day, date) or not label:
                continue
            if day == program.launch_date:
                continue          # the launch's own entries describe the launch
            names = labels.setdefault(day, [])
            if label not in names:
                names.append(label)
    return [Milestone(day, _short(names[0]), "; ".join(names)) for day, names in sorted(labels.items())]


def _short(label: str, limit: int = SHORT) -> str:
    """A chart label: up to the first colon, cut at a word to fit beside a line (the table has it whole)."""
    text = label.split(":")[0].strip()
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;") + "\u2026"


def in_months(all_milestones: list[Milestone], months: list[Month]) -> list[Milestone]:
    return [m for m in all_milestones if months and months[0].first_day <= m.day < months[-1].end]


def month_of(milestone: Milestone, months: list) -> int | None:
    """The month (or quarter: anything with first_day and end) the milestone falls in."""
    return next((i for i, m in enumerate(months) if m.first_day <= milestone.day < m.end), None)


def mark(chart: charts.Chart, shown: list[Milestone], months: list) -> charts.Chart:
    """Draw each milestone on a month (or quarter) chart: a dashed vertical line at its day within its bar's
    span (a month with the launch days folded in spans from the launch month's first day), and its label."""
    layout = chart.spec.setdefault("layout", {})
    shapes, notes = list(layout.get("shapes", [])), list(layout.get("annotations", []))
    for milestone in shown:
        i = month_of(milestone, months)
        if i is None:
            continue
        span = months[i]
        # Category axis: bar i spans i-0.5 to i+0.5, its first calendar day to its end.
        x = i - 0.5 + (milestone.day - span.first_day).days / (_calendar_end(span) - span.first_day).days
        shapes.append({"type": "line", "xref": "x", "yref": "paper", "x0": x, "x1": x, "y0": 0, "y1": 1,
                       "line": {"color": "#1f2328", "width": 1.5, "dash": "dot"}, "name": "milestone"})
        notes.append({"xref": "x", "yref": "paper", "x": x, "y": 1, "xanchor": "right", "yanchor": "top",
                      "textangle": -90, "showarrow": False, "font": {"size": 10, "color": "#1f2328"},
                      "bgcolor": "rgba(255,255,255,0.8)",
                      "text": charts.label(milestone.short),
                      "name": "milestone"})
    layout["shapes"], layout["annotations"] = shapes, notes
    if shown:
        chart.caption += " Dotted lines: program changes (" + "; ".join(
            f"{m.short}, {m.day_text}" for m in shown) + ")."
    return chart


def _calendar_end(span) -> date:
    """The day after the bar's last calendar month (a period clipped at the data's end still spans its month)."""
    last = span.months[-1].start if hasattr(span, "months") else span.start
    return date(last.year + last.month // 12, last.month % 12 + 1, 1)


def column(shown: list[Milestone], months: list) -> list[str]:
    """For each month, the program changes that took effect in it (the tables' last column)."""
    return ["; ".join(f"{m.full} ({m.day_text})" for m in shown if month_of(m, months) == i)
            for i in range(len(months))]


def jump_sentence(shown: list[Milestone], months: list[Month], shares: list[float | None]) -> str:
    """'The share answered rose from 20% in Oct 2023 to 51% in Nov 2023, after Citywide expansion on 23 Oct 2023.'

    The largest change between neighbouring months with both shares published, when it is at
    least JUMP and a milestone falls in either of the two months; else the milestones in a sentence.
    """
    best = None
    for i in range(1, len(months)):
        a, b = shares[i - 1], shares[i]
        if a is None or b is None:
            continue
        near = [m for m in shown if month_of(m, months) in (i - 1, i)]
        if abs(b - a) >= JUMP and near and (best is None or abs(b - a) > abs(best[2] - best[1])):
            best = (i, a, b, near[-1])
    if best is not None:
        i, a, b, m = best
        return (f"The share of eligible calls answered {'rose' if b > a else 'fell'} from {a:.0%} in "
                f"{months[i - 1].label} to {b:.0%} in {months[i].label}, after the program change of "
                f"{m.day_text}: {m.full}.")
    if shown:
        return "Program changes in this period: " + "; ".join(f"{m.full} ({m.day_text})" for m in shown) + "."
    return ""
