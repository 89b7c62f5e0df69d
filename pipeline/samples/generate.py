"""Seeded generator of sample 911 CAD exports and HEART logs for a Durham-like city.

The simulation runs in UTC epoch seconds and renders local wall-clock time
(America/New_York) only when it writes files. Durations therefore stay real
across daylight-saving changes, and the autumn fall-back hour really does
occur twice in the exports.

Pipeline of the simulation:
  1. calls      Poisson arrivals per UTC hour. The rate follows the local hour, the
                weekday and the season.
  2. HEART desk walks the eligible calls in time order: 911 triage, then the
                service hours, service area and team capacity in force (all
                read from config/program.toml), then CCD / CRT / COR
                responses and Care Navigation follow-ups.
  3. CAD rows   one row per unit assignment, built vectorised, with HEART units
                and crisis-trained officers added from step 2.
  4. flaws      small, deterministic, documented defects (data_samples/README.md).
  5. exports    weekly CAD files (8 days, Sunday overlap) and HEART files (7 days),
                gzip-compressed with mtime=0 so that the same seed gives
                byte-identical files.

Volume figures and routing shares are simulation assumptions, tuned so that
the committed sample matches the published figures in durham-facts.md. Program
facts (eligible types, beats, hours, capacity) are never hard-coded here.

The stages live in this package, one module each (assumptions, program,
common, calls, heart_desk, cad_rows, flaws); this module writes the weekly
exports and is the entry point, generate().
"""
from __future__ import annotations

import gzip
from datetime import date, time, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from pipeline.samples.assumptions import CRISIS_MIX, OTHER_MIX, UPDATED_REEXPORTS_PER_YEAR
from pipeline.samples.cad_rows import (
    build_cad_rows,
    final_natures,
    incident_dispositions,
    render_cad,
    render_heart,
)
from pipeline.samples.calls import Calls, simulate_calls
from pipeline.samples.common import (
    CAD_COLUMNS,
    DEFAULT_CONFIG,
    DEFAULT_END,
    DEFAULT_SEED,
    DEFAULT_START,
    HEART_COLUMNS,
    _gzip_csv,
    _streams,
)
from pipeline.samples.effect import (
    DEFAULT_ARREST_EFFECT,
    ImpactTruth,
    first_served,
    impact_truth,
    impact_types,
    police_handled,
    served_beat_days,
    served_cells,
    thin_arrests,
)
from pipeline.samples.flaws import _choose, inject_cad_flaws, inject_heart_flaws
from pipeline.samples.heart_desk import HeartDesk
from pipeline.samples.history import DEFAULT_HISTORY_START, history_note, simulate_history
from pipeline.samples.program import Program


# ======================================================================================
# 5. Exports
# ======================================================================================


def _week_index(local: np.ndarray, start: date) -> np.ndarray:
    """Week k covers local days [Monday_k, Monday_k+1); days before `start` give -1."""
    days = (local.astype("datetime64[D]") - np.datetime64(start, "D")).astype(np.int64)
    return np.floor_divide(days, 7)


def _day_in_week(local: np.ndarray, start: date) -> np.ndarray:
    """0 = Monday ... 6 = Sunday (`start` is a Monday)."""
    return (local.astype("datetime64[D]") - np.datetime64(start, "D")).astype(np.int64) % 7


def _reexports(cad: pd.DataFrame, calls: Calls, start: date, n_weeks: int, rng: np.random.Generator,
               years: float, scale: float) -> pd.DataFrame:
    """Incidents changed after export: sent again in the next export with a newer Disposition.

    About a third also get a new FinalNature. The newer export should win.
    """
    weeks = _week_index(calls.local, start)
    # Sunday incidents are already in two exports; HEART-handled ones keep their HRT disposition.
    sunday = _day_in_week(calls.local, start) == 6
    handled = np.zeros(len(calls), dtype=bool)
    handled[cad.loc[cad["Disposition"] == "HRT", "inc"].to_numpy()] = True
    pool = np.flatnonzero(~sunday & ~handled & (weeks >= 0) & (weeks < n_weeks - 1))
    count = min(len(pool), max(1, int(round(UPDATED_REEXPORTS_PER_YEAR * years * scale))))
    chosen = np.sort(_choose(rng, pool, count))
    updated = cad[cad["inc"].isin(chosen)].copy()
    for inc in chosen:
        mask = updated["inc"] == inc
        old = updated.loc[mask, "Disposition"].iloc[0]
        newer = [d for d in ("RPT", "ARR", "CIT", "REF", "NRPT") if d != old]
        updated.loc[mask, "Disposition"] = str(rng.choice(newer))
        if rng.random() < 0.3:
            family = CRISIS_MIX if calls.crisis[inc] else OTHER_MIX
            updated.loc[mask, "FinalNature"] = str(rng.choice(list(family)))
    updated["export"] = weeks[updated["inc"].to_numpy()] + 1
    return updated


def write_exports(out_dir: Path, start: date, n_weeks: int, calls: Calls, cad: pd.DataFrame,
                  heart: pd.DataFrame | None, reexports: pd.DataFrame,
                  seam_rows: pd.DataFrame | None = None) -> list[Path]:
    """Week k's CAD export (named Monday_k+1) holds days Sunday_k-1 .. Sunday_k+6: 8 days, the first Sunday repeated.

    `heart` None: CAD files only (the pre-launch history). `seam_rows`: the next stream's rows for the last
    week's Sunday, which that stream's first export repeats; they go into this stream's last export.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    week = _week_index(calls.local, start)
    day_in_week = _day_in_week(calls.local, start)
    row_week = week[cad["inc"].to_numpy()]
    row_overlap = np.where(day_in_week[cad["inc"].to_numpy()] == 6, row_week + 1, -99)  # Sunday: also next export
    heart_week = None if heart is None else _week_index(heart["rx_local"].to_numpy(), start)
    paths = []
    for k in range(n_weeks):
        stamp = (start + timedelta(days=7 * (k + 1))).isoformat()
        parts = [cad[(row_week == k) | (row_overlap == k)], reexports[reexports["export"] == k]]
        if seam_rows is not None and k == n_weeks - 1:
            parts.append(seam_rows.assign(inc=seam_rows["inc"] + len(calls)))   # after this stream's incidents
        rows = pd.concat(parts).sort_values("inc", kind="stable")
        cad_path = out_dir / f"durham_cad_{stamp}.csv.gz"
        _gzip_csv(rows[CAD_COLUMNS], cad_path)
        paths.append(cad_path)
        if heart is not None:
            heart_path = out_dir / f"durham_heart_{stamp}.csv.gz"
            _gzip_csv(heart.loc[heart_week == k, HEART_COLUMNS], heart_path)
            paths.append(heart_path)
    return paths


# ======================================================================================
# Entry point
# ======================================================================================


class Generated(list):
    """The paths written (a list, in writing order), with the impact truth and what the history holds."""

    def __init__(self, paths: list[Path], truth: ImpactTruth, history_weeks: int, history_note: str | None,
                 history_dropped: int):
        super().__init__(paths)
        self.truth, self.history_weeks, self.history_note = truth, history_weeks, history_note
        self.history_dropped = history_dropped


def generate(out_dir: Path, seed: int = DEFAULT_SEED, start: date = DEFAULT_START, end: date = DEFAULT_END,
             scale: float = 1.0, config_path: Path = DEFAULT_CONFIG,
             history_start: date | None = DEFAULT_HISTORY_START,
             arrest_effect: float = DEFAULT_ARREST_EFFECT) -> Generated:
    """Write weekly CAD and HEART exports for the weeks starting on Mondays `start`..`end`, and the CAD-only
    pre-launch history for the weeks `history_start`..`start` - 7 days when `start` is the launch week.

    Same arguments, same bytes. `scale` multiplies call volumes (team capacity does not scale).
    `arrest_effect` (tau, -1..0) thins arrests on police-handled impact-type calls in served cells (effect.py).
    """
    if start.weekday() != 0 or end.weekday() != 0 or end < start:
        raise ValueError("start and end must be Mondays, with start <= end")
    if history_start is not None and history_start.weekday() != 0:
        raise ValueError("the history start must be a Monday")
    program = Program.load(Path(config_path))
    rng = _streams(seed)
    n_weeks = (end - start).days // 7 + 1
    years = n_weeks / 52.18
    first, stop = start - timedelta(days=1), end + timedelta(days=7)   # the first export includes the Sunday before

    calls = simulate_calls(program, rng["calls"], first, stop, scale)
    desk = HeartDesk(program, rng["heart"], seed)
    desk.run(calls)
    desk.add_walkups(start, stop)

    rows = build_cad_rows(calls, desk.handling, rng["units"])
    counterfactual = incident_dispositions(calls, rows, desk.handling, rng["units"])
    disposition, truth = _arrest_effect(program, calls, rows, counterfactual, arrest_effect, seed)
    cad = render_cad(calls, rows, disposition, final_natures(calls, rng["units"]), rng["units"], program.timezone)
    heart = render_heart(desk.responses, seed, program.timezone)

    cad = inject_cad_flaws(cad, rng["flaws"], years)
    heart = inject_heart_flaws(heart, set(calls.number), rng["flaws"], years)
    reexports = _reexports(cad, calls, start, n_weeks, rng["flaws"], years, scale)
    paths = write_exports(Path(out_dir), start, n_weeks, calls, cad, heart, reexports)

    note = history_note(program, history_start, start)
    if note is not None:
        return Generated(paths, truth, 0, note, 0)
    history = simulate_history(program, seed, history_start, start, scale, _reexports, set(heart["CADIncident"]))
    # The post-launch stream's first Sunday (the day before `start`) closes the history's last export.
    seam_rows = cad[_week_index(calls.local, start)[cad["inc"].to_numpy()] == -1]
    written = write_exports(Path(out_dir), history.start, history.n_weeks, history.calls, history.cad, None,
                            history.reexports, seam_rows)
    return Generated(written + paths, truth, history.n_weeks, None, history.dropped)


def _arrest_effect(program: Program, calls: Calls, rows: pd.DataFrame, counterfactual: np.ndarray, tau: float,
                   seed: int) -> tuple[np.ndarray, ImpactTruth]:
    """Observed dispositions after the true effect, and the truth it leaves. Its own stream: [seed, 103]."""
    impact = np.isin(calls.nature, list(impact_types(program))) & police_handled(len(calls), rows)
    hours = np.zeros(len(calls), dtype=bool)
    beats = np.zeros(len(calls), dtype=bool)
    idx = np.flatnonzero(impact)
    hours[idx] = served_cells(program, calls.local[idx], calls.beat[idx])
    beats[idx] = served_beat_days(program, calls.local[idx], calls.beat[idx])
    observed = thin_arrests(counterfactual, impact & hours, tau, np.random.default_rng([seed, 103]))
    starts = first_served(program).values()
    early = calls.local.astype("datetime64[D]") < np.datetime64(max(starts), "D") if starts else None
    return observed, impact_truth(tau, counterfactual, observed, impact, hours, beats, early)
