"""What a reader can work out about every hidden count: its least and greatest value given all that is published.

A reader of the public outputs knows every shown count, every published total
(sum(parts) == total), the relations between metrics (`at_most`: a <= b, such
as a unit's eligible calls answered never exceeding its responses), that a
"<11" is 1 to threshold-1, that a hidden "—" is at least 0, and that counts are
whole numbers. Exact row reduction (suppression.solvable_cells) only sees the
equalities; the one-sided facts can pin a count too: responses 27, Crisis Call
Diversion 15 and Community Response answering 11 eligible calls leave 12 for
Community Response and Co-Response together, so a Co-Response "<11" is 1.

`narrowed` solves that whole system with integer linear programming (HiGHS,
through scipy) for each hidden small count, one connected set of unknowns at a
time, and returns the counts pinned to a single value. The planner hides more
until there are none (suppression.plan); the solver test checks the files.
"""

from __future__ import annotations

import math
from collections.abc import Container, Hashable, Iterable, Mapping, Sequence

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp

Group = tuple[Sequence[Hashable], Hashable]
TOLERANCE = 1e-6


def components(rows: list[dict]) -> list[list[int]]:
    """The rows (by index) in sets that share unknowns, by union-find: each set is solved on its own."""
    parent: dict = {}

    def find(x):
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for row in rows:
        first, *rest = row
        for other in rest:
            a, b = find(first), find(other)
            if a != b:
                parent[b] = a
    sets: dict = {}
    for i, row in enumerate(rows):
        sets.setdefault(find(next(iter(row))), []).append(i)
    return list(sets.values())


def system(cells: Mapping[Hashable, float], groups: Iterable[Group], hidden: Container,
           at_most: Iterable[tuple[Hashable, Hashable]] = ()) -> tuple[list[tuple[dict, float]], list[tuple[dict, float]]]:
    """The reader's equations and inequalities over the hidden cells.

    Returns (equalities, inequalities): each a (unknown -> coefficient, right-hand side)
    with sum(coefficient * unknown) == rhs, or <= rhs. Rows with no unknown are left out.
    """
    def row(terms: list[tuple[Hashable, int]]) -> tuple[dict, float]:
        coefficients: dict = {}
        rhs = 0.0
        for key, sign in terms:
            if key in hidden:
                coefficients[key] = coefficients.get(key, 0) + sign
            else:
                rhs -= sign * cells[key]
        return {k: v for k, v in coefficients.items() if v}, rhs

    equalities = [row([(p, 1) for p in parts] + [(total, -1)]) for parts, total in groups]
    inequalities = [row([(a, 1), (b, -1)]) for a, b in at_most]
    return [r for r in equalities if r[0]], [r for r in inequalities if r[0]]


def ranges(cells: Mapping[Hashable, float], groups: Iterable[Group], hidden: Mapping[Hashable, str],
           small: Container, threshold: int, at_most: Iterable[tuple[Hashable, Hashable]] = (),
           which: Iterable[Hashable] | None = None, integer: bool = True) -> dict[Hashable, tuple[float, float]]:
    """(least, greatest) value of each hidden cell in `which` (default: those in `small`) a reader can infer.

    `hidden`: every hidden cell; `small`: those shown as "<threshold" (1 to threshold-1),
    the rest are known only to be >= 0. The greatest value may be math.inf.
    """
    groups = [(tuple(p), t) for p, t in groups]
    equalities, inequalities = system(cells, groups, hidden, at_most)
    rows = [(r, rhs, "eq") for r, rhs in equalities] + [(r, rhs, "le") for r, rhs in inequalities]
    wanted = [k for k in hidden if k in small] if which is None else list(which)
    result: dict = {}
    in_rows: set = set()
    for component in components([r for r, _, _ in rows]):
        members = [rows[i] for i in component]
        names = sorted({k for r, _, _ in members for k in r}, key=str)
        in_rows.update(names)
        targets = [k for k in names if k in set(wanted)]
        if targets:
            result.update(_solve(names, members, small, threshold, targets, integer))
    for key in wanted:   # in no published relation: only its own bounds
        if key not in in_rows:
            result[key] = (1.0, threshold - 1.0) if key in small else (0.0, math.inf)
    return result


def _solve(names: list, rows: list[tuple[dict, float, str]], small: Container, threshold: int,
           targets: list, integer: bool) -> dict:
    index = {k: i for i, k in enumerate(names)}
    n = len(names)
    lower, upper, constraints = _bounds_and_rows(names, rows, small, threshold)
    integrality = np.ones(n) if integer else np.zeros(n)
    out = {}
    for key in targets:
        bounds = []
        for sign in (1.0, -1.0):
            c = np.zeros(n)
            c[index[key]] = sign
            res = milp(c, constraints=constraints, integrality=integrality, bounds=Bounds(lower, upper))
            if res.status == 2:
                raise ValueError(f"disclosure: the published figures around {key} contradict each other")
            if res.status == 3 or res.x is None:    # unbounded
                bounds.append(-math.inf if sign > 0 else math.inf)
            else:
                bounds.append(sign * res.fun)
        out[key] = (bounds[0], bounds[1])
    return out


def narrowed(cells: Mapping[Hashable, float], groups: Iterable[Group], hidden: Mapping[Hashable, str],
             small: Container, threshold: int, at_most: Iterable[tuple[Hashable, Hashable]] = ()) -> dict:
    """The small counts a reader can pin to one value: {cell: value}.

    Faster than `ranges` on large systems: a few whole-number solutions of each
    connected set (least and greatest sum of its small counts, and two with
    mixed signs) show most counts taking two values already; only the rest get
    their own least and greatest value.
    """
    groups = [(tuple(p), t) for p, t in groups]
    equalities, inequalities = system(cells, groups, hidden, at_most)
    rows = [(r, rhs, "eq") for r, rhs in equalities] + [(r, rhs, "le") for r, rhs in inequalities]
    found = {}
    for component in components([r for r, _, _ in rows]):
        members = [rows[i] for i in component]
        names = sorted({k for r, _, _ in members for k in r}, key=str)
        targets = [k for k in names if k in small]
        if not targets:
            continue
        problem = _problem(names, members, small, threshold)
        index = {k: i for i, k in enumerate(names)}
        seen: dict = {}
        for weights in _witness_weights(names, targets, index):
            res = milp(weights, **problem)
            if res.status == 2:
                raise ValueError("disclosure: the published figures contradict each other")
            if res.x is not None:
                for k in targets:
                    seen.setdefault(k, set()).add(round(res.x[index[k]]))
        doubtful = [k for k in targets if len(seen.get(k, ())) < 2]
        for key, (low, high) in _solve(names, members, small, threshold, doubtful, True).items():
            if math.ceil(low - TOLERANCE) >= math.floor(high + TOLERANCE):
                found[key] = round(low)
    return found


def _witness_weights(names: list, targets: list, index: dict) -> list:
    """Objectives whose optima are spread apart: least and greatest sum of the targets, and two alternating."""
    out = []
    for pattern in ((1,), (-1,), (1, -1), (-1, 1)):
        c = np.zeros(len(names))
        for i, k in enumerate(targets):
            c[index[k]] = pattern[i % len(pattern)]
        out.append(c)
    return out


def _problem(names: list, rows: list[tuple[dict, float, str]], small: Container, threshold: int) -> dict:
    lower, upper, constraints = _bounds_and_rows(names, rows, small, threshold)
    # An unbounded direction is capped far above any count, so that every witness is a finite point.
    upper = np.where(np.isinf(upper), 1e9, upper)
    return {"constraints": constraints, "integrality": np.ones(len(names)), "bounds": Bounds(lower, upper)}


def _bounds_and_rows(names: list, rows: list[tuple[dict, float, str]], small: Container,
                     threshold: int) -> tuple[np.ndarray, np.ndarray, LinearConstraint]:
    """Each unknown's own bounds ("<N": 1 to N-1; hidden: 0 up) and the published rows as one constraint
    (an equality for a total, at most for a relation such as answered <= responses)."""
    index = {k: i for i, k in enumerate(names)}
    lower = np.array([1.0 if k in small else 0.0 for k in names])
    upper = np.array([threshold - 1.0 if k in small else np.inf for k in names])
    matrix = np.zeros((len(rows), len(names)))
    low_rhs, high_rhs = np.empty(len(rows)), np.empty(len(rows))
    for i, (row, rhs, kind) in enumerate(rows):
        for k, v in row.items():
            matrix[i, index[k]] = v
        low_rhs[i] = rhs if kind == "eq" else -np.inf
        high_rhs[i] = rhs
    return lower, upper, LinearConstraint(matrix, low_rhs, high_rhs)
