"""The program configuration (config/program.toml) as the simulation reads it: what is in force on each day."""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import date, datetime, time
from functools import cached_property
from pathlib import Path
from zoneinfo import ZoneInfo

from pipeline.samples.common import DEFAULT_CONFIG
from pipeline.vocabulary import WEEKDAYS


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
