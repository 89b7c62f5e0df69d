"""Read what the replay needs from the warehouse: the eligible-call stream and the program's coverage.

Everything comes from the marts and the configuration tables (sql/scenarios/*.sql, bound
parameters), never from the sample generator: the model works the same on a real city's data.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

import duckdb
import numpy as np

from pipeline.scenarios.config import MINUTES_PER_WEEK, Period, Scenario, ScenarioError
from pipeline.vocabulary import CRISIS_UNITS
from pipeline.warehouse.sqlfiles import run_sql_file


@dataclass(frozen=True)
class Stream:
    """Eligible calls in the order received, as parallel arrays (one element per call)."""

    t: np.ndarray                # UTC epoch seconds received
    day: np.ndarray              # local date received (datetime64[D])
    minute_of_week: np.ndarray   # local minute of the week, Monday 00:00 = 0
    beat: np.ndarray             # beat code (str)
    call_type: np.ndarray        # initial call type (str)
    in_area: np.ndarray          # observed: in the service area in force
    in_hours: np.ndarray         # observed: in the service hours in force
    answered: np.ndarray         # observed: answered by a crisis-response unit
    by_unit: dict[str, np.ndarray]   # observed: answered by CCD / CR / COR
    unmet_reason: np.ndarray     # observed reason ('' when answered)
    first: date | None
    last: date | None            # last local date the window holds (inclusive)

    def __len__(self) -> int:
        return len(self.t)

    @property
    def days(self) -> int:
        return 0 if self.first is None else (self.last - self.first).days + 1

    def select(self, mask: np.ndarray) -> "Stream":
        picked = {name: getattr(self, name)[mask] for name in
                  ("t", "day", "minute_of_week", "beat", "call_type", "in_area", "in_hours", "answered", "unmet_reason")}
        return replace(self, by_unit={u: v[mask] for u, v in self.by_unit.items()}, **picked)


def load_stream(con: duckdb.DuckDBPyConnection, start: date, end: date) -> Stream:
    """Eligible calls received on local dates [start, end)."""
    table = run_sql_file(con, "scenarios/eligible_stream.sql", {"start": start, "end": end}).fetchnumpy()
    n = len(table["t"])
    as_bool = lambda name: np.asarray(table[name], dtype=bool)  # noqa: E731
    days = np.asarray(table["received_date"], dtype="datetime64[D]")
    return Stream(
        t=np.asarray(table["t"], dtype=np.float64),
        day=days,
        minute_of_week=np.asarray(table["minute_of_week"], dtype=np.int64),
        beat=np.asarray(table["beat"], dtype=object).astype(str),
        call_type=np.asarray(table["call_type"], dtype=object).astype(str),
        in_area=as_bool("in_service_area"), in_hours=as_bool("in_service_hours"), answered=as_bool("answered"),
        by_unit={"CCD": as_bool("answered_by_ccd"), "CR": as_bool("answered_by_cr"), "COR": as_bool("answered_by_cor")},
        unmet_reason=np.array(["" if r is None else r for r in table["unmet_reason"]], dtype=object).astype(str)
        if n else np.array([], dtype=str),
        first=days.min().astype(object) if n else None, last=days.max().astype(object) if n else None,
    )


def data_days(con: duckdb.DuckDBPyConnection) -> tuple[date, date] | None:
    """First and last local dates of the eligible calls (None when there are none)."""
    # fetchall, not fetchone: a result left unfinished would block the connection's next step (register).
    ((first, last),) = con.execute("SELECT min(received_date), max(received_date) FROM marts.eligible_calls").fetchall()
    return None if first is None else (first, last)


def program_periods(con: duckdb.DuckDBPyConnection) -> tuple[Period, ...]:
    """The configuration's coverage, one Period per date an hours, area or capacity entry took effect.

    Hours are [start, end) on each listed weekday, as the marts read them (an end at or before the
    start covers nothing); teams are on duty during the service hours only."""
    periods = []
    for row in run_sql_file(con, "scenarios/program_coverage.sql").fetchall():
        effective, weekdays, starts, ends, citywide, beats, teams = row
        hours = np.zeros(MINUTES_PER_WEEK, dtype=bool)
        for wd, s, e in zip(weekdays or [], starts or [], ends or []):
            if e > s:
                hours[(wd - 1) * 1440 + s:(wd - 1) * 1440 + e] = True
        on_duty = {u: hours.astype(np.int16) * int((teams or {}).get(u, 0)) for u in CRISIS_UNITS}
        periods.append(Period(effective, f"as configured from {effective}", hours, bool(citywide),
                              frozenset(beats or []), on_duty))
    return tuple(periods)


def resolve(scenario: Scenario, con: duckdb.DuckDBPyConnection) -> Scenario:
    """The scenario with its coverage filled in from the configuration when it says from_program."""
    if not scenario.from_program:
        return scenario
    periods = program_periods(con)
    if not periods:
        raise ScenarioError(f"{scenario.scenario_id}: from_program: the warehouse has no program configuration")
    return replace(scenario, periods=periods)
