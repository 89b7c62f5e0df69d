"""What needs attention on the weekly page: the rule for an unusual figure, and the strip at the top.

The rule, in one place (RULE_TEXT says it on the page): a figure is UNUSUAL when
this week's value is below the lowest or above the highest value of the same
figure over the previous 12 weeks, judged only when at least 6 of those weeks
have a value. Min–max rather than mean ± 2 sd: with 12 points a standard
deviation is itself unstable, and "higher than any week in the last quarter" is
a sentence a program manager can check against the trend chart by eye.

The strip lists, in this order: unusual headline figures; a source whose share of
rows quarantined this week is above the configured limit (`heart run
--max-quarantine-share`); Care Navigation follow-ups due this week and not done
on time; follow-ups pending at the data's end. Each item says the direction of
change in words and with an arrow (never colour alone) and links to its card.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

HISTORY_WEEKS = 12
MIN_HISTORY = 6
RULE_TEXT = (f"A figure is unusual when this week's value is below the lowest or above the highest of the "
             f"previous {HISTORY_WEEKS} weeks (judged only with at least {MIN_HISTORY} of those weeks on record).")
UP, DOWN, SAME = "▲", "▼", "="


@dataclass(frozen=True)
class Item:
    """One line of the strip: what, how it moved, and where its card is."""

    kind: str          # unusual | quarantine | overdue | pending
    title: str
    text: str          # the sentence, arrow included
    anchor: str        # the id of the card or section it links to
    direction: str     # "up", "down" or "" (no earlier figure, or unchanged)


def usual_range(history: Sequence[float | None]) -> tuple[float, float] | None:
    """(lowest, highest) of the previous weeks' values; None with fewer than MIN_HISTORY values."""
    known = [v for v in history[-HISTORY_WEEKS:] if v is not None]
    if len(known) < MIN_HISTORY:
        return None
    return min(known), max(known)


def unusual(value: float | None, history: Sequence[float | None]) -> str:
    """"above", "below" or "" (inside the usual range, no value, or too little history)."""
    bounds = usual_range(history)
    if value is None or bounds is None:
        return ""
    if value > bounds[1]:
        return "above"
    if value < bounds[0]:
        return "below"
    return ""


def direction(now: float | None, before: float | None) -> str:
    if now is None or before is None or now == before:
        return ""
    return "up" if now > before else "down"


def arrow(way: str) -> str:
    return {"up": UP, "down": DOWN}.get(way, SAME)


def change_words(now: float | None, before: float | None, fmt: Callable[[float], str],
                 delta_fmt: Callable[[float], str], since: str = "last week") -> str:
    """"▲ up 12 from 110 last week", "▼ down 3.0 points from 45.0% last week", "= unchanged from 4 last week"."""
    if now is None or before is None:
        return f"no figure for {since}" if before is None else ""
    way = direction(now, before)
    if not way or delta_fmt(abs(now - before)) == delta_fmt(0):
        return f"{SAME} unchanged from {fmt(before)} {since}"
    return f"{arrow(way)} {way} {delta_fmt(abs(now - before))} from {fmt(before)} {since}"


def unusual_item(title: str, anchor: str, value: float | None, history: Sequence[float | None],
                 fmt: Callable[[float], str]) -> Item | None:
    """The strip line of a headline figure outside its usual range; None when it is inside."""
    side = unusual(value, history)
    if not side:
        return None
    low, high = usual_range(history)
    way = "up" if side == "above" else "down"
    return Item("unusual", title, f"{arrow(way)} {fmt(value)} this week, {side} its usual range "
                f"({fmt(low)} to {fmt(high)} in the previous {HISTORY_WEEKS} weeks)", anchor, way)


def quarantine_items(this_week: dict[str, tuple[int, int]], last_week: dict[str, tuple[int, int]],
                     limit: float, anchor: str = "quality") -> list[Item]:
    """Sources whose quarantined share of rows read (quarantined, read) this week is above `limit`."""
    items = []
    for source, (quarantined, read) in sorted(this_week.items()):
        if not read or quarantined / read <= limit:
            continue
        share = quarantined / read
        before = last_week.get(source)
        before_share = before[0] / before[1] if before and before[1] else None
        moved = change_words(share, before_share, _pct, _points)
        items.append(Item("quarantine", f"Rows quarantined: {source}",
                          f"{_pct(share)} of {read:,} rows read ({quarantined:,}), above the limit of {_pct(limit)}; "
                          + moved, anchor, direction(share, before_share)))
    return items


def overdue_item(not_on_time: int | None, before: int | None, anchor: str = "care") -> Item | None:
    if not not_on_time:
        return None
    moved = change_words(not_on_time, before, _count, _count)
    return Item("overdue", "Follow-ups overdue",
                f"{not_on_time:,} Care Navigation follow-up{'s' if not_on_time != 1 else ''} due this week "
                f"not done on time; {moved}", anchor, direction(not_on_time, before))


def pending_item(pending: int | None, data_last, first_due, anchor: str = "care") -> Item | None:
    if not pending:
        return None
    return Item("pending", "Follow-ups pending",
                f"{pending:,} follow-up{'s' if pending != 1 else ''} due after the data's last day ({data_last}), "
                f"the first on {first_due}: in no week's rate yet (a count at the data's end, so no change to show)",
                anchor, "")


def _pct(value: float) -> str:
    return f"{100 * value:.1f}%"


def _points(value: float) -> str:
    return f"{100 * value:.1f} points"


def _count(value: float) -> str:
    return f"{value:,.0f}"
