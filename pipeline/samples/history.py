"""Pre-launch CAD history: the weekly CAD exports a city already has for the weeks before its program launched.

Issue 16's estimates compare beats (and hours) before and after service started, so they need calls from
before launch. The history is a second simulation with its own random streams, covering local midnight of
the Sunday before `history_start` up to local midnight of the Sunday before `start`, the first instant of
the post-launch stream: every call is in exactly one stream, and the post-launch files do not change when
the history does. The same stages run on it (calls, CAD rows, dispositions, deliberate flaws at the same
rates, re-exports), except the HEART desk: before launch there is no program, so no HEART log files either.

Incident numbers restart each year. The post-launch stream's first year starts where a CAD system would be
on its first day (calls.year_offset), so the history's numbers in that year must stay below it. They also
skip every number a post-launch HEART log row names: the deliberate CADIncident typos must match no
incident, and a typo of a 2022 number can land in the history's range. When the simulated history has
more calls that year than numbers left (the Poisson draw runs a little above its expectation), the excess
is dropped at random, a fraction of a percent of that year's history at most, rather than numbering two
incidents alike.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

import numpy as np
import pandas as pd

from pipeline.samples.cad_rows import build_cad_rows, final_natures, incident_dispositions, render_cad
from pipeline.samples.calls import Calls, simulate_calls, year_offset
from pipeline.samples.flaws import inject_cad_flaws
from pipeline.samples.program import Program

HISTORY_STREAM = 16   # the history's streams are [seed, 16, i]; the post-launch ones are [seed, i]
DEFAULT_HISTORY_START = date(2021, 1, 4)


@dataclass
class History:
    """The simulated pre-launch weeks, ready for the export writer."""

    start: date            # Monday of the first history week
    n_weeks: int
    calls: Calls
    cad: pd.DataFrame      # rendered rows with deliberate flaws, plus `inc`
    reexports: pd.DataFrame
    dropped: int           # calls dropped so that incident numbers stay below the post-launch ones


def history_note(program: Program, history_start: date | None, start: date) -> str | None:
    """Why no history is written for these arguments, or None when it is."""
    if history_start is None:
        return "no pre-launch history (not asked for)"
    if history_start >= start:
        return f"no pre-launch history (it would start on {history_start}, not before the first week {start})"
    if start - timedelta(days=1) > program.launch_date:
        return (f"no pre-launch history (the first week {start} starts after the launch on "
                f"{program.launch_date}; history only precedes a run that starts at launch)")
    return None


def _streams(seed: int) -> dict[str, np.random.Generator]:
    names = ["calls", "units", "flaws"]
    return {name: np.random.default_rng([seed, HISTORY_STREAM, i]) for i, name in enumerate(names)}


def simulate_history(program: Program, seed: int, history_start: date, start: date, scale: float,
                     reexports, taken: set[str]) -> History:
    """History weeks history_start .. start - 7 days, from the Sunday before history_start to the Sunday before start.

    `reexports` is the export writer's re-export stage (generate._reexports), passed in to keep one copy.
    `taken`: incident numbers the history must not use (the post-launch HEART log's CADIncident values).
    """
    rng = _streams(seed)
    first, seam = history_start - timedelta(days=1), start - timedelta(days=1)
    n_weeks = (start - history_start).days // 7
    years = n_weeks / 52.18
    calls = simulate_calls(program, rng["calls"], first, seam, scale)
    calls, dropped = _below_post_launch_numbers(calls, first, seam, scale, taken, rng["calls"])

    rows = build_cad_rows(calls, {}, rng["units"])
    disposition = incident_dispositions(calls, rows, {}, rng["units"])
    cad = render_cad(calls, rows, disposition, final_natures(calls, rng["units"]), rng["units"], program.timezone)
    cad = inject_cad_flaws(cad, rng["flaws"], years)
    updated = reexports(cad, calls, history_start, n_weeks, rng["flaws"], years, scale)
    return History(start=history_start, n_weeks=n_weeks, calls=calls, cad=cad, reexports=updated, dropped=dropped)


def _below_post_launch_numbers(calls: Calls, first: date, seam: date, scale: float, taken: set[str],
                               rng: np.random.Generator) -> tuple[Calls, int]:
    """Number the seam year's calls below the post-launch stream's first number, skipping `taken`; drop, at
    random, any calls beyond the numbers left."""
    years = calls.local.astype("datetime64[Y]").astype(int) + 1970
    in_seam_year = np.flatnonzero(years == seam.year)
    low = year_offset(first, scale) if first.year == seam.year else 0
    free = [text for text in (f"{seam.year % 100:02d}-{n:07d}" for n in range(low + 1, year_offset(seam, scale) + 1))
            if text not in taken]
    excess = max(0, len(in_seam_year) - len(free))
    if excess:
        keep = np.ones(len(calls), dtype=bool)
        keep[rng.choice(in_seam_year, excess, replace=False)] = False
        calls = replace(calls, t=calls.t[keep], local=calls.local[keep], nature=calls.nature[keep],
                        crisis=calls.crisis[keep], beat=calls.beat[keep], priority=calls.priority[keep],
                        number=calls.number[keep])
        years = years[keep]
    number = calls.number.copy()
    seam_rows = np.flatnonzero(years == seam.year)   # in received order
    number[seam_rows] = np.array(free[:len(seam_rows)], dtype=object)
    return replace(calls, number=number), excess
