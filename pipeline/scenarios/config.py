"""Scenario files (scenarios/*.toml): what HEART would cover, with how many teams, at what cost.

A scenario says when HEART takes calls (service hours per weekday), where (citywide or a list of
beats), how many teams of each unit are on duty at each minute of the week, what happens to a
call routed to a unit with no team free (the CCD clinicians take it by phone, it waits up to N
minutes, or it goes unmet), and the cost inputs. `from_program = true` takes hours, area and
teams from the program configuration's dated entries instead (as loaded into the warehouse,
staging.program_*), so the "as configured" scenario follows config/program.toml as it changes.

Times are local wall-clock; an entry whose end is at or before its start runs past midnight into
the next day ("19:00" to "07:00"); "24:00" is the end of the day. Coverage is kept as arrays over
the 10,080 minutes of the week, so the replay looks a call up by its minute of the week.

A mistake in a file is one line naming the file, the key and the value (ScenarioError).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from datetime import date, time
from pathlib import Path

import numpy as np

from pipeline.settings import DEFAULT_SCENARIOS
from pipeline.vocabulary import CRISIS_UNITS, WEEKDAYS

# The shipped scenarios; staff edit them or add their own (`heart scenarios --scenario FILE`).
SCENARIOS_DIR = DEFAULT_SCENARIOS

MINUTES_PER_WEEK = 7 * 1440
# Phone (no service area) and in-person units among the crisis units.
PHONE_UNIT = "CCD"
FIELD_UNITS = ("CR", "COR")
WHEN_BUSY = ("phone", "queue", "unmet")
ROLES_DEFAULT = {"CR": ("clinician", "peer", "emt"), "COR": ("clinician",), "CCD": ("clinician",)}


class ScenarioError(ValueError):
    """A scenario file has a mistake a person can fix; the message is one line."""


class NotEnoughData(ValueError):
    """The warehouse holds too little to calibrate a replay (no eligible calls, no observed busy time)."""


@dataclass(frozen=True)
class Period:
    """Coverage in force from `effective` (None: from the start of the replay)."""

    effective: date | None
    label: str
    hours: np.ndarray                 # bool, minute of week (Mon 00:00 = 0): HEART takes calls
    citywide: bool
    beats: frozenset[str]
    teams: dict[str, np.ndarray]      # unit -> int, minute of week: teams on duty


@dataclass(frozen=True)
class Costs:
    """Cost inputs. Every figure here is an assumption of the scenario file unless it says otherwise."""

    position_usd: dict[str, float]             # yearly cost of one position by role (pay + benefits)
    team_roles: dict[str, tuple[str, ...]]     # the positions one team or post of a unit needs
    hours_per_fte: float                       # paid hours of one full-time position a year
    relief_factor: float                       # positions per post-hour covered, for leave and training
    source: str = ""


@dataclass(frozen=True)
class Scenario:
    scenario_id: str
    name: str
    description: str
    from_program: bool
    periods: tuple[Period, ...]
    when_busy: str                    # phone | queue | unmet
    queue_minutes: float
    routing_share: float | None       # None: calibrated from the data
    costs: Costs
    # Minutes a team or clinician stays unavailable after it clears a call (the trip back, notes), by unit:
    # no export records it (busy times end at "cleared"). Each seed scales them by a factor drawn from
    # [1 - after_call_range, 1 + after_call_range], so the interval carries the assumption's uncertainty.
    after_call: dict[str, float] = field(default_factory=dict)
    after_call_range: float = 0.0
    path: Path | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)


def _fail(where: str, key: str, message: str) -> ScenarioError:
    return ScenarioError(f"{where}: {key}: {message}")


def parse_clock(value, where: str, key: str) -> int:
    """Minutes after local midnight for "HH:MM" (or a TOML time); "24:00" is 1440."""
    if isinstance(value, time):
        return value.hour * 60 + value.minute
    if isinstance(value, str):
        m = re.fullmatch(r"(\d{1,2}):(\d{2})(?::00)?", value.strip())
        if m and (int(m[1]) < 24 and int(m[2]) < 60 or (int(m[1]) == 24 and int(m[2]) == 0)):
            return int(m[1]) * 60 + int(m[2])
    raise _fail(where, key, f'expected a time like "07:00" (00:00 to 24:00), got {value!r}')


def _days(entry: dict, where: str, key: str) -> list[int]:
    days = entry.get("days", list(WEEKDAYS))
    if not isinstance(days, list) or not days or any(d not in WEEKDAYS for d in days):
        raise _fail(where, key, f"expected a list of weekdays from {', '.join(WEEKDAYS)}, got {days!r}")
    return [WEEKDAYS.index(d) for d in days]


def week_mask(days: list[int], start: int, end: int) -> np.ndarray:
    """Minutes of the week from `start` to `end` on each of `days` (0 = Monday); past midnight when end <= start."""
    mask = np.zeros(MINUTES_PER_WEEK, dtype=bool)
    length = (end - start) % 1440 or 1440
    for d in days:
        first = d * 1440 + start
        idx = np.arange(first, first + length) % MINUTES_PER_WEEK
        mask[idx] = True
    return mask


def _number(table: dict, key: str, where: str, lo: float, hi: float | None = None, default=None) -> float:
    value = table.get(key, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < lo or (hi is not None and value > hi):
        bound = f"between {lo} and {hi}" if hi is not None else f"at least {lo}"
        raise _fail(where, key, f"expected a number {bound}, got {value!r}")
    return float(value)


def _table(doc: dict, key: str, where: str, required: bool = True) -> dict:
    value = doc.get(key, None if required else {})
    if not isinstance(value, dict):
        raise _fail(where, f"[{key}]", "missing" if value is None else f"expected a table, got {value!r}")
    return value


def parse_costs(doc: dict, where: str) -> Costs:
    costs = _table(doc, "costs", where)
    positions = _table(costs, "position_usd", where + " [costs]")
    position_usd = {role: _number(positions, role, where, 0) for role in positions}
    roles = dict(ROLES_DEFAULT)
    for unit, team in _table(costs, "team_roles", where + " [costs]", required=False).items():
        if unit not in CRISIS_UNITS:
            raise _fail(where, f"[costs.team_roles] {unit}", f"expected one of {', '.join(CRISIS_UNITS)}")
        if not isinstance(team, list) or any(not isinstance(r, str) for r in team):
            raise _fail(where, f"[costs.team_roles] {unit}", f"expected a list of roles, got {team!r}")
        roles[unit] = tuple(team)
    for unit, team in roles.items():
        for role in team:
            if role not in position_usd:
                raise _fail(where, f"[costs.position_usd] {role}", f"no cost given for a role {unit} needs")
    return Costs(position_usd=position_usd, team_roles=roles,
                 hours_per_fte=_number(costs, "hours_per_fte", where + " [costs]", 1, 8784),
                 relief_factor=_number(costs, "relief_factor", where + " [costs]", 1, 3),
                 source=str(costs.get("source", "")))


def _coverage(doc: dict, where: str) -> Period:
    area = _table(doc, "area", where)
    citywide = area.get("citywide", False)
    beats = area.get("beats", [])
    if not isinstance(citywide, bool):
        raise _fail(where, "[area] citywide", f"expected true or false, got {citywide!r}")
    if not isinstance(beats, list) or any(not isinstance(b, str) for b in beats) or (not citywide and not beats):
        raise _fail(where, "[area] beats", f"expected a list of beat codes (or citywide = true), got {beats!r}")
    hours = doc.get("hours")
    if not isinstance(hours, list) or not hours:
        raise _fail(where, "[[hours]]", "expected at least one [[hours]] entry with days, start and end")
    mask = np.zeros(MINUTES_PER_WEEK, dtype=bool)
    for n, entry in enumerate(hours, 1):
        key = f"[[hours]] #{n}"
        mask |= week_mask(_days(entry, where, key), parse_clock(entry.get("start"), where, key + " start"),
                          parse_clock(entry.get("end"), where, key + " end"))
    teams = {unit: np.zeros(MINUTES_PER_WEEK, dtype=np.int16) for unit in CRISIS_UNITS}
    for n, entry in enumerate(doc.get("teams", []), 1):
        key = f"[[teams]] #{n}"
        unit = entry.get("unit")
        if unit not in CRISIS_UNITS:
            raise _fail(where, key + " unit", f"expected one of {', '.join(CRISIS_UNITS)}, got {unit!r}")
        count = entry.get("count")
        if isinstance(count, bool) or not isinstance(count, int) or count < 0 or count > 200:
            raise _fail(where, key + " count", f"expected a whole number of teams from 0 to 200, got {count!r}")
        teams[unit] += count * week_mask(_days(entry, where, key), parse_clock(entry.get("start"), where, key + " start"),
                                         parse_clock(entry.get("end"), where, key + " end")).astype(np.int16)
    if not any(t.any() for t in teams.values()):
        raise _fail(where, "[[teams]]", "no team of any unit is ever on duty")
    return Period(None, str(doc.get("scenario", {}).get("name", "")), mask, citywide,
                  frozenset(b.strip().upper() for b in beats), teams)


def parse_scenario(doc: dict, where: str, scenario_id: str, path: Path | None = None) -> Scenario:
    """A scenario from a parsed TOML document; ScenarioError (one line) on any mistake."""
    head = _table(doc, "scenario", where)
    name = head.get("name")
    if not isinstance(name, str) or not name.strip():
        raise _fail(where, "[scenario] name", f"expected a non-empty name, got {name!r}")
    from_program = head.get("from_program", False)
    if not isinstance(from_program, bool):
        raise _fail(where, "[scenario] from_program", f"expected true or false, got {from_program!r}")
    periods = () if from_program else (_coverage(doc, where),)
    routing = _table(doc, "routing", where)
    when_busy = routing.get("when_busy", "phone")
    if when_busy not in WHEN_BUSY:
        raise _fail(where, "[routing] when_busy", f"expected one of {', '.join(WHEN_BUSY)}, got {when_busy!r}")
    queue = _number(routing, "queue_minutes", where + " [routing]", 0, 240, default=0)
    share = routing.get("routing_share", "calibrated")
    if share != "calibrated":
        share = _number(routing, "routing_share", where + " [routing]", 0, 1)
    after_call, after_call_range = parse_after_call(doc, where)
    return Scenario(scenario_id=scenario_id, name=name.strip(), description=str(head.get("description", "")).strip(),
                    from_program=from_program, periods=periods, when_busy=when_busy, queue_minutes=queue,
                    routing_share=None if share == "calibrated" else share, costs=parse_costs(doc, where), path=path,
                    after_call=after_call, after_call_range=after_call_range)


def parse_after_call(doc: dict, where: str) -> tuple[dict[str, float], float]:
    """[after_call]: minutes per unit (CCD, CR, COR; absent: 0) and `range`, a share between 0 and 0.9."""
    table = _table(doc, "after_call", where, required=False)
    unknown = sorted(set(table) - {PHONE_UNIT, *FIELD_UNITS, "range"})
    if unknown:
        raise _fail(where, f"[after_call] {unknown[0]}",
                    f"not a unit the replay staffs (expected {', '.join((PHONE_UNIT, *FIELD_UNITS))} or range)")
    minutes = {unit: _number(table, unit, where + " [after_call]", 0, 240)
               for unit in (PHONE_UNIT, *FIELD_UNITS) if unit in table}
    return minutes, _number(table, "range", where + " [after_call]", 0, 0.9, default=0)


def load_scenario(path: Path) -> Scenario:
    """Read and check one scenario file."""
    path = Path(path)
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ScenarioError(f"{path}: no such scenario file") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise ScenarioError(f"{path.name}: not valid TOML: {err}") from None
    return parse_scenario(doc, path.name, path.stem, path)


def load_scenarios(folder: Path) -> list[Scenario]:
    """Every scenario file in a folder, the "as configured" one(s) first, then by file name."""
    files = sorted(Path(folder).glob("*.toml"))
    if not files:
        raise ScenarioError(f"{folder}: no scenario files (*.toml)")
    scenarios = [load_scenario(p) for p in files]
    return sorted(scenarios, key=lambda s: (not s.from_program, s.scenario_id))
