"""The small-count rule: the threshold, why a cell is hidden, how a count is printed, and when small parts
are merged into their total.

Kept apart from suppression.py (the planning) so that coarsen.py can use them too; it imports nothing.
"""

from __future__ import annotations

from collections.abc import Container, Hashable, Iterable, Mapping, Sequence

DEFAULT_THRESHOLD = 11
PRIMARY = "primary"            # a small count itself
COMPLEMENTARY = "complementary"  # hidden so that a small count cannot be worked out
MERGED = "merged"              # published only inside its total: every part beside it is small too
COMPLEMENT_MARK = "—"


def is_small(count: float | None, threshold: int = DEFAULT_THRESHOLD) -> bool:
    """A count that must not be published: at least one person, fewer than the threshold."""
    return count is not None and 0 < count < threshold


def shown(value: float | None, why: str | None, threshold: int = DEFAULT_THRESHOLD) -> str:
    """How a count appears in a public output: the number, "<11" for a small count, a dash for a complement."""
    if value is None:
        return ""
    if why == PRIMARY:
        return f"<{threshold}"
    if why in (COMPLEMENTARY, MERGED):
        return COMPLEMENT_MARK
    return f"{value:,.0f}"


Group = tuple[Sequence[Hashable], Hashable]


def merged_parts(cells: Mapping[Hashable, float], groups: Iterable[Group], threshold: int = DEFAULT_THRESHOLD,
                 not_counts: Container = frozenset(), shown: Container = frozenset()) -> set:
    """The parts of every total made of small counts alone: they are published only as their total (MERGED).

    Two "<11" under a printed total of 20 are both 10, and hiding more cells
    around them only moves the problem to the next total (the total itself is
    the figure the table is read for). Where every non-zero part of a group is a
    small count (at least two of them), the total is not, and the total alone
    pins them (k parts adding up to k x (threshold - 1)), the parts are merged
    into the total instead: none is printed, not even as "<11", so the reader
    knows only that they are at least 0 and add up to the total. (Pins that take
    several totals together are found by the bound check, which merges the same
    way: `_bound_complements`.) A zero beside them stays printed (it tells nothing
    about the others), and a group with a part another publication prints
    (`shown`) is left to the usual rule.
    """
    out: set = set()
    for parts, total in groups:
        counted = [p for p in parts if p not in not_counts]
        small = [p for p in counted if is_small(cells[p], threshold)]
        if (len(small) >= 2 and len(counted) == len(parts) and not is_small(cells[total], threshold)
                and all(cells[p] == 0 or p in small for p in parts) and not any(p in shown for p in small)
                and sum(cells[p] for p in small) >= len(small) * (threshold - 1)):
            out.update(small)
    return out


def _mergeable(key, groups: list, cells: Mapping, hidden: Mapping, threshold: int) -> set:
    """The small parts of the groups holding `key` whose non-zero parts are all hidden small counts and whose
    total is printed: merging them into that total takes the pin away (see merged_parts)."""
    out: set = set()
    for parts, total in groups:
        if key in parts and total not in hidden and all(
                cells[p] == 0 or hidden.get(p) in (PRIMARY, MERGED) for p in parts):
            out.update(p for p in parts if is_small(cells[p], threshold))
    return out
