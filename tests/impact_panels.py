"""Synthetic outcome marts with a known effect, for the impact estimator's tests (and bench/impact_coverage.py).

A city of `beats` beats over `weeks` weeks from Monday 2021-01-04: the first `treated` beats are served
from week `first_start`, the others from week `second_start` (None: never). Impact calls per beat-week
are Poisson with a beat effect, a week effect and a common upward trend. In a served beat-week HEART
answers `heart_share` of them (so police handle fewer); each police-handled call ends in an arrest with
the beat's probability, times (1 + tau) in a served beat-week: tau is the true relative change in the
arrest rate per police-handled call. `pretrend` adds, to the served-first beats only, a linear rise of
the arrest rate before their start (a violation of parallel trends the pre-trend test must catch).
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd

ORIGIN = date(2021, 1, 4)
MART_COLUMNS = """beat VARCHAR, week_start DATE, served_from DATE, served_share DOUBLE, partial_week BOOLEAN,
    impact_calls BIGINT, police_handled_calls BIGINT, police_unit_hours DOUBLE, arrests BIGINT,
    ems_transports BIGINT, repeat_calls BIGINT, heart_answered_calls BIGINT, police_only_calls BIGINT,
    police_only_arrests BIGINT, police_only_ems_transports BIGINT"""


def beat_week(seed: int = 1, tau: float = -0.30, beats: int = 40, treated: int = 12, weeks: int = 180,
              first_start: int = 78, second_start: int | None = 146, heart_share: float = 0.2,
              pretrend: float = 0.0, calls: float = 30.0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    beat_effect = rng.normal(0, 0.3, beats)
    week_effect = rng.normal(0, 0.05, weeks) + np.linspace(0, 0.25, weeks)   # noise and a common trend
    arrest_p = 0.08 * np.exp(0.5 * rng.normal(0, 0.3, beats))
    rows = []
    for b in range(beats):
        start = first_start if b < treated else second_start
        for w in range(weeks):
            served = start is not None and w >= start
            n = rng.poisson(calls * np.exp(beat_effect[b] + week_effect[w]))
            answered = rng.binomial(n, heart_share) if served else 0
            police = n - answered
            p = arrest_p[b] * (1 + tau if served else 1.0)
            if pretrend and start == first_start and w < start:
                p *= 1 + pretrend * (w - start) / start      # rises towards the start, then flat
            rows.append({
                "beat": f"{100 + b}", "week_start": ORIGIN + timedelta(weeks=w),
                "served_from": None if start is None else ORIGIN + timedelta(weeks=start),
                "served_share": 1.0 if served else 0.0, "partial_week": False, "impact_calls": n,
                "police_handled_calls": police, "police_unit_hours": float(rng.gamma(2.0, 0.6, police).sum()),
                "arrests": rng.binomial(police, min(p, 1.0)), "ems_transports": rng.binomial(police, 0.03),
                "repeat_calls": rng.binomial(n, 0.15), "heart_answered_calls": answered,
            })
    return _police_alone(pd.DataFrame(rows))


def hour_week(seed: int = 1, tau: float = -0.30, beats: int = 40, treated: int = 12, weeks: int = 180,
              first_start: int = 78, second_start: int = 146, served_hours=range(8, 19),
              calls_per_hour: float = 1.5) -> pd.DataFrame:
    """Beat x hour-of-day panel: served hours (8-18) of served beats from their start; nights never."""
    rng = np.random.default_rng(seed)
    beat_effect = rng.normal(0, 0.3, beats)
    hour_effect = rng.normal(0, 0.3, 24)
    week_effect = rng.normal(0, 0.05, weeks) + np.linspace(0, 0.25, weeks)
    arrest_p = 0.08 * np.exp(0.5 * rng.normal(0, 0.3, (beats, 24)))
    frames = []
    w = np.arange(weeks)
    for b in range(beats):
        start = first_start if b < treated else second_start
        for h in range(24):
            served_hour = h in served_hours
            served = served_hour & (w >= start)
            n = rng.poisson(calls_per_hour * np.exp(beat_effect[b] + hour_effect[h] + week_effect))
            answered = rng.binomial(n, np.where(served, 0.2, 0.0))
            police = n - answered
            arrests = rng.binomial(police, np.minimum(arrest_p[b, h] * np.where(served, 1 + tau, 1.0), 1.0))
            frames.append(pd.DataFrame({
                "beat": f"{100 + b}", "hour_of_day": h, "week_start": [ORIGIN + timedelta(weeks=int(i)) for i in w],
                "served_from": ORIGIN + timedelta(weeks=start) if served_hour else None,
                "served_share": served.astype(float), "partial_week": False, "impact_calls": n,
                "police_handled_calls": police, "police_unit_hours": police * 1.2, "arrests": arrests,
                "ems_transports": rng.binomial(police, 0.03), "repeat_calls": rng.binomial(n, 0.15),
                "heart_answered_calls": answered,
            }))
    return _police_alone(pd.concat(frames, ignore_index=True))


def _police_alone(frame: pd.DataFrame) -> pd.DataFrame:
    # Here police handle exactly the calls HEART did not answer, so the calls police handled alone (the rate
    # outcomes' population) and their arrests and transports are the police-handled columns themselves.
    return frame.assign(police_only_calls=frame["police_handled_calls"], police_only_arrests=frame["arrests"],
                        police_only_ems_transports=frame["ems_transports"])


def write_marts(con, beats: pd.DataFrame | None = None, hours: pd.DataFrame | None = None) -> None:
    """The frames as marts.impact_beat_week and marts.impact_hour_week, with the marts' column types."""
    con.execute("CREATE SCHEMA IF NOT EXISTS marts")
    con.execute("CREATE SCHEMA IF NOT EXISTS metrics")
    if beats is not None:
        con.execute(f"CREATE OR REPLACE TABLE marts.impact_beat_week ({MART_COLUMNS})")
        con.register("beats_frame", beats)
        con.execute("INSERT INTO marts.impact_beat_week BY NAME SELECT * FROM beats_frame")
        con.unregister("beats_frame")
    if hours is not None:
        columns = MART_COLUMNS.replace("beat VARCHAR,", "beat VARCHAR, hour_of_day SMALLINT,")
        con.execute(f"CREATE OR REPLACE TABLE marts.impact_hour_week ({columns})")
        con.register("hours_frame", hours)
        con.execute("INSERT INTO marts.impact_hour_week BY NAME SELECT * FROM hours_frame")
        con.unregister("hours_frame")
