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
"""

from __future__ import annotations

import gzip
import hashlib
import tomllib
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cached_property
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from pipeline.vocabulary import WEEKDAYS

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

# --------------------------------------------------------------------------------------
# Simulation assumptions: volumes and shapes
# --------------------------------------------------------------------------------------

# Police calls for service, excluding crisis types: about 100,000 a year. With the
# crisis types added, the total is near the 128,790 a year in the 2018-19 baseline.
OTHER_PER_DAY = 272.0
# Crisis-type calls (the phase-1 natures) per day at launch. The rate then rises by
# CRISIS_RAMP over CRISIS_RAMP_DAYS: once HEART existed, call-takers coded more
# calls into these types. Crisis calls also peak in winter (cold-weather welfare
# checks, trespass by people seeking shelter), by CRISIS_WINTER_PEAK. Both together
# reconcile 6,902 eligible calls in the first 13 weeks (about 75 a day) with
# about 23,000 in the first nine months.
CRISIS_PER_DAY = 76.6
CRISIS_RAMP = 0.127
CRISIS_RAMP_DAYS = 120
CRISIS_WINTER_PEAK = 0.07
# Other police calls peak in summer.
OTHER_SUMMER_PEAK = 0.05

# Relative call rate by local hour (0-23): low before dawn, busiest late afternoon and evening.
HOUR_SHAPE_OTHER = np.array([3.1, 2.5, 2.1, 1.6, 1.3, 1.3, 1.8, 2.8, 3.8, 4.3, 4.6, 4.8,
                             5.0, 5.1, 5.3, 5.6, 5.8, 5.9, 5.7, 5.3, 4.9, 4.5, 4.0, 3.5])
HOUR_SHAPE_CRISIS = np.array([2.5, 2.0, 1.6, 1.3, 1.1, 1.1, 1.5, 2.4, 3.5, 4.3, 4.8, 5.1,
                              5.3, 5.5, 5.8, 6.1, 6.3, 6.3, 6.1, 5.7, 5.1, 4.4, 3.7, 3.1])
# Relative rate by weekday, Monday first: Friday and Saturday are busier.
WEEKDAY_SHAPE = np.array([0.98, 0.96, 0.97, 0.99, 1.06, 1.07, 0.97])

# Share of each group's calls by InitialNature.
CRISIS_MIX = {"WELFCK": 0.30, "TRESP": 0.20, "VERBDIS": 0.15, "MENTAL": 0.12,
              "INTOX": 0.09, "SUICTH": 0.06, "PANHAN": 0.05, "INDEC": 0.03}
OTHER_MIX = {"TRAFFIC": 12, "SUSP": 11, "ALARM": 9, "INFO": 8, "LARC": 7, "MVA": 7, "DOMESTIC": 6,
             "FOLLOWUP": 6, "NOISE": 5, "ASSAULT": 4, "PARKING": 4, "BURG": 3, "DAMAGE": 3, "FRAUD": 3,
             "MEDICAL": 3, "SHOTS": 2, "FIGHT": 2, "ROBBERY": 1, "WEAPON": 1, "MISSING": 1, "FIRE": 1}


@dataclass(frozen=True)
class Traits:
    """How the 911 center treats a call type."""

    priority: int         # typical priority (1 = most urgent)
    no_unit: float        # share closed without sending anyone (phone report, cancelled)
    scene_min: float      # median minutes a police unit stays on scene
    ems: float = 0.0      # share with an EMS co-dispatch
    fire: float = 0.0     # share with a fire co-dispatch


NATURE_TRAITS = {
    "MENTAL": Traits(3, 0.02, 45, ems=0.10), "SUICTH": Traits(2, 0.01, 55, ems=0.25),
    "WELFCK": Traits(3, 0.03, 25, ems=0.05), "TRESP": Traits(4, 0.04, 20),
    "INTOX": Traits(3, 0.03, 25, ems=0.30, fire=0.05), "PANHAN": Traits(5, 0.10, 12),
    "INDEC": Traits(4, 0.05, 20), "VERBDIS": Traits(3, 0.03, 20),
    "ASSAULT": Traits(2, 0.03, 60, ems=0.20), "BURG": Traits(3, 0.05, 50), "LARC": Traits(4, 0.25, 35),
    "ALARM": Traits(3, 0.06, 10), "TRAFFIC": Traits(4, 0.00, 12), "MVA": Traits(2, 0.03, 45, 0.40, 0.30),
    "SUSP": Traits(3, 0.05, 15), "NOISE": Traits(5, 0.15, 10), "DOMESTIC": Traits(2, 0.02, 45),
    "SHOTS": Traits(1, 0.02, 40), "ROBBERY": Traits(1, 0.02, 75, ems=0.10), "FIGHT": Traits(2, 0.03, 30, 0.15),
    "WEAPON": Traits(1, 0.01, 45), "MISSING": Traits(3, 0.05, 50), "PARKING": Traits(5, 0.30, 10),
    "DAMAGE": Traits(4, 0.20, 30), "FRAUD": Traits(5, 0.40, 30), "INFO": Traits(5, 0.50, 15),
    "FOLLOWUP": Traits(5, 0.20, 30), "MEDICAL": Traits(2, 0.05, 20, 1.0, 0.50), "FIRE": Traits(2, 0.02, 30, 0.30, 1.0),
}

# Extra police units by priority: P(1, 2, 3 units), when a call gets police at all.
LAW_UNITS_BY_PRIORITY = {1: (0.25, 0.40, 0.35), 2: (0.50, 0.35, 0.15), 3: (0.72, 0.23, 0.05),
                         4: (0.86, 0.12, 0.02), 5: (0.92, 0.07, 0.01)}
# Median minutes from received to dispatched, by priority (then log-normal spread).
DISPATCH_DELAY_MIN = {1: 1.2, 2: 2.5, 3: 6.0, 4: 12.0, 5: 20.0}

DISPOSITIONS_CRISIS = {"NRPT": 50, "GOA": 13, "REF": 10, "UTL": 8, "TRN": 6, "RPT": 4, "CANC": 4,
                       "ARR": 2, "DUP": 2, "CIT": 1}
DISPOSITIONS_OTHER = {"NRPT": 40, "RPT": 25, "GOA": 10, "CIT": 8, "ARR": 6, "UTL": 5, "CANC": 4, "DUP": 2}
DISPOSITIONS_NO_UNIT = {"NRPT": 40, "RPT": 30, "CANC": 20, "DUP": 10}

STREETS = ["W MAIN ST", "E MAIN ST", "FAYETTEVILLE ST", "ROXBORO ST", "ALSTON AVE", "DRIVER ST",
           "HOLLOWAY ST", "N MANGUM ST", "S DUKE ST", "N DUKE ST", "CHAPEL HILL RD", "UNIVERSITY DR",
           "HILLSBOROUGH RD", "GUESS RD", "N ROXBORO RD", "HOLLOWAY ST", "AVONDALE DR", "ANGIER AVE",
           "E PETTIGREW ST", "W CHAPEL HILL ST", "BROAD ST", "ERWIN RD", "CORNWALLIS RD", "LAWSON ST",
           "MIAMI BLVD", "GLENN SCHOOL RD", "TROY ST", "FARGO ST", "WELLONS VILLAGE CT", "RIDDLE RD",
           "MLK JR PKWY", "HOPE VALLEY RD", "GARRETT RD", "NC 55 HWY", "LUMLEY RD", "PAGE RD"]

# --------------------------------------------------------------------------------------
# Simulation assumptions: how the 911 center and HEART handle eligible calls
# --------------------------------------------------------------------------------------

# Share of eligible calls, received in service hours, that the 911 center sends
# to HEART. It grows as call-takers learn the protocol and staff are added.
# These are the tuning knobs behind the published answer rates (11.7% by
# 2022-09-26, about a fifth by March 2023, 50-55% citywide).
TRIAGE_SHARE = ((date(2022, 6, 27), 0.435), (date(2022, 10, 1), 0.75), (date(2023, 3, 27), 0.70),
                (date(2023, 10, 23), 0.80))
# Outside the pilot area only CCD can help, and the pilot protocol sent it
# fewer of those calls: relative triage share for calls outside the service area.
OUT_OF_AREA_TRIAGE = 0.25
# Inside the service area: share of HEART calls that get a team in the field
# (the rest stay with a CCD clinician on the phone), and within those, the
# share sent to Co-Response (higher acuity) rather than Community Response.
FIELD_SHARE = {"MENTAL": 0.70, "SUICTH": 0.70, "WELFCK": 0.70, "TRESP": 0.80, "INTOX": 0.75,
               "PANHAN": 0.80, "INDEC": 0.70, "VERBDIS": 0.65}
COR_SHARE = {"SUICTH": 0.50, "MENTAL": 0.30, "VERBDIS": 0.10, "WELFCK": 0.05}
CCD_PHONE_RESOLVED = 0.52         # "almost half resolved without in-person contact": 48% in the first quarter (seed 20220627)
CCD_TRANSFER_TO_EMS = 0.20        # otherwise the CCD transfer goes to police
CR_POLICE_CODISPATCH = 0.185      # police also sent by the 911 center on a CR call
POLICE_BACKUP_REQUESTED = 0.025   # in-person responses where the team asks for police
FELT_SAFE_NOT_ASKED = 0.10
FELT_SAFE_YES = 0.99
REPEAT_PERSON = 0.15              # responses for someone HEART has already seen
# In-person outcomes: resolved 45%, referred 30%, transported 8%, declined 10%, unable to locate 7%.
OUTCOMES_IN_PERSON = {"Resolved on scene": 0.45, "Referred": 0.30, "Transported": 0.08,
                      "Declined": 0.10, "Unable to locate": 0.07}
OUTCOMES_PHONE = {"Resolved on scene": 0.55, "Referred": 0.35, "Declined": 0.10}
SERVICES = ["Mobile crisis", "Outpatient mental health", "Substance use treatment", "Shelter",
            "Housing services", "Food assistance", "Primary care", "Peer support", "Benefits enrollment"]
# Care Navigation: share of crisis responses referred for a 48-hour follow-up.
CN_REFERRAL = {"in_person": 0.355, "phone": 0.10}
CN_DONE_ON_TIME, CN_DONE_LATE = 0.70, 0.20   # the remaining 10% never reached
CN_IN_PERSON = 0.35
WALKUPS_PER_WEEK = 0.3            # people who walk up to a Community Response team: no CAD call

# --------------------------------------------------------------------------------------
# Deliberate flaws: rates per row (see data_samples/README.md)
# --------------------------------------------------------------------------------------
UPDATED_REEXPORTS_PER_YEAR = 30
CANCELLED_EN_ROUTE = 0.03
BAD_TIMESTAMP_RATE = 1 / 5000
UNKNOWN_CODE_RATE = 1 / 5000
TIME_ORDER_CAD_PER_YEAR = 6
TIME_ORDER_HEART_PER_YEAR = 3
HEART_CAD_TYPO = 0.005


# ======================================================================================
# Program configuration
# ======================================================================================


@dataclass(frozen=True)
class DayPlan:
    """The program as it stands on one date: what is in force from config/program.toml."""

    day: date
    eligible: frozenset[str]
    beats: frozenset[str]
    days: frozenset[int]      # weekdays served, Monday = 0
    start: time
    end: time
    capacity: dict[str, int]  # HEART log unit code -> teams or clinicians on shift

    def open_at(self, local: datetime) -> bool:
        """Is HEART taking calls at this local wall-clock time? Hours are [start, end)."""
        return local.weekday() in self.days and self.start <= local.time() < self.end


@dataclass
class Program:
    """config/program.toml, with look-ups of the entry in force on a date."""

    config: dict
    _plans: dict = field(default_factory=dict, repr=False)

    @classmethod
    def load(cls, path: Path = DEFAULT_CONFIG) -> "Program":
        with open(path, "rb") as fh:
            return cls(tomllib.load(fh))

    @cached_property
    def timezone(self) -> str:
        return self.config["program"]["timezone"]

    @cached_property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @cached_property
    def launch_date(self) -> date:
        return self.config["program"]["launch_date"]

    @cached_property
    def all_beats(self) -> list[str]:
        return list(self.config["beats"]["all"])

    @cached_property
    def all_eligible(self) -> frozenset[str]:
        """Every nature that is eligible at some date."""
        return frozenset(n for e in self.config.get("eligible_call_types", []) for n in e["natures"])

    def in_force(self, section: str, day: date) -> dict | None:
        """The entry of a dated section in force on `day`: the latest effective on or before it."""
        entries = [e for e in self.config.get(section, []) if e["effective"] <= day]
        return max(entries, key=lambda e: e["effective"]) if entries else None

    def plan(self, day: date) -> DayPlan | None:
        """Everything in force on `day`, or None before the program exists (cached per date)."""
        if day not in self._plans:
            self._plans[day] = self._build_plan(day)
        return self._plans[day]

    def _build_plan(self, day: date) -> DayPlan | None:
        eligible = self.in_force("eligible_call_types", day)
        area = self.in_force("service_area", day)
        hours = self.in_force("service_hours", day)
        teams = self.in_force("capacity", day)
        if day < self.launch_date or not (eligible and area and hours and teams):
            return None
        beats = self.all_beats if area.get("citywide") else area["beats"]
        return DayPlan(
            day=day,
            eligible=frozenset(eligible["natures"]),
            beats=frozenset(beats),
            days=frozenset(WEEKDAYS.index(d) for d in hours["days"]),
            start=hours["start"],
            end=hours["end"],
            # The generator's log writes CRT for the contract's CR (profiles/durham_heart.toml).
            capacity={"CRT": teams["CR"], "COR": teams["COR"], "CCD": teams["CCD"], "CN": teams["CN"]},
        )


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
        offset = 0
        if year == first.year:
            offset = int((first - date(year, 1, 1)).days * (OTHER_PER_DAY + CRISIS_PER_DAY) * scale)
        seq[mask] = offset + np.arange(1, mask.sum() + 1)
    return np.array([f"{y % 100:02d}-{s:07d}" for y, s in zip(years, seq)], dtype=object)


# ======================================================================================
# 2. HEART desk
# ======================================================================================


@dataclass
class Handling:
    """How HEART handled one CAD incident. The CAD row builder uses it."""

    kind: str                      # CRT, COR, CCD_PHONE, CCD_POLICE, CCD_EMS
    unit_rows: list = field(default_factory=list)   # (UnitID, UnitType, disp, enroute, arr, clr)
    police_codispatch: bool = False
    transfer_at: int = NA          # CCD transfer: when the in-person dispatch starts


class HeartDesk:
    """Walks eligible calls in time order and decides HEART's response under capacity limits."""

    def __init__(self, program: Program, rng: np.random.Generator, seed: int):
        self.program, self.rng, self.seed = program, rng, seed
        self.tz = program.tz
        # Epoch second when each team or clinician is next free.
        self.busy: dict[str, list[int]] = {u: [0] * 16 for u in ("CRT", "COR", "CCD", "CN")}
        self.responses: list[dict] = []
        self.handling: dict[int, Handling] = {}
        self.seen_people: list[int] = []
        self.n_people = 0

    # -- driving --------------------------------------------------------------------

    def run(self, calls: Calls) -> None:
        candidates = np.flatnonzero(np.isin(calls.nature, list(self.program.all_eligible)))
        local_objs = calls.local[candidates].astype(object)
        for i, local in zip(candidates.tolist(), local_objs):
            self._consider(calls, i, local)

    def _consider(self, calls: Calls, i: int, local: datetime) -> None:
        plan = self.program.plan(local.date())
        nature = calls.nature[i]
        if plan is None or nature not in plan.eligible:
            return
        # Each call draws from its own stream, keyed by the call: a change in one
        # share changes which calls HEART takes, not every later draw. That keeps
        # calibration by the shares above smooth.
        self.rng = np.random.default_rng([self.seed, 101, i])
        # The call reaches HEART a minute or two after the 911 center received it.
        delay = int(self.rng.integers(30, 150))
        if not plan.open_at(local + timedelta(seconds=delay)):
            return
        in_area = calls.beat[i] in plan.beats
        if self.rng.random() >= _dated(TRIAGE_SHARE, plan.day) * (1.0 if in_area else OUT_OF_AREA_TRIAGE):
            return
        rx = int(calls.t[i]) + delay
        if in_area and self.rng.random() < FIELD_SHARE.get(nature, 0.5):
            unit = "COR" if self.rng.random() < COR_SHARE.get(nature, 0.0) else "CRT"
            if self._field_response(calls, i, unit, rx, plan):
                return
        # No team free, or a call for the phone: a CCD clinician takes it if one is free.
        self._phone_response(calls, i, rx, plan)

    # -- responses ------------------------------------------------------------------

    def _free_slot(self, unit: str, at: int, plan: DayPlan) -> int | None:
        slots = self.busy[unit][: plan.capacity[unit]]
        if not slots:
            return None
        k = min(range(len(slots)), key=slots.__getitem__)
        return k if slots[k] <= at else None

    def _field_response(self, calls: Calls, i: int, unit: str, rx: int, plan: DayPlan) -> bool:
        k = self._free_slot(unit, rx, plan)
        if k is None:
            return False
        rng = self.rng
        disp = rx + int(_lognormal(rng, 150, 0.5))
        enroute = disp + int(rng.integers(20, 90))
        travel = _lognormal(rng, 570 if unit == "CRT" else 660, 0.45)
        arr = disp + int(travel)
        outcome = _pick(rng, OUTCOMES_IN_PERSON)
        on_scene = np.clip(_lognormal(rng, 35 * MINUTE, 0.35), 12 * MINUTE, 120 * MINUTE)
        clr = arr + int(on_scene if outcome != "Unable to locate" else rng.integers(8, 20) * MINUTE)
        self.busy[unit][k] = clr + int(rng.integers(5, 20)) * MINUTE  # return and paperwork

        backup = rng.random() < POLICE_BACKUP_REQUESTED
        contact = "None" if outcome == "Unable to locate" else "In person"
        team = f"CRT-{k + 1}" if unit == "CRT" else f"COR-{k + 1}"
        handling = Handling(kind=unit)
        cad_unit = f"HRT-CR{k + 1}" if unit == "CRT" else f"HRT-COR{k + 1}"
        handling.unit_rows.append((cad_unit, "HEART", disp, enroute, arr, clr))
        district = calls.beat[i][0]
        if unit == "COR":
            # The crisis-trained officer rides with the clinician: same times, own unit.
            handling.unit_rows.append((f"P{district}9{k + 1:02d}", "LAW", disp, enroute, arr, clr))
        else:
            handling.police_codispatch = rng.random() < CR_POLICE_CODISPATCH
        if backup:
            b_disp = arr + int(rng.integers(3, 25)) * MINUTE
            b_arr = b_disp + int(_lognormal(rng, 420, 0.4))
            handling.unit_rows.append((f"P{district}{int(rng.integers(301, 361))}", "LAW", b_disp,
                                       b_disp + 40, b_arr, max(clr, b_arr) + int(rng.integers(5, 30)) * MINUTE))
        self.handling[i] = handling
        row = self._response(calls.number[i], unit, team, rx, disp, arr, clr, contact, outcome)
        row["police"] = "Y" if backup else "N"
        self._maybe_refer(row, "in_person" if contact == "In person" and outcome != "Declined" else None)
        return True

    def _phone_response(self, calls: Calls, i: int, rx: int, plan: DayPlan) -> None:
        k = self._free_slot("CCD", rx, plan)
        if k is None:
            return  # HEART busy: the 911 center sends the next most appropriate responder
        rng = self.rng
        team = f"CCD-{'ABCDEFGH'[k]}"
        if rng.random() < CCD_PHONE_RESOLVED:
            clr = rx + int(np.clip(_lognormal(rng, 22 * MINUTE, 0.45), 5 * MINUTE, 90 * MINUTE))
            outcome = _pick(rng, OUTCOMES_PHONE)
            self.handling[i] = Handling(kind="CCD_PHONE")
            row = self._response(calls.number[i], "CCD", team, rx, NA, NA, clr, "Phone", outcome)
            row["resolved"] = "Y"
            self._maybe_refer(row, "phone" if outcome != "Declined" else None)
        else:
            # Hand-off to an in-person police or EMS dispatch: not a second HEART response.
            clr = rx + int(rng.integers(4, 15)) * MINUTE
            to_ems = rng.random() < CCD_TRANSFER_TO_EMS
            self.handling[i] = Handling(kind="CCD_EMS" if to_ems else "CCD_POLICE", transfer_at=clr)
            row = self._response(calls.number[i], "CCD", team, rx, NA, NA, clr, "Phone", "Referred")
            row["referrals"] = "EMS dispatch" if to_ems else "Police dispatch"
            row["police"] = "N" if to_ems else "Y"
        self.busy["CCD"][k] = clr + int(rng.integers(2, 8)) * MINUTE

    def _response(self, incident: str, unit: str, team: str, rx: int, disp: int, arr: int, clr: int,
                  contact: str, outcome: str, person: int | None = None) -> dict:
        rng = self.rng
        felt_safe = ""
        if contact == "In person" and rng.random() >= FELT_SAFE_NOT_ASKED:
            felt_safe = "Y" if rng.random() < FELT_SAFE_YES else "N"
        referrals = ""
        if outcome == "Referred" or (outcome == "Resolved on scene" and rng.random() < 0.25):
            n = 1 + int(rng.random() < 0.35)
            referrals = ";".join(sorted(rng.choice(SERVICES, n, replace=False)))
        elif outcome == "Transported":
            referrals = str(rng.choice(["Crisis center", "Shelter", "Detox facility", "Hospital ED"]))
        row = {"incident": incident, "unit": unit, "team": team, "rx": rx, "disp": disp, "arr": arr,
               "clr": clr, "contact": contact, "resolved": "N", "police": "N", "felt_safe": felt_safe,
               "outcome": outcome, "referrals": referrals,
               "person": self._person() if person is None else person, "due": NA, "done": NA}
        self.responses.append(row)
        return row

    def _person(self) -> int:
        # Repeat people are drawn from earlier responses, so frequent callers recur more often.
        if self.seen_people and self.rng.random() < REPEAT_PERSON:
            person = self.seen_people[int(self.rng.integers(len(self.seen_people)))]
        else:
            person, self.n_people = self.n_people, self.n_people + 1
        self.seen_people.append(person)
        return person

    # -- Care Navigation ------------------------------------------------------------

    def _maybe_refer(self, crisis: dict, contact: str | None) -> None:
        """Refer the person to Care Navigation for a follow-up due 48 hours after the crisis."""
        if contact is None or self.rng.random() >= CN_REFERRAL[contact]:
            return
        rng = self.rng
        referral = self._next_open(crisis["clr"] + int(rng.integers(5, 30)) * MINUTE)
        due = crisis["rx"] + 48 * HOUR
        u = rng.random()
        if u < CN_DONE_ON_TIME:
            done = self._daytime(referral + int(rng.integers(1 * HOUR, 40 * HOUR)))
            done = min(done, due - int(rng.integers(5, 60)) * MINUTE)
            done = max(done, referral + 10 * MINUTE)
        elif u < CN_DONE_ON_TIME + CN_DONE_LATE:
            done = self._daytime(due + int(rng.integers(2 * HOUR, 5 * DAY)))
        else:
            done = NA
        if done == NA:
            contact_mode, outcome, disp, arr, clr = "None", "Unable to locate", NA, NA, NA
        else:
            in_person = rng.random() < CN_IN_PERSON
            contact_mode = "In person" if in_person else "Phone"
            outcome = _pick(rng, {"Referred": 0.55, "Resolved on scene": 0.35, "Declined": 0.10})
            disp = done - int(rng.integers(10, 30)) * MINUTE if in_person else NA
            arr = done if in_person else NA
            clr = done + int(rng.integers(10, 45)) * MINUTE
        plan = self.program.plan(_from_epoch(referral, self.tz).date())
        team = f"CN-{1 + int(rng.integers(plan.capacity['CN'] if plan else 1))}"
        row = self._response(crisis["incident"], "CN", team, referral, disp, arr, clr, contact_mode, outcome,
                             person=crisis["person"])
        row["resolved"] = "Y" if contact_mode == "Phone" else "N"
        row["due"], row["done"] = due, done

    def _next_open(self, at: int) -> int:
        """`at` if HEART is open then; otherwise shortly after the next opening (referrals wait for morning)."""
        local = _from_epoch(at, self.tz)
        plan = self.program.plan(local.date())
        if plan and plan.open_at(local):
            return at
        day = local.date() + timedelta(days=1)
        for _ in range(14):
            plan = self.program.plan(day)
            if plan and day.weekday() in plan.days:
                opening = datetime.combine(day, plan.start) + timedelta(minutes=int(self.rng.integers(5, 90)))
                return _epoch(opening, self.tz)
            day += timedelta(days=1)
        return at

    def _daytime(self, at: int) -> int:
        """Move a follow-up time out of the night: navigators call between 8am and 8pm."""
        local = _from_epoch(at, self.tz)
        if 8 <= local.hour < 20:
            return at
        day = local.date() + timedelta(days=1 if local.hour >= 20 else 0)
        morning = datetime.combine(day, time(8)) + timedelta(minutes=int(self.rng.integers(0, 150)))
        return _epoch(morning, self.tz)

    # -- walk-ups -------------------------------------------------------------------

    def add_walkups(self, first: date, stop: date) -> None:
        """People who approach a Community Response team in the street: a HEART row with no CAD call."""
        rng = self.rng = np.random.default_rng([self.seed, 102])
        day = first
        while day < stop:
            for _ in range(int(rng.poisson(WALKUPS_PER_WEEK))):
                when = day + timedelta(days=int(rng.integers(7)))
                plan = self.program.plan(when)
                if plan is None or when.weekday() not in plan.days or when >= stop:
                    continue
                span = (datetime.combine(when, plan.end) - datetime.combine(when, plan.start)).seconds
                local = datetime.combine(when, plan.start) + timedelta(seconds=int(rng.integers(0, span - HOUR)))
                rx = _epoch(local, self.tz)
                outcome = _pick(rng, {k: v for k, v in OUTCOMES_IN_PERSON.items() if k != "Unable to locate"})
                clr = rx + int(_lognormal(rng, 30 * MINUTE, 0.4))
                team = f"CRT-{1 + int(rng.integers(plan.capacity['CRT']))}"
                self._response("", "CRT", team, rx, NA, rx, clr, "In person", outcome)
            day += timedelta(days=7)


def _dated(table: tuple, day: date) -> float:
    """Value in force on `day` in a ((effective, value), ...) table."""
    value = table[0][1]
    for effective, v in table:
        if effective <= day:
            value = v
    return value


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
                  heart: pd.DataFrame, reexports: pd.DataFrame) -> list[Path]:
    """Week k's CAD export (named Monday_k+1) holds days Sunday_k-1 .. Sunday_k+6: 8 days, the first Sunday repeated."""
    out_dir.mkdir(parents=True, exist_ok=True)
    week = _week_index(calls.local, start)
    day_in_week = _day_in_week(calls.local, start)
    row_week = week[cad["inc"].to_numpy()]
    row_overlap = np.where(day_in_week[cad["inc"].to_numpy()] == 6, row_week + 1, -99)  # Sunday: also next export
    heart_week = _week_index(heart["rx_local"].to_numpy(), start)
    paths = []
    for k in range(n_weeks):
        stamp = (start + timedelta(days=7 * (k + 1))).isoformat()
        rows = pd.concat([cad[(row_week == k) | (row_overlap == k)], reexports[reexports["export"] == k]])
        rows = rows.sort_values("inc", kind="stable")
        cad_path = out_dir / f"durham_cad_{stamp}.csv.gz"
        _gzip_csv(rows[CAD_COLUMNS], cad_path)
        heart_path = out_dir / f"durham_heart_{stamp}.csv.gz"
        _gzip_csv(heart.loc[heart_week == k, HEART_COLUMNS], heart_path)
        paths += [cad_path, heart_path]
    return paths


# ======================================================================================
# Entry point
# ======================================================================================


def generate(out_dir: Path, seed: int = DEFAULT_SEED, start: date = DEFAULT_START, end: date = DEFAULT_END,
             scale: float = 1.0, config_path: Path = DEFAULT_CONFIG) -> list[Path]:
    """Write weekly CAD and HEART exports for the weeks starting on Mondays `start`..`end`.

    Same arguments, same bytes. `scale` multiplies call volumes (team capacity does not scale).
    """
    if start.weekday() != 0 or end.weekday() != 0 or end < start:
        raise ValueError("start and end must be Mondays, with start <= end")
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
    disposition = incident_dispositions(calls, rows, desk.handling, rng["units"])
    cad = render_cad(calls, rows, disposition, final_natures(calls, rng["units"]), rng["units"], program.timezone)
    heart = render_heart(desk.responses, seed, program.timezone)

    cad = inject_cad_flaws(cad, rng["flaws"], years)
    heart = inject_heart_flaws(heart, set(calls.number), rng["flaws"], years)
    reexports = _reexports(cad, calls, start, n_weeks, rng["flaws"], years, scale)
    return write_exports(Path(out_dir), start, n_weeks, calls, cad, heart, reexports)
