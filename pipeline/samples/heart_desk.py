"""Stage 2: the HEART desk walks the eligible calls in time order: triage, hours, area, capacity, responses."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import numpy as np

from pipeline.samples.assumptions import (
    CCD_PHONE_RESOLVED,
    CCD_TRANSFER_TO_EMS,
    CN_DONE_LATE,
    CN_DONE_ON_TIME,
    CN_IN_PERSON,
    CN_REFERRAL,
    COR_SHARE,
    CR_POLICE_CODISPATCH,
    FELT_SAFE_NOT_ASKED,
    FELT_SAFE_YES,
    FIELD_SHARE,
    OUT_OF_AREA_TRIAGE,
    OUTCOMES_IN_PERSON,
    OUTCOMES_PHONE,
    POLICE_BACKUP_REQUESTED,
    REPEAT_PERSON,
    SERVICES,
    TRIAGE_SHARE,
    WALKUPS_PER_WEEK,
)
from pipeline.samples.calls import Calls
from pipeline.samples.common import DAY, HOUR, MINUTE, NA, _epoch, _from_epoch, _lognormal, _pick
from pipeline.samples.program import DayPlan, Program


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
