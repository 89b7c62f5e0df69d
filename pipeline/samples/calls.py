"""Stage 1: calls, Poisson arrivals per UTC hour following the local hour, weekday and season."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

import numpy as np
import pandas as pd

from pipeline.samples.assumptions import (
    CRISIS_MIX,
    CRISIS_PER_DAY,
    CRISIS_RAMP,
    CRISIS_RAMP_DAYS,
    CRISIS_WINTER_PEAK,
    HOUR_SHAPE_CRISIS,
    HOUR_SHAPE_OTHER,
    NATURE_TRAITS,
    OTHER_MIX,
    OTHER_PER_DAY,
    OTHER_SUMMER_PEAK,
    WEEKDAY_SHAPE,
)
from pipeline.samples.common import HOUR, _local_naive, _pick
from pipeline.samples.program import Program


# ======================================================================================
# 1. Calls
# ======================================================================================


@dataclass
class Calls:
    """All CAD incidents, in received order. Column arrays, one element per incident."""

    t: np.ndarray          # received, epoch seconds UTC
    local: np.ndarray      # received, local datetime64[s]
    nature: np.ndarray     # InitialNature
    crisis: np.ndarray     # bool: one of the crisis call types (CRISIS_MIX)
    beat: np.ndarray
    priority: np.ndarray
    number: np.ndarray     # IncidentNumber

    def __len__(self) -> int:
        return len(self.t)


def simulate_calls(program: Program, rng: np.random.Generator, first: date, stop: date, scale: float) -> Calls:
    """Poisson arrivals per UTC hour from local midnight of `first` to local midnight of `stop`."""
    tz = program.timezone
    start_utc = pd.Timestamp(datetime.combine(first, time()), tz=tz).tz_convert("UTC")
    stop_utc = pd.Timestamp(datetime.combine(stop, time()), tz=tz).tz_convert("UTC")
    hours = pd.date_range(start_utc, stop_utc, freq="h", inclusive="left")
    local = hours.tz_convert(tz)
    hour_t = hours.as_unit("s").asi8
    local_hour = local.hour.to_numpy()
    weekday = local.day_of_week.to_numpy()
    day_of_year = local.day_of_year.to_numpy()
    days_live = (local.tz_localize(None).normalize() - pd.Timestamp(program.launch_date)).days.to_numpy()

    summer = np.cos(2 * np.pi * (day_of_year - 200) / 365.25)   # +1 in mid-July, -1 in mid-January
    ramp = 1 + CRISIS_RAMP * np.clip(days_live / CRISIS_RAMP_DAYS, 0, 1)
    groups = [
        (OTHER_PER_DAY * (1 + OTHER_SUMMER_PEAK * summer), HOUR_SHAPE_OTHER, OTHER_MIX, False),
        (CRISIS_PER_DAY * (1 - CRISIS_WINTER_PEAK * summer) * ramp, HOUR_SHAPE_CRISIS, CRISIS_MIX, True),
    ]
    parts = []
    for per_day, shape, mix, crisis in groups:
        lam = scale * per_day * (shape / shape.sum())[local_hour] * WEEKDAY_SHAPE[weekday]
        counts = rng.poisson(lam)
        t = np.repeat(hour_t, counts) + rng.integers(0, HOUR, counts.sum())
        parts.append((t, _pick(rng, mix, counts.sum()), np.full(counts.sum(), crisis)))

    t = np.concatenate([p[0] for p in parts])
    order = np.argsort(t, kind="stable")
    t = t[order]
    nature = np.concatenate([p[1] for p in parts])[order]
    crisis = np.concatenate([p[2] for p in parts])[order]
    n = len(t)
    beat = _assign_beats(program, rng, n)
    priority = _assign_priority(rng, nature)
    local_t = _local_naive(t, tz)
    return Calls(t=t, local=local_t, nature=nature, crisis=crisis, beat=beat, priority=priority,
                 number=_incident_numbers(local_t, first, scale))


def _assign_beats(program: Program, rng: np.random.Generator, n: int) -> np.ndarray:
    # The central pilot beats are busier than the rest (a third of the area, more of the calls).
    pilot = set(program.config["service_area"][0]["beats"])
    weights = np.array([1.3 if b in pilot else 1.0 for b in program.all_beats])
    return np.array(program.all_beats, dtype=object)[rng.choice(len(weights), n, p=weights / weights.sum())]


def _assign_priority(rng: np.random.Generator, nature: np.ndarray) -> np.ndarray:
    # Each type's typical priority, one step more or less urgent about 15% of the time each way.
    base = np.array([NATURE_TRAITS[x].priority for x in nature])
    shift = rng.choice([-1, 0, 1], size=len(nature), p=[0.15, 0.70, 0.15])
    return np.clip(base + shift, 1, 5).astype(np.int64)


def _incident_numbers(local: np.ndarray, first: date, scale: float) -> np.ndarray:
    """'22-0012345': two-digit year, then a sequence that restarts each year in received order.

    The first, partial, year starts where a CAD system would be on that date.
    """
    years = local.astype("datetime64[Y]").astype(int) + 1970
    seq = np.zeros(len(local), dtype=np.int64)
    for year in np.unique(years):
        mask = years == year
        offset = year_offset(first, scale) if year == first.year else 0
        seq[mask] = offset + np.arange(1, mask.sum() + 1)
    return np.array([f"{y % 100:02d}-{s:07d}" for y, s in zip(years, seq)], dtype=object)


def year_offset(first: date, scale: float) -> int:
    """The sequence number a CAD system would have reached by `first` in its year (the expected call count)."""
    return int((first - date(first.year, 1, 1)).days * (OTHER_PER_DAY + CRISIS_PER_DAY) * scale)
