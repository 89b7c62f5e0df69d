"""Small-count suppression for public outputs, with complementary suppression.

A count from 1 to threshold-1 (default: 1-10) could point at a person, so a
public table shows it as "<11" (primary suppression). That alone is not enough:
when a published total is made of parts and exactly one part is hidden, the
reader gets it back by subtraction. So, for every group of cells whose sum is
published (a row with its total, the breakdown of a headline figure), a group
left with exactly one hidden cell has its smallest other cell hidden too
(complementary suppression), and this repeats until no group has a single
hidden cell: one hiding can create a lone hidden cell in another group.

A complementary cell is usually not small, so it must not read "<11" (that
would misstate it): it is shown as a dash with a note. Zeros are not small
counts (no one to identify) and are shown, but may be hidden as complements.
The functions here work on plain dicts so the reports, the exports and the
tests share them.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence

DEFAULT_THRESHOLD = 11
PRIMARY = "primary"            # a small count itself
COMPLEMENTARY = "complementary"  # hidden so that a small count cannot be worked out
COMPLEMENT_MARK = "—"


def is_small(count: float | None, threshold: int = DEFAULT_THRESHOLD) -> bool:
    """A count that must not be published: at least one person, fewer than the threshold."""
    return count is not None and 0 < count < threshold


def suppress(
    cells: Mapping[Hashable, float],
    groups: Iterable[Sequence[Hashable]],
    threshold: int = DEFAULT_THRESHOLD,
) -> dict[Hashable, str]:
    """The keys of `cells` to hide, each with why: PRIMARY or COMPLEMENTARY.

    `groups` are lists of cell keys whose sum is published somewhere (as a
    total cell, a headline figure, a column total). Every small cell is hidden;
    then each group with exactly one hidden member gets its smallest visible
    member hidden as well, until that holds for no group.
    """
    groups = [list(g) for g in groups]
    for group in groups:
        unknown = [k for k in group if k not in cells]
        if unknown:
            raise KeyError(f"group names cells that do not exist: {unknown}")
    hidden = {k: PRIMARY for k, v in cells.items() if is_small(v, threshold)}
    changed = True
    while changed:
        changed = False
        for group in groups:
            hidden_here = [k for k in group if k in hidden]
            if len(hidden_here) != 1:
                continue
            visible = [k for k in group if k not in hidden]
            if not visible:
                continue
            # The smallest visible cell costs the reader the least information.
            # Ties break on the key's text so the result never depends on order.
            complement = min(visible, key=lambda k: (cells[k], str(k)))
            hidden[complement] = COMPLEMENTARY
            changed = True
    return hidden


def shown(value: float | None, why: str | None, threshold: int = DEFAULT_THRESHOLD) -> str:
    """How a count appears in a public output: the number, "<11" for a small count, a dash for a complement."""
    if value is None:
        return ""
    if why == PRIMARY:
        return f"<{threshold}"
    if why == COMPLEMENTARY:
        return COMPLEMENT_MARK
    return f"{value:,.0f}"
