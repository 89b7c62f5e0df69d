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

`suppress` looks at one group at a time; `plan` adds what overlapping groups
need: the exact check that no combination of totals gives a small count back
(`solvable_cells`), complements that break the reader's recipe, cells that
give a hidden one away (`depends`), and planning around another publication
(`hidden_elsewhere`, `shown_elsewhere`). The council dashboard and the
open-data exports both plan with it. The functions here work on plain dicts
so the reports, the exports and the tests share them.
"""

from __future__ import annotations

from collections.abc import Container, Hashable, Iterable, Mapping, Sequence
from fractions import Fraction

from pipeline.disclosure import solver
# The rule's names, defined in rules.py and used from here by the council pages and open data.
from pipeline.disclosure.rules import (COMPLEMENT_MARK, COMPLEMENTARY, DEFAULT_THRESHOLD, MERGED,  # noqa: F401
                                       PRIMARY, _mergeable, is_small, merged_parts, shown)

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


# --------------------------------------------------------------------------------------------
# Planning over overlapping totals: the council dashboard and the open-data exports
# --------------------------------------------------------------------------------------------
#
# `suppress` looks at one group at a time. When groups overlap (a month is a part
# of its fiscal year and its rows a part of the month), several totals combined
# can still fix a hidden count even though no single group has one hidden member:
# a + b, a + c and b + c printed give a = (t1 + t2 - t3) / 2. `plan` adds the
# exact check of `solvable_cells` and hides one more cell beside every small
# count it finds solvable, until none is.

RANK_STEP = 1e12
# What a zero and a cell published elsewhere weigh as a complement: the last
# choices. (Finite, so that a cell published elsewhere sorts after a zero.)
ZERO_LAST = 1e200
ELSEWHERE_LAST = 1e250


def complement_order(value: float, threshold: int = DEFAULT_THRESHOLD, *, count: bool = True,
                     rank: float = 0) -> float:
    """How `suppress` should see a cell when it picks the smallest visible cell of a group as the complement.

    * A small count is itself (suppress hides it).
    * Any other cell is moved up by its rank: complements are taken from the
      lowest rank first (the caller ranks what readers need least lowest).
    * Zeros come last: a hidden zero beside a small count would give the small
      count back (a complementary cell is known to be 0 or at least the threshold).
    * A cell that is not a count (hours) is never small: it is shifted past the threshold.
    """
    if value == 0:
        return ZERO_LAST
    if count and is_small(value, threshold):
        return value
    return value + (0 if count else threshold) + RANK_STEP * rank


Group = tuple[Sequence[Hashable], Hashable]


def solvable_cells(groups: Iterable[Group], hidden: Container) -> set:
    """Hidden cells whose value the published totals fix, combining all the groups at once.

    `groups` are (parts, total): sum(parts) == total. Unknowns are the hidden
    cells; each group with a hidden member is one linear equation over them
    (its visible members are known numbers). Reduced to row echelon form
    (exactly, in fractions), an unknown is fixed when its pivot row holds no
    other unknown: no choice of the free unknowns can move it.

    The equations are split into independent systems first: two equations that
    share no unknown (directly or through others) cannot constrain each other,
    so reducing each connected set of unknowns on its own gives exactly the
    result of reducing them all together, much faster.
    """
    equations = _equations(groups, hidden)
    fixed: set = set()
    for system in _systems(equations):
        fixed |= set(_reduce([equations[i][0] for i in system]))
    return fixed


def _equations(groups: Iterable[Group], hidden: Container) -> list[tuple[dict, Group]]:
    """One equation per group with a hidden member: (unknown -> coefficient, the group)."""
    equations = []
    for parts, total in groups:
        row: dict = {}
        for member, sign in [(p, 1) for p in parts] + [(total, -1)]:
            if member in hidden:
                row[member] = row.get(member, 0) + sign
        row = {k: v for k, v in row.items() if v}
        if row:
            equations.append((row, (parts, total)))
    return equations


def _systems(equations: list[tuple[dict, Group]]) -> list[list[int]]:
    """The equations (by index) in sets that share unknowns: connected components (solver.components)."""
    return solver.components([row for row, _ in equations])


def _reduce(rows: list[dict], track: bool = False) -> dict:
    """Reduced row echelon form of one system, exactly: {fixed unknown: how it is fixed}.

    With `track`, how is the combination of the input rows (index ->
    coefficient) that adds up to that unknown alone: the reader's recipe,
    which tells which published cells it uses. Without, it is None.
    """
    pivots: dict = {}
    for i, equation in enumerate(rows):
        row = {k: Fraction(v) for k, v in equation.items()}
        origin = {i: Fraction(1)} if track else None
        for col in [c for c in row if c in pivots]:
            factor = row.get(col)
            if factor:
                _subtract(row, factor, pivots[col][0])
                if track:
                    _subtract(origin, factor, pivots[col][1])
        if not row:
            continue
        col = min(row, key=_sort_key)
        scale = row[col]
        row = {k: v / scale for k, v in row.items()}
        if track:
            origin = {k: v / scale for k, v in origin.items()}
        for other_row, other_origin in pivots.values():
            factor = other_row.get(col)
            if factor:
                _subtract(other_row, factor, row)
                if track:
                    _subtract(other_origin, factor, origin)
        pivots[col] = (row, origin)
    return {col: origin for col, (row, origin) in pivots.items() if len(row) == 1}


def _sort_key(key) -> str:
    return key if isinstance(key, str) else str(key)


def _subtract(row: dict, factor: Fraction, pivot_row: dict) -> None:
    """row -= factor * pivot_row, dropping the terms that cancel."""
    for k, v in pivot_row.items():
        value = row.get(k, Fraction(0)) - factor * v
        if value:
            row[k] = value
        else:
            row.pop(k, None)


class SuppressionConflict(ValueError):
    """A count must be hidden, but cells another publication shows give it away."""


def plan(
    cells: Mapping[Hashable, float],
    groups: Iterable[Group],
    threshold: int = DEFAULT_THRESHOLD,
    *,
    not_counts: Container = frozenset(),
    ranks: Mapping[Hashable, float] | None = None,
    depends: Iterable[tuple[Hashable, Hashable]] = (),
    hidden_elsewhere: Iterable[Hashable] = (),
    shown_elsewhere: Iterable[Hashable] = (),
    at_most: Iterable[tuple[Hashable, Hashable]] = (),
    bound_check: bool = True,
) -> dict[Hashable, str]:
    """The cells to hide, each with why (PRIMARY: a small count; COMPLEMENTARY), so that none can be worked out.

    * `cells`: every published count (and sum), and every count a reader can
      work out directly (a rate's denominator minus its numerator).
    * `groups`: (parts, total) with sum(parts) == total known to the reader.
    * `not_counts`: cells that are not counts of people or events (hours):
      never small themselves, hidden only as complements or through `depends`.
    * `ranks`: complements come from the lowest rank first (default 0); see
      `complement_order`, which also keeps zeros for last.
    * `depends`: (cell, cell it gives away): the first is hidden whenever the
      second is (officer-hours saved give back the number of diverted calls).
    * `hidden_elsewhere`: cells hidden for reasons outside this plan (another
      publication hides them): hidden here too, and protected like small counts.
    * `shown_elsewhere`: cells another publication prints. The reader knows
      them, and every cell a group fixes from them, so those are never chosen
      as complements; if a small count can only be protected by hiding one,
      SuppressionConflict is raised rather than publish it.
    * `at_most`: (a, b) with a <= b known to the reader (relations between
      metrics); with "<11" meaning 1 to threshold-1 and "—" at least 0, these
      one-sided facts can pin a count that no equation alone fixes.
    * `bound_check`: run that check (pipeline/disclosure/solver.py). The
      open-data plan turns it off for now: its monthly breakdowns by unit hold
      so many small counts that hiding cell by cell does not settle (they need
      coarsening, not more dashes); tests/test_disclosure_solver.py lists them.

    Groups whose non-zero parts are all small counts are merged first
    (`merged_parts`: the parts are published only as their total, MERGED).
    Steps, repeated until nothing changes: `suppress` (small counts, then a
    complement in every group left with one hidden cell); cells that give a
    hidden cell away; then `solvable_cells` over all groups together. For each
    small count that can still be solved for, the reader's recipe (the
    combination of totals that gives it) is worked out and one published cell
    the recipe uses is hidden: one in a group with the small count if the
    recipe uses one, else the first in complement order. That breaks the recipe;
    the next round looks for another. Last, the integer program of
    pipeline/disclosure/solver.py bounds every small count from everything the
    reader knows (one-sided bounds and `at_most` included); beside each one it
    pins to a single value, the first visible cell in complement order of the
    relations around it is hidden, and the rounds go on.
    """
    groups = [(tuple(parts), total) for parts, total in groups]
    at_most = [(a, b) for a, b in at_most]
    suppress_groups = [[*parts, total] for parts, total in groups]
    ranks = ranks or {}
    depends = list(depends)
    hidden_elsewhere = set(hidden_elsewhere)
    shown = _known_from(set(shown_elsewhere), groups)
    leaked = sorted(str(k) for k in shown if k in hidden_elsewhere or
                    (k not in not_counts and is_small(cells[k], threshold)))
    if leaked:
        raise SuppressionConflict(f"counts that must be hidden follow from cells shown elsewhere: {leaked[:5]}")
    base = {k: ELSEWHERE_LAST if k in shown else
            complement_order(v, threshold, count=k not in not_counts, rank=ranks.get(k, 0))
            for k, v in cells.items()}
    by_cell: dict = {}
    for group in groups:
        for member in (*group[0], group[1]):
            by_cell.setdefault(member, []).append(group)
    merged = merged_parts(cells, groups, threshold, not_counts, shown)
    forced = set(hidden_elsewhere) | merged
    while True:
        # A cell hidden for a reason suppress() cannot see (hidden elsewhere, gives
        # away a hidden count, or sits beside one that could be solved for) is
        # entered as a small count, so that suppress() also protects it.
        order = dict(base)
        order.update({k: 1 for k in forced})
        found = suppress(order, suppress_groups, threshold)
        hidden = {k: MERGED if k in merged else
                  PRIMARY if k not in not_counts and is_small(cells[k], threshold) else COMPLEMENTARY
                  for k in found}
        conflict = sorted(str(k) for k in hidden if k in shown)
        if conflict:
            raise SuppressionConflict(
                f"cells shown elsewhere would have to be hidden to protect a small count: {conflict[:5]}")
        extra = {dependent for dependent, on in depends if on in hidden and dependent not in hidden}
        if not extra:
            extra = _complements(groups, hidden, by_cell, base)
        new_merge: set = set()
        if not extra and bound_check:
            extra, merge = _bound_complements(cells, groups, hidden, at_most, base, threshold)
            new_merge = merge - set(shown) - merged
            merged |= new_merge
        extra -= forced
        if not extra and not new_merge:
            return hidden
        extra |= new_merge
        forced |= extra


def _bound_complements(cells, groups: list[Group], hidden: dict, at_most: list, order: Mapping,
                       threshold: int) -> tuple[set, set]:
    """One more cell to hide beside each small count the reader can pin with a relation between metrics;
    and the small counts to merge into their total where sums of "<11" alone pin one: (hide, merge).

    Counts that share a relation are handled one per round: hiding a cell beside
    one often frees the others (a unit's responses pinned to 1 pins its eligible
    calls answered too). The cell is never a total (totals are the figures a
    table is read for): from the relations of the count itself, else from those
    of the hidden cells linked to it, in complement order.
    """
    small = {k for k, why in hidden.items() if why == PRIMARY}
    pinned = solver.narrowed(cells, groups, hidden, small, threshold, at_most)
    relations = [(*parts, total) for parts, total in groups] + [tuple(pair) for pair in at_most]
    by_member: dict = {}
    for members in relations:
        for m in members:
            by_member.setdefault(m, []).append(members)
    totals = {total for _, total in groups}
    groups_of: dict = {}
    for parts, total in groups:
        for m in (*parts, total):
            groups_of.setdefault(m, []).append((*parts, total))
    extra, touched, merge = set(), set(), set()
    for key in sorted(pinned, key=lambda k: (order.get(k, 0), _sort_key(k))):
        # The hidden cells linked to this one (through relations with a hidden member), then the
        # visible cells of those relations: hiding one of them takes a fact from the reader.
        linked, todo = {key}, [key]
        while todo:
            for members in by_member.get(todo.pop(), ()):
                for m in members:
                    if m in hidden and m not in linked:
                        linked.add(m)
                        todo.append(m)
        if not any(a in linked or b in linked for a, b in at_most):
            # Pinned by sums of "<11" alone (two adding up to 20): hiding cell by cell cascades
            # through every total on small data; the parts are merged into their total instead.
            merge |= _mergeable(key, groups, cells, hidden, threshold)
            continue
        mine = {m for members in by_member.get(key, ()) for m in members}
        if mine & touched:
            continue
        touched |= mine
        near = [m for m in mine if m not in hidden]
        around = [m for k in linked for members in by_member.get(k, ()) for m in members if m not in hidden]
        # Never a zero: a hidden zero beside a "<11" is read as 0 or at least the threshold.
        open_ = [m for m in near if order[m] < ZERO_LAST], [m for m in around if order[m] < ZERO_LAST]
        candidates = [m for m in open_[0] if m not in totals] or [m for m in open_[1] if m not in totals]
        if candidates:
            # Fewest totals left with it as their one hidden cell: each would cost one more dash.
            extra.add(min(candidates, key=lambda m: (_lone_in(m, groups_of.get(m, ()), hidden), order[m], str(m))))
        # Else only totals (or nothing) are left around it: hiding a total costs the reader the figure
        # the table is read for and cascades on small data; such a table needs coarsening instead.
    return extra, merge


def _lone_in(cell, groups, hidden: Container) -> int:
    """In how many of `groups` the cell, hidden, would be the only hidden member."""
    return sum(not any(m in hidden for m in members if m != cell) for members in groups)


def _complements(groups: list[Group], hidden: dict, by_cell: dict, order: Mapping) -> set:
    """One more cell to hide for each small count the groups together can be solved for."""
    equations = _equations(groups, hidden)
    extra = set()
    for system in _systems(equations):
        rows = [equations[i][0] for i in system]
        fixed = [k for k in _reduce(rows) if hidden.get(k) == PRIMARY]
        if not fixed:
            continue
        recipes = _reduce(rows, track=True)
        for key in sorted(fixed, key=_sort_key):
            # The published cells the recipe uses, with their weight in it: hiding
            # any one with a non-zero weight breaks this recipe.
            weights: dict = {}
            for i, coefficient in recipes[key].items():
                parts, total = equations[system[i]][1]
                for member, sign in [(p, 1) for p in parts] + [(total, -1)]:
                    if member not in hidden:
                        weights[member] = weights.get(member, 0) + sign * coefficient
            used = [m for m, w in weights.items() if w]
            near = {m for parts, total in by_cell.get(key, ()) for m in (*parts, total)}
            if not used or min(order[m] for m in used) >= ELSEWHERE_LAST:
                raise SuppressionConflict(f"{key} can be worked out from cells shown elsewhere")
            extra.add(min(used, key=lambda m: (m not in near or order[m] >= ZERO_LAST, order[m], str(m))))
    return extra


def _known_from(known: set, groups: list[Group]) -> set:
    """`known` and every cell a group fixes from them (a group with one member not known), repeated.

    A cell that follows from cells published elsewhere is published too: hiding
    it protects nothing, so it must not be chosen as a complement.
    """
    if not known:
        return known
    by_cell: dict = {}
    for group in groups:
        for member in (*group[0], group[1]):
            by_cell.setdefault(member, []).append(group)
    todo = list(known)
    while todo:
        for parts, total in by_cell.get(todo.pop(), ()):
            unknown = [m for m in (*parts, total) if m not in known]
            if len(unknown) == 1:
                known.add(unknown[0])
                todo.append(unknown[0])
    return known
