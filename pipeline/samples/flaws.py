"""Stage 4: small, deterministic, documented defects (data_samples/README.md)."""
from __future__ import annotations

from datetime import date, time

import numpy as np
import pandas as pd

from pipeline.samples.assumptions import (
    BAD_TIMESTAMP_RATE,
    HEART_CAD_TYPO,
    TIME_ORDER_CAD_PER_YEAR,
    TIME_ORDER_HEART_PER_YEAR,
    UNKNOWN_CODE_RATE,
)


# ======================================================================================
# 4. Deliberate flaws
# ======================================================================================


def _flaw_count(rate: float, n: int) -> int:
    """At least one of each flaw, so that even a tiny sample exercises quarantine."""
    return max(1, int(round(rate * n)))


def _choose(rng: np.random.Generator, pool, k: int) -> np.ndarray:
    """k distinct members of pool (fewer if the pool is smaller)."""
    return rng.choice(pool, min(k, len(pool)), replace=False)


def _bad_timestamp(rng: np.random.Generator, good: str, sep: str) -> str:
    """An unparseable value shaped like the column's timestamps: impossible date, impossible time, or TBD."""
    choice = int(rng.integers(3))
    if choice == 2 or not good:
        return "TBD"
    if choice == 0:
        return f"{good[:4]}-02-30{sep}{good[11:]}"
    return f"{good[:10]}{sep}24:61:00"


def inject_cad_flaws(cad: pd.DataFrame, rng: np.random.Generator, years: float) -> pd.DataFrame:
    cad = cad.copy()
    n = len(cad)
    # Unparseable timestamps in a unit column, and in the incident's CallTime (all its rows).
    for r in _choose(rng, np.arange(n), _flaw_count(BAD_TIMESTAMP_RATE, n)):
        column = str(rng.choice(["Dispatched", "Enroute", "Arrived", "Cleared"]))
        cad.at[r, column] = _bad_timestamp(rng, cad.at[r, column], " ")
    for inc in _choose(rng, cad["inc"].unique(), _flaw_count(BAD_TIMESTAMP_RATE / 4, n)):
        cad.loc[cad["inc"] == inc, "CallTime"] = "24:61:00"
    # Unknown codes: a nature and a unit type missing from the lookups.
    for inc in _choose(rng, cad["inc"].unique(), _flaw_count(UNKNOWN_CODE_RATE / 2, n)):
        cad.loc[cad["inc"] == inc, "InitialNature"] = "XFER"
    law = np.flatnonzero(cad["UnitType"].to_numpy() == "LAW")
    for r in _choose(rng, law, _flaw_count(UNKNOWN_CODE_RATE / 2, n)):
        cad.at[r, "UnitType"] = "K9"
        cad.at[r, "UnitID"] = f"K9-{int(rng.integers(1, 6))}"
    # Time-order violations: Cleared before Arrived.
    timed = np.flatnonzero(((cad["Arrived"].str.len() == 19) & (cad["Cleared"].str.len() == 19)).to_numpy())
    for r in _choose(rng, timed, _flaw_count(TIME_ORDER_CAD_PER_YEAR / n * years, n)):
        cad.at[r, "Cleared"], cad.at[r, "Arrived"] = cad.at[r, "Arrived"], cad.at[r, "Cleared"]
    return cad


def inject_heart_flaws(heart: pd.DataFrame, incident_numbers: set[str], rng: np.random.Generator,
                       years: float) -> pd.DataFrame:
    heart = heart.copy()
    n = len(heart)
    linked = np.flatnonzero(heart["CADIncident"].to_numpy() != "")
    # CAD incident numbers with a typo: they must stay unlinked.
    for r in _choose(rng, linked, _flaw_count(HEART_CAD_TYPO, n)):
        heart.at[r, "CADIncident"] = _typo(heart.at[r, "CADIncident"], incident_numbers, rng)
    crt = np.flatnonzero(heart["Unit"].to_numpy() == "CRT")
    for r in _choose(rng, crt, _flaw_count(UNKNOWN_CODE_RATE, n)):
        heart.at[r, "Unit"] = "CRX"
    phone = np.flatnonzero(heart["ContactMode"].to_numpy() == "Phone")
    for r in _choose(rng, phone, _flaw_count(UNKNOWN_CODE_RATE, n)):
        heart.at[r, "ContactMode"] = "Video"
    cleared = np.flatnonzero(heart["ClearedAt"].to_numpy() != "")
    for r in _choose(rng, cleared, _flaw_count(BAD_TIMESTAMP_RATE, n)):
        heart.at[r, "ClearedAt"] = _bad_timestamp(rng, heart.at[r, "ClearedAt"], "T")
    timed = np.flatnonzero(((heart["ArrivedAt"].str.len() == 19) & (heart["ClearedAt"].str.len() == 19)).to_numpy())
    for r in _choose(rng, timed, _flaw_count(TIME_ORDER_HEART_PER_YEAR / n * years, n)):
        heart.loc[r, ["ClearedAt", "ArrivedAt"]] = heart.loc[r, ["ArrivedAt", "ClearedAt"]].to_numpy()
    return heart


def _typo(number: str, existing: set[str], rng: np.random.Generator) -> str:
    """Swap two adjacent digits of the sequence (or change one) until the number matches no incident."""
    digits = list(number[3:])
    for _ in range(50):
        d = digits.copy()
        k = int(rng.integers(0, len(d) - 1))
        if d[k] != d[k + 1] and rng.random() < 0.7:
            d[k], d[k + 1] = d[k + 1], d[k]
        else:
            d[k + 1] = str((int(d[k + 1]) + int(rng.integers(1, 10))) % 10)
        candidate = number[:3] + "".join(d)
        if candidate not in existing:
            return candidate
    return number[:3] + "9" + number[4:]  # sequence far beyond any used: cannot exist
