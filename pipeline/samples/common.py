"""The export layouts, random streams and small helpers every stage of the simulation uses."""
from __future__ import annotations

import gzip
import hashlib
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd



REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_CONFIG = REPO_ROOT / "config" / "program.toml"
DEFAULT_SEED = 20220627
DEFAULT_START = date(2022, 6, 27)
DEFAULT_END = date(2024, 6, 24)

CAD_COLUMNS = [
    "IncidentNumber", "CallDate", "CallTime", "InitialNature", "FinalNature", "Priority", "Beat",
    "Address", "Disposition", "UnitID", "UnitType", "Dispatched", "Enroute", "Arrived", "Cleared",
]
HEART_COLUMNS = [
    "ResponseID", "CADIncident", "Unit", "Team", "ReceivedAt", "DispatchedAt", "ArrivedAt", "ClearedAt",
    "ContactMode", "ResolvedNoInPerson", "PoliceRequested", "FeltSafe", "Outcome", "Referrals",
    "PersonKey", "FollowUpDue", "FollowUpDone",
]

NA = np.iinfo(np.int64).min  # "no timestamp" in int64 epoch-second arrays
MINUTE, HOUR, DAY = 60, 3600, 86400


# ======================================================================================
# Small helpers
# ======================================================================================


def _streams(seed: int) -> dict[str, np.random.Generator]:
    """Independent random streams per stage. Retuning one stage leaves the others' draws alone."""
    names = ["calls", "heart", "units", "flaws"]
    return {name: np.random.default_rng([seed, i]) for i, name in enumerate(names)}


def _lognormal(rng: np.random.Generator, median: float | np.ndarray, sigma: float, size=None) -> np.ndarray:
    return rng.lognormal(np.log(median), sigma, size)


def _pick(rng: np.random.Generator, weights: dict[str, float], size=None):
    keys = list(weights)
    p = np.array([weights[k] for k in keys], dtype=float)
    return np.array(keys, dtype=object)[rng.choice(len(keys), size=size, p=p / p.sum())]


def _local_naive(epoch: np.ndarray, tz: str) -> np.ndarray:
    """Epoch seconds (UTC) -> local wall-clock datetime64[s] without zone."""
    idx = pd.to_datetime(np.asarray(epoch, dtype=np.int64), unit="s", utc=True)
    return idx.tz_convert(tz).tz_localize(None).values.astype("datetime64[s]")


def _render(epoch: np.ndarray, tz: str, sep: str) -> np.ndarray:
    """Epoch seconds -> local 'YYYY-MM-DD{sep}HH:MM:SS' strings; NA -> ''."""
    epoch = np.asarray(epoch, dtype=np.int64)
    out = np.full(epoch.shape, "", dtype=object)
    ok = epoch != NA
    if ok.any():
        text = np.datetime_as_string(_local_naive(epoch[ok], tz), unit="s")
        out[ok] = text if sep == "T" else np.char.replace(text, "T", sep)
    return out


def _epoch(local: datetime, tz: ZoneInfo) -> int:
    """Local wall-clock datetime -> epoch seconds. Used only for daytime times, where no DST ambiguity arises."""
    return int(local.replace(tzinfo=tz).timestamp())


def _from_epoch(epoch: int, tz: ZoneInfo) -> datetime:
    return datetime.fromtimestamp(epoch, tz).replace(tzinfo=None)


def _person_key(seed: int, index: int) -> str:
    """Stable pseudonym for synthetic person `index`, e.g. P-3fa9c01b2d."""
    return "P-" + hashlib.blake2b(f"{seed}:{index}".encode(), digest_size=5).hexdigest()


def _gzip_csv(frame: pd.DataFrame, path: Path) -> None:
    """Write CSV, gzip with mtime=0 and no file name, so output bytes depend only on content."""
    text = frame.to_csv(index=False, lineterminator="\n")
    path.write_bytes(gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0))
