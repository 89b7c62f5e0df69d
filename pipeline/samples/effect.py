"""The sample city's true effect on arrests, and the truth an impact estimate is checked against.

The program's indirect effect (issue 16): on an impact-type call that police handle in a SERVED cell, an
arrest disposition (ARR) is kept with probability 1 + tau, otherwise it becomes NRPT (no report). Impact
call types are the eligible types in force AT LAUNCH, fixed over the whole history. A cell is served when
the call's beat is in the service area in force on its received date and its received time is in the service
hours in force then (config/program.toml, read through Program: no copy of those facts here).

HEART-handled calls already carry HRT (CR, COR, CCD by phone) or TRN/REF (CCD hand-off to EMS), never ARR:
that is the program's direct effect, not tau, and such calls add nothing to the sums below.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd

from pipeline.samples.program import Program

ARREST, NO_REPORT = "ARR", "NRPT"
DEFAULT_ARREST_EFFECT = -0.30


@dataclass(frozen=True)
class EffectTruth:
    """sum(A1 - A0) / sum(A0) over `calls` police-handled impact-type calls: A0 arrests before thinning, A1 after."""

    calls: int
    arrests_before: int   # sum(A0): the counterfactual arrests
    arrests_after: int    # sum(A1): the observed arrests

    @property
    def effect(self) -> float | None:
        """Relative change in arrests; None when there was no arrest to change (0 / 0)."""
        if self.arrests_before == 0:
            return None
        return (self.arrests_after - self.arrests_before) / self.arrests_before


@dataclass(frozen=True)
class ImpactTruth:
    """The configured tau and the realised effect in the two designs' treated cells."""

    tau: float
    served_hours: EffectTruth   # calls received in a served cell (served beat AND service hours)
    served_beats: EffectTruth   # calls in a beat from the day it was first served, at every hour
    # The same, only in beats first served before the last start and only before that start: what the staggered
    # beat design can compare (after the last start no beat is left unserved, so its comparison ends there).
    served_beats_before_last_start: EffectTruth | None = None

    def lines(self) -> list[str]:
        """Plain-words summary, as `python -m pipeline.samples` prints it."""
        out = [f"true arrest effect (tau) {self.tau:+.3f} on police-handled impact-type calls in served cells"]
        for name, truth in (("served hours", self.served_hours), ("served beats", self.served_beats),
                            ("served beats before the last start", self.served_beats_before_last_start)):
            if truth is None:
                continue
            effect = "n/a (no arrest)" if truth.effect is None else f"{truth.effect:+.4f}"
            out.append(f"  {name}: {effect} ({truth.arrests_before} -> {truth.arrests_after} arrests "
                       f"on {truth.calls} police-handled impact-type calls)")
        return out


def impact_types(program: Program) -> frozenset[str]:
    """The eligible InitialNatures in force on the launch date: the fixed impact call types."""
    plan = program.plan(program.launch_date)
    return plan.eligible if plan else frozenset()


def first_served(program: Program) -> dict[str, date]:
    """Beat -> first day it was in the service area in force (no earlier than launch); unserved beats absent."""
    firsts: dict[str, date] = {}
    for entry in sorted(program.config.get("service_area", []), key=lambda e: e["effective"]):
        day = max(entry["effective"], program.launch_date)
        for beat in (program.all_beats if entry.get("citywide") else entry["beats"]):
            firsts.setdefault(beat, day)
    return firsts


def served_cells(program: Program, local: np.ndarray, beat: np.ndarray) -> np.ndarray:
    """Is each call's cell served: beat in the area in force on its local date, received in service hours?"""
    days = local.astype("datetime64[D]")
    seconds = (local - days).astype(np.int64)
    served = np.zeros(len(local), dtype=bool)
    for day in np.unique(days):
        plan = program.plan(day.astype(object))
        if plan is None:
            continue
        on = days == day
        start = plan.start.hour * 3600 + plan.start.minute * 60 + plan.start.second
        end = plan.end.hour * 3600 + plan.end.minute * 60 + plan.end.second
        open_day = day.astype(object).weekday() in plan.days
        served[on] = open_day & (seconds[on] >= start) & (seconds[on] < end) & np.isin(beat[on], list(plan.beats))
    return served


def served_beat_days(program: Program, local: np.ndarray, beat: np.ndarray) -> np.ndarray:
    """Is each call in a beat on or after the day that beat was first served (every hour counts)?"""
    firsts = first_served(program)
    never = np.datetime64(date.max - timedelta(days=1), "D")
    since = np.array([np.datetime64(firsts[b], "D") if b in firsts else never for b in beat], dtype="datetime64[D]")
    return local.astype("datetime64[D]") >= since


def police_handled(n_calls: int, rows: pd.DataFrame) -> np.ndarray:
    """Calls with at least one police (LAW) unit assigned, from the CAD unit rows before any deliberate flaw."""
    police = np.zeros(n_calls, dtype=bool)
    police[rows.loc[rows["UnitType"] == "LAW", "inc"].to_numpy()] = True
    return police


def thin_arrests(disposition: np.ndarray, eligible_served: np.ndarray, tau: float,
                 rng: np.random.Generator) -> np.ndarray:
    """ARR kept with probability 1 + tau where `eligible_served`, else NRPT. One uniform per call, drawn always,
    so that another tau changes only which calls cross the threshold, never the draws (tau = -1 thins every one)."""
    if not -1.0 <= tau <= 0.0:
        raise ValueError(f"the arrest effect must be between -1 and 0 (a share of arrests removed), not {tau}")
    keep = rng.random(len(disposition)) < 1.0 + tau
    thinned = eligible_served & (disposition == ARREST) & ~keep
    return np.where(thinned, NO_REPORT, disposition)


def impact_truth(tau: float, before: np.ndarray, after: np.ndarray, impact: np.ndarray,
                 served_hour: np.ndarray, served_beat: np.ndarray,
                 before_last_start: np.ndarray | None = None) -> ImpactTruth:
    """The truth from per-call arrays: dispositions before/after thinning, and which calls count.

    `impact` marks police-handled impact-type calls; `served_hour` / `served_beat` the two designs' treated cells.
    """
    a0, a1 = before == ARREST, after == ARREST

    def over(mask: np.ndarray) -> EffectTruth:
        return EffectTruth(calls=int(mask.sum()), arrests_before=int(a0[mask].sum()), arrests_after=int(a1[mask].sum()))

    early = None if before_last_start is None else over(impact & served_beat & before_last_start)
    return ImpactTruth(tau=tau, served_hours=over(impact & served_hour), served_beats=over(impact & served_beat),
                       served_beats_before_last_start=early)
