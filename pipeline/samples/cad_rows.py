"""Stage 3: CAD rows, one per unit assignment, and both sources rendered as the exports write them."""
from __future__ import annotations

from datetime import time

import numpy as np
import pandas as pd

from pipeline.samples.assumptions import (
    CANCELLED_EN_ROUTE,
    CRISIS_MIX,
    DISPATCH_DELAY_MIN,
    DISPOSITIONS_CRISIS,
    DISPOSITIONS_NO_UNIT,
    DISPOSITIONS_OTHER,
    LAW_UNITS_BY_PRIORITY,
    NATURE_TRAITS,
    OTHER_MIX,
    STREETS,
)
from pipeline.samples.calls import Calls
from pipeline.samples.common import HOUR, MINUTE, NA, _local_naive, _lognormal, _person_key, _pick, _render
from pipeline.samples.heart_desk import Handling


# ======================================================================================
# 3. CAD rows
# ======================================================================================


def build_cad_rows(calls: Calls, handling: dict[int, Handling], rng: np.random.Generator) -> pd.DataFrame:
    """One row per unit assignment (numeric times), plus one empty-unit row for incidents with none."""
    n = len(calls)
    traits = [NATURE_TRAITS[x] for x in calls.nature]
    no_unit = rng.random(n) < np.array([t.no_unit for t in traits])
    n_law = _police_units(rng, calls.priority)
    n_law[no_unit] = 0
    n_ems = ((rng.random(n) < np.array([t.ems for t in traits])) & ~no_unit).astype(np.int64)
    n_fire = ((rng.random(n) < np.array([t.fire for t in traits])) & ~no_unit).astype(np.int64)
    n_fire[(calls.nature == "FIRE") & ~no_unit] += rng.integers(0, 2, ((calls.nature == "FIRE") & ~no_unit).sum())
    dispatch_from = calls.t.copy()
    _apply_handling(handling, n_law, n_ems, n_fire, dispatch_from, rng)

    units = _standard_unit_rows(calls, n_law, n_ems, n_fire, dispatch_from, rng)
    heart = _handled_unit_rows(handling)
    empty = np.flatnonzero(n_law + n_ems + n_fire + np.array([len(handling[i].unit_rows) if i in handling else 0
                                                              for i in range(n)]) == 0)
    blanks = pd.DataFrame({"inc": empty, "UnitID": "", "UnitType": "", "disp": NA, "enroute": NA,
                           "arr": NA, "clr": NA})
    rows = pd.concat([units, heart, blanks], ignore_index=True)
    # Stable order: by incident, then dispatch time (empty-unit rows have only one row).
    rows["sort_disp"] = rows["disp"].where(rows["disp"] != NA, 0)
    rows = rows.sort_values(["inc", "sort_disp", "UnitID"], kind="stable").drop(columns="sort_disp")
    return rows.reset_index(drop=True)


def _police_units(rng: np.random.Generator, priority: np.ndarray) -> np.ndarray:
    u = rng.random(len(priority))
    probs = np.array([LAW_UNITS_BY_PRIORITY[p] for p in priority])
    return 1 + (u > probs[:, 0]).astype(np.int64) + (u > probs[:, 0] + probs[:, 1]).astype(np.int64)


def _apply_handling(handling, n_law, n_ems, n_fire, dispatch_from, rng) -> None:
    """Replace the default units on HEART-handled incidents."""
    for i, h in handling.items():
        n_fire[i] = 0
        if h.kind in ("CRT", "COR", "CCD_PHONE"):
            n_ems[i] = 0
            n_law[i] = 1 if h.police_codispatch else 0
        elif h.kind == "CCD_POLICE":
            n_law[i] = max(1, min(n_law[i], 2))
            dispatch_from[i] = h.transfer_at
        else:  # CCD_EMS
            n_law[i] = int(rng.random() < 0.3)
            n_ems[i] = 1
            dispatch_from[i] = h.transfer_at


def _standard_unit_rows(calls, n_law, n_ems, n_fire, dispatch_from, rng) -> pd.DataFrame:
    total = n_law + n_fire + n_ems
    inc = np.repeat(np.arange(len(calls)), total)
    starts = np.repeat(np.cumsum(total) - total, total)
    rank = np.arange(len(inc)) - starts
    law_n, fire_n = n_law[inc], n_fire[inc]
    kind = np.where(rank < law_n, "LAW", np.where(rank < law_n + fire_n, "FIRE", "EMS")).astype(object)
    m = len(inc)
    priority = calls.priority[inc]
    is_law = kind == "LAW"

    delay_med = np.where(is_law, np.array([DISPATCH_DELAY_MIN[p] for p in priority]) * MINUTE, 90.0)
    disp = dispatch_from[inc] + _lognormal(rng, delay_med, 0.7).astype(np.int64) + rank * rng.integers(0, 240, m)
    enroute = disp + _lognormal(rng, 45, 0.5, m).astype(np.int64)
    travel_med = np.where(priority <= 2, 330.0, 480.0)
    arr = enroute + _lognormal(rng, travel_med, 0.5).astype(np.int64)
    scene_med = np.array([NATURE_TRAITS[x].scene_min for x in calls.nature])[inc] * MINUTE
    clr = arr + np.clip(_lognormal(rng, scene_med, 0.6), 3 * MINUTE, 8 * HOUR).astype(np.int64)
    # Cancelled en route: no arrival; cleared a few minutes after starting out.
    cancelled = rng.random(m) < CANCELLED_EN_ROUTE
    clr = np.where(cancelled, enroute + rng.integers(60, 600, m), clr)
    arr = np.where(cancelled, NA, arr)

    district = np.array([b[0] for b in calls.beat])[inc]
    roster = (rng.integers(0, 60, len(calls))[inc] + 7 * rank) % 60   # distinct units within one incident
    numbers = rng.integers(1, 21, m) + rank
    unit_id = [
        f"P{d}{301 + r}" if k == "LAW" else (f"E{1 + (x - 1) % 18}" if k == "FIRE" else f"M{x}")
        for k, d, r, x in zip(kind, district, roster, numbers)
    ]
    return pd.DataFrame({"inc": inc, "UnitID": unit_id, "UnitType": kind, "disp": disp, "enroute": enroute,
                         "arr": arr, "clr": clr})


def _handled_unit_rows(handling: dict[int, Handling]) -> pd.DataFrame:
    records = [(i, *row) for i, h in handling.items() for row in h.unit_rows]
    return pd.DataFrame(records, columns=["inc", "UnitID", "UnitType", "disp", "enroute", "arr", "clr"]).astype(
        {"inc": np.int64, "disp": np.int64, "enroute": np.int64, "arr": np.int64, "clr": np.int64})


def incident_dispositions(calls: Calls, rows: pd.DataFrame, handling: dict[int, Handling],
                          rng: np.random.Generator) -> np.ndarray:
    n = len(calls)
    disposition = np.where(calls.crisis, _pick(rng, DISPOSITIONS_CRISIS, n), _pick(rng, DISPOSITIONS_OTHER, n))
    has_unit = np.zeros(n, dtype=bool)
    has_unit[rows.loc[rows["UnitID"] != "", "inc"].to_numpy()] = True
    disposition = np.where(has_unit, disposition, _pick(rng, DISPOSITIONS_NO_UNIT, n))
    for i, h in handling.items():
        if h.kind in ("CRT", "COR", "CCD_PHONE"):
            disposition[i] = "HRT"
        elif h.kind == "CCD_EMS":
            disposition[i] = "TRN" if rng.random() < 0.6 else "REF"
    return disposition


def final_natures(calls: Calls, rng: np.random.Generator) -> np.ndarray:
    """About 7% of calls are re-coded by the time they close, to another type of the same family."""
    n = len(calls)
    recode = rng.random(n) < 0.07
    other = np.where(calls.crisis, _pick(rng, CRISIS_MIX, n), _pick(rng, OTHER_MIX, n))
    return np.where(recode, other, calls.nature)


def render_cad(calls: Calls, rows: pd.DataFrame, disposition: np.ndarray, final_nature: np.ndarray,
               rng: np.random.Generator, tz: str) -> pd.DataFrame:
    """CAD rows as export text, in CAD_COLUMNS order, plus `inc` to split into exports."""
    stamp = np.datetime_as_string(calls.local, unit="s").astype(object)
    call_date = np.array([f"{s[5:7]}/{s[8:10]}/{s[:4]}" for s in stamp], dtype=object)
    call_time = np.array([s[11:] for s in stamp], dtype=object)
    blocks = rng.integers(1, 60, len(calls)) * 100
    streets = np.array(STREETS, dtype=object)[rng.integers(0, len(STREETS), len(calls))]
    address = np.array([f"{b} BLOCK {s}" for b, s in zip(blocks, streets)], dtype=object)
    inc = rows["inc"].to_numpy()
    out = pd.DataFrame({
        "IncidentNumber": calls.number[inc], "CallDate": call_date[inc], "CallTime": call_time[inc],
        "InitialNature": calls.nature[inc], "FinalNature": final_nature[inc],
        "Priority": calls.priority[inc].astype(str), "Beat": calls.beat[inc], "Address": address[inc],
        "Disposition": disposition[inc], "UnitID": rows["UnitID"].to_numpy(), "UnitType": rows["UnitType"].to_numpy(),
        "Dispatched": _render(rows["disp"], tz, " "), "Enroute": _render(rows["enroute"], tz, " "),
        "Arrived": _render(rows["arr"], tz, " "), "Cleared": _render(rows["clr"], tz, " "),
    })
    out["inc"] = inc
    return out


def render_heart(responses: list[dict], seed: int, tz: str) -> pd.DataFrame:
    """HEART rows as export text, in received order, with ResponseIDs numbered per year."""
    frame = pd.DataFrame(responses)
    frame = frame.sort_values(["rx", "unit", "incident"], kind="stable").reset_index(drop=True)
    years = _local_naive(frame["rx"].to_numpy(), tz).astype("datetime64[Y]").astype(int) + 1970
    seq = pd.Series(years).groupby(years).cumcount().to_numpy() + 1
    out = pd.DataFrame({
        "ResponseID": [f"H{y % 100:02d}-{s:06d}" for y, s in zip(years, seq)],
        "CADIncident": frame["incident"].to_numpy(), "Unit": frame["unit"].to_numpy(),
        "Team": frame["team"].to_numpy(),
        "ReceivedAt": _render(frame["rx"], tz, "T"), "DispatchedAt": _render(frame["disp"], tz, "T"),
        "ArrivedAt": _render(frame["arr"], tz, "T"), "ClearedAt": _render(frame["clr"], tz, "T"),
        "ContactMode": frame["contact"].to_numpy(), "ResolvedNoInPerson": frame["resolved"].to_numpy(),
        "PoliceRequested": frame["police"].to_numpy(), "FeltSafe": frame["felt_safe"].to_numpy(),
        "Outcome": frame["outcome"].to_numpy(), "Referrals": frame["referrals"].to_numpy(),
        "PersonKey": [_person_key(seed, p) for p in frame["person"]],
        "FollowUpDue": _render(frame["due"], tz, "T"), "FollowUpDone": _render(frame["done"], tz, "T"),
    })
    out["rx_local"] = _local_naive(frame["rx"].to_numpy(), tz)
    return out
