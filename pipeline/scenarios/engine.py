"""The replay: feed the historical eligible-call stream through a scenario's coverage and teams.

Engine choice: plain numpy plus one sequential pass, not a discrete-event library (SimPy). The
only state that carries from one call to the next is when each team is next free, so a replay is
"calls in the order received, each looking for the team free soonest": a list of free-at times
per unit, scanned for its minimum. That is exact (no time step), needs no process objects or
event queue, and runs a year of calls in a fraction of a second — everything random (routing,
which unit, service times) is drawn up front, vectorised, and only calls actually routed to HEART
enter the loop. A library would add an event loop and a dependency to do the same thing slower.

Each call, in order:
1. outside the scenario's service hours at its local minute of the week -> unmet, outside_service_hours;
2. in hours but outside the served area -> only the phone unit (CCD) can take it, and only the
   calibrated out-of-area share is routed there; otherwise unmet, outside_service_area;
3. in coverage: routed to HEART with the calibrated routing share, else unmet, not_routed;
4. routed: sent to a field unit (CR, or COR for the call types that get it) with the observed
   field share of its call type, else to CCD. The unit's team free soonest takes it if free now
   (teams on duty at that minute of the week). If none is: `when_busy = "phone"` hands it to a
   free CCD clinician, "queue" waits for the first team free within queue_minutes, "unmet" gives
   up. Still nobody -> unmet, no_team_free. A team is then busy for a service time drawn from the
   observed busy times of that unit and call type.

Deterministic for a seed: every draw comes from numpy's generator seeded with (seed, 15), in the
stream's order, so the same seed gives the same calls routed and the same service times in every
scenario (common random numbers: differences between scenarios are not sampling noise).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from pipeline.scenarios.config import FIELD_UNITS, PHONE_UNIT, NotEnoughData, Scenario
from pipeline.scenarios.stream import Stream

UNITS = (PHONE_UNIT, *FIELD_UNITS)          # codes 1, 2, 3 in Replay.unit (0 = none)
REASONS = ("", "outside_service_hours", "outside_service_area", "no_team_free", "not_routed")


@dataclass(frozen=True)
class Routing:
    """How calls reach HEART and how long they take: calibrated from the data (calibrate.py) or set by hand."""

    share_in: float | np.ndarray      # share of calls in coverage routed to HEART (scalar, or one per call)
    share_out: float                  # share of calls in hours but outside the area routed to CCD
    field_share: dict[str, float]     # call type -> share of routed in-area calls sent to a field unit
    cor_share: dict[str, float]       # call type -> share of those sent to Co-Response
    service: dict[tuple[str, str], np.ndarray]   # (unit, call type) -> observed busy minutes; (unit, "") all types
    after_call: dict[str, float] = field(default_factory=dict)   # unit -> minutes unavailable after clearing


@dataclass(frozen=True)
class Replay:
    """One replay of a stream under a scenario: per call, the unit that answered and why not."""

    unit: np.ndarray                  # int8: 0 unmet, else 1 + index in UNITS
    routed: np.ndarray                # bool: routed to HEART (answered or not)
    reason: np.ndarray                # int8: index in REASONS (0 = answered)
    wait_minutes: np.ndarray          # minutes queued before a team took it
    busy_by_hour: dict[str, np.ndarray]   # unit -> busy team-minutes by local hour of day (24)
    duty_by_hour: dict[str, np.ndarray]   # unit -> on-duty team-minutes by local hour of day (24)

    @property
    def answered(self) -> np.ndarray:
        return self.unit > 0


def period_index(scenario: Scenario, days: np.ndarray) -> np.ndarray:
    """For each local date, the index of the scenario period in force (-1: before the first)."""
    starts = [p.effective for p in scenario.periods]
    if starts and starts[0] is None:
        return np.zeros(len(days), dtype=np.int64)
    return np.searchsorted(np.array(starts, dtype="datetime64[D]"), days, side="right") - 1


def coverage(scenario: Scenario, stream: Stream) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per call: the period index, in service hours, in the served area."""
    pidx = period_index(scenario, stream.day)
    in_hours = np.zeros(len(stream), dtype=bool)
    in_area = np.zeros(len(stream), dtype=bool)
    for k, period in enumerate(scenario.periods):
        mine = pidx == k
        in_hours[mine] = period.hours[stream.minute_of_week[mine]]
        in_area[mine] = True if period.citywide else np.isin(stream.beat[mine], list(period.beats))
    return pidx, in_hours, in_area


def _draw_service(routing: Routing, unit: np.ndarray, call_type: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Service minutes drawn from the observed pool of (unit, call type), or of the unit when that is thin, plus
    the unit's after-call minutes (the observed busy times end when the unit clears; the team is free later)."""
    minutes = np.zeros(len(unit))
    for code, name in enumerate(UNITS, 1):
        for ct in np.unique(call_type[unit == code]):
            mine = (unit == code) & (call_type == ct)
            pool = routing.service.get((name, ct))
            if pool is None or len(pool) == 0:
                pool = routing.service.get((name, ""), np.array([]))
            if len(pool) == 0:   # a unit never yet observed: the busy times of every unit
                pool = routing.service.get(("ALL", ""), np.array([]))
            if len(pool) == 0:
                raise NotEnoughData("no observed HEART busy time in the calibration window")
            minutes[mine] = pool[np.minimum((u[mine] * len(pool)).astype(np.int64), len(pool) - 1)] \
                + routing.after_call.get(name, 0.0)
    return minutes


def replay(stream: Stream, scenario: Scenario, routing: Routing, seed: int) -> Replay:
    """Decide, call by call, whether a team would answer it under the scenario, and why not."""
    n = len(stream)
    rng = np.random.default_rng([seed, 15])
    u_route, u_field, u_cor, u_service, u_phone = rng.random((5, n))
    pidx, in_hours, in_area = coverage(scenario, stream)
    share_in = np.broadcast_to(np.asarray(routing.share_in, dtype=float), (n,))
    routed_in = in_hours & in_area & (u_route < share_in)
    routed_out = in_hours & ~in_area & (u_route < routing.share_out)
    types, type_of = np.unique(stream.call_type, return_inverse=True)
    field_p = np.array([routing.field_share.get(ct, 0.0) for ct in types] + [0.0])[type_of]
    cor_p = np.array([routing.cor_share.get(ct, 0.0) for ct in types] + [0.0])[type_of]
    field = routed_in & (u_field < field_p)
    want = np.where(field, np.where(u_cor < cor_p, 3, 2), 1).astype(np.int8)
    field_minutes = _draw_service(routing, np.where(field, want, 0), stream.call_type, u_service)
    phone_minutes = _draw_service(routing, np.where(routed_in | routed_out, 1, 0), stream.call_type, u_phone)

    safe = np.maximum(pidx, 0)
    teams = {}
    for code, name in enumerate(UNITS, 1):
        stack = np.stack([p.teams[name] for p in scenario.periods]) if scenario.periods else np.zeros((1, 1), int)
        on = stack[safe, stream.minute_of_week] if n else np.zeros(0, int)
        teams[code] = np.where(pidx >= 0, on, 0).tolist()
    free = {code: [-np.inf] * (max(max(teams[code], default=0), 1)) for code in (1, 2, 3)}
    queue = scenario.queue_minutes * 60.0 if scenario.when_busy == "queue" else 0.0
    unit = np.zeros(n, dtype=np.int8)
    wait = np.zeros(n)
    jobs: dict[int, list] = {code: [] for code in (1, 2, 3)}   # unit -> [(call index, wait seconds, minutes)]
    t_list, field_l, phone_l, want_l = stream.t.tolist(), field_minutes.tolist(), phone_minutes.tolist(), want.tolist()

    def take(code: int, i: int, minutes: float) -> bool:
        count = teams[code][i]
        if count <= 0:
            return False
        slots, t = free[code], t_list[i]
        k = min(range(count), key=slots.__getitem__)
        start = slots[k] if slots[k] > t else t
        if start - t > queue:
            return False
        slots[k] = start + minutes * 60.0
        unit[i] = code
        wait[i] = (start - t) / 60.0
        jobs[code].append((i, start - t, minutes))
        return True

    for i in np.flatnonzero(routed_in | routed_out).tolist():
        if want_l[i] > 1:
            if take(want_l[i], i, field_l[i]):
                continue
            if scenario.when_busy != "phone":
                continue
        take(1, i, phone_l[i])

    reason = np.zeros(n, dtype=np.int8)
    reason[~in_hours] = 1
    reason[in_hours & ~in_area] = 2
    reason[in_hours & in_area & ~routed_in] = 4
    reason[routed_in & (unit == 0)] = 3
    reason[unit > 0] = 0
    busy, duty = _utilisation(stream, scenario, pidx, jobs)
    return Replay(unit=unit, routed=routed_in | routed_out, reason=reason, wait_minutes=wait, busy_by_hour=busy, duty_by_hour=duty)


def _utilisation(stream: Stream, scenario: Scenario, pidx: np.ndarray, jobs) -> tuple[dict, dict]:
    """Busy and on-duty team-minutes by local hour of day, per unit, over the stream's days.

    A job's busy minutes are laid on the local clock from the call's minute of the day plus its
    wait (a job running past midnight wraps onto the early hours)."""
    busy, duty = {}, {}
    minute_of_day = stream.minute_of_week % 1440
    for code, name in enumerate(UNITS, 1):
        diff = np.zeros(3 * 1440 + 1)
        mine = jobs[code]
        if mine:
            idx, w, m = np.array(mine).T
            idx = idx.astype(np.int64)
            start = minute_of_day[idx] + np.floor(w / 60.0).astype(np.int64)
            length = np.minimum(np.round(m).astype(np.int64), 1440)
            np.add.at(diff, start, 1)
            np.add.at(diff, start + length, -1)
        per_minute = np.cumsum(diff)[:3 * 1440].reshape(3, 1440).sum(axis=0)
        busy[name] = per_minute.reshape(24, 60).sum(axis=1).astype(float)
        duty[name] = np.zeros(24)
    if stream.first is None or not scenario.periods:
        return busy, duty
    days = np.arange(np.datetime64(stream.first), np.datetime64(stream.last) + 1)
    weekday = (days.astype(np.int64) + 3) % 7            # 1970-01-01 was a Thursday; Monday = 0
    pday = period_index(scenario, days)
    pairs, counts = np.unique(np.stack([pday, weekday]), axis=1, return_counts=True)
    for (p, wd), count in zip(pairs.T.tolist(), counts.tolist()):
        if p < 0:
            continue
        for name in UNITS:
            day = scenario.periods[p].teams[name][wd * 1440:(wd + 1) * 1440]
            duty[name] += count * day.reshape(24, 60).sum(axis=1)
    return busy, duty
