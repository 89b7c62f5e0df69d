"""The program configuration (config/program.toml): dated facts about what HEART covers.

Which call types are eligible, which beats are served, which hours on which
weekdays, which units exist and how many teams are on shift — each entry with
the date it took effect — and, optionally, published budget figures by fiscal
year ([[budget]], read only by the council dashboard's cost per response).
This module reads and checks the file and loads it into the warehouse
(staging.program_*), where the marts join it by date. The metrics never
hard-code any of it: another city edits the file, not the code.

A mistake in the file is reported as one line naming the section, the entry
and the value (ProgramConfigError), never as a traceback.
"""

from __future__ import annotations

import dataclasses
import math
import tomllib
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import duckdb
import pyarrow as pa

from pipeline.ingest.contract import HEART_UNITS
from pipeline.warehouse.sqlfiles import registered, run_sql_file
from pipeline.vocabulary import WEEKDAYS

DATED_SECTIONS = ("units", "eligible_call_types", "service_area", "service_hours", "capacity")


class ProgramConfigError(ValueError):
    """The program configuration file has a mistake a person can fix."""


@dataclass(frozen=True)
class Budget:
    """One fiscal year's budget figure from the public record ([[budget]] in the program file).

    The council dashboard divides it by that year's responses (cost per
    response) and always shows `covers` beside the result: a department-wide
    figure is not the cost of HEART alone.
    """

    fiscal_year_start: date    # first day of the fiscal year the amount is for
    amount_usd: float
    covers: str                # what the amount pays for
    source: str                # where the figure was published


@dataclass(frozen=True)
class ProgramConfig:
    path: Path
    name: str
    timezone: str
    launch_date: date
    fiscal_year_start_month: int
    raw: dict
    budgets: tuple[Budget, ...] = ()

    def budget_for(self, fiscal_year_start: date) -> Budget | None:
        """The budget entry of the fiscal year starting on that day, if the file gives one."""
        return next((b for b in self.budgets if b.fiscal_year_start == fiscal_year_start), None)

    def entries(self, section: str) -> list[dict]:
        return list(self.raw.get(section, []))


def load_program(path: Path) -> ProgramConfig:
    """Read and check the program file; raises ProgramConfigError with a one-line reason."""
    try:
        with open(path, "rb") as fh:
            raw = tomllib.load(fh)
    except FileNotFoundError:
        raise ProgramConfigError(f"program configuration not found: {path}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ProgramConfigError(f"{path.name}: not valid TOML: {exc}") from None
    head = raw.get("program")
    if not isinstance(head, dict):
        raise ProgramConfigError(f"{path.name}: missing the [program] table")
    for key in ("timezone", "launch_date"):
        if key not in head:
            raise ProgramConfigError(f"{path.name}: [program] needs `{key}`")
    try:
        ZoneInfo(head["timezone"])
    except (ZoneInfoNotFoundError, ValueError):
        raise ProgramConfigError(f"{path.name}: [program] timezone {head['timezone']!r} is not a known time zone") from None
    _expect(isinstance(head["launch_date"], date), path, "[program] launch_date", head["launch_date"], "a date")
    month = head.get("fiscal_year_start_month", 7)
    _expect(isinstance(month, int) and 1 <= month <= 12, path, "[program] fiscal_year_start_month", month, "1-12")
    config = ProgramConfig(
        path=path,
        name=str(head.get("name", "")),
        timezone=head["timezone"],
        launch_date=head["launch_date"],
        fiscal_year_start_month=month,
        raw=raw,
    )
    _check_entries(config)
    return dataclasses.replace(config, budgets=_budgets(config))


def _expect(ok: bool, path: Path, where: str, value, wanted: str) -> None:
    if not ok:
        raise ProgramConfigError(f"{path.name}: {where} = {value!r}: expected {wanted}")


def _check_entries(config: ProgramConfig) -> None:
    path = config.path
    for section in DATED_SECTIONS:
        entries = config.entries(section)
        if not entries:
            raise ProgramConfigError(f"{path.name}: no [[{section}]] entries")
        for n, entry in enumerate(entries, start=1):
            where = f"[[{section}]] entry {n}"
            _expect(isinstance(entry.get("effective"), date), path, f"{where} effective", entry.get("effective"),
                    "a date such as 2022-06-27")
    seen_units: set[str] = set()
    for n, unit in enumerate(config.entries("units"), start=1):
        _expect(unit.get("code") in HEART_UNITS, path, f"[[units]] entry {n} code", unit.get("code"),
                f"one of {', '.join(HEART_UNITS)}")
        # A unit is listed once, `effective` being when it started: the marts
        # join units by code, so a second entry would count its responses twice.
        _expect(unit["code"] not in seen_units, path, f"[[units]] entry {n} code", unit["code"],
                "a unit listed only once (its `effective` is the date it started)")
        seen_units.add(unit["code"])
    for n, entry in enumerate(config.entries("service_hours"), start=1):
        where = f"[[service_hours]] entry {n}"
        for day in entry.get("days", []):
            _expect(day in WEEKDAYS, path, f"{where} days", day, f"one of {', '.join(WEEKDAYS)}")
        for key in ("start", "end"):
            _expect(isinstance(entry.get(key), time), path, f"{where} {key}", entry.get(key), "a time such as 08:00:00")
        _expect(entry["start"] < entry["end"], path, f"{where} end", entry["end"],
                "a time after start (overnight hours are not supported yet)")
    known_beats = set(config.raw.get("beats", {}).get("all", []))
    for n, entry in enumerate(config.entries("service_area"), start=1):
        for beat in entry.get("beats", []):
            _expect(not known_beats or beat in known_beats, path, f"[[service_area]] entry {n} beats", beat,
                    "a beat listed in [beats] all")
    for n, entry in enumerate(config.entries("capacity"), start=1):
        for key, value in entry.items():
            if key == "effective":
                continue
            _expect(key in HEART_UNITS, path, f"[[capacity]] entry {n} key", key, f"a unit code ({', '.join(HEART_UNITS)})")
            _expect(isinstance(value, int) and value >= 0, path, f"[[capacity]] entry {n} {key}", value,
                    "a whole number of teams")


def _budgets(config: ProgramConfig) -> tuple[Budget, ...]:
    """The optional [[budget]] entries, checked: one per fiscal year, an amount above 0, what it covers, its source."""
    path = config.path
    raw = config.raw.get("budget", [])
    _expect(isinstance(raw, list), path, "[[budget]]", raw,
            "a list of [[budget]] entries (fiscal_year_start, amount_usd, covers, source)")
    budgets: list[Budget] = []
    for n, entry in enumerate(raw, start=1):
        where = f"[[budget]] entry {n}"
        _expect(isinstance(entry, dict), path, where, entry,
                "a table with fiscal_year_start, amount_usd, covers, source")
        start = entry.get("fiscal_year_start")
        _expect(isinstance(start, date) and not isinstance(start, datetime), path, f"{where} fiscal_year_start",
                start, "a date such as 2022-07-01")
        _expect(start.day == 1 and start.month == config.fiscal_year_start_month, path,
                f"{where} fiscal_year_start", start,
                f"the first day of a fiscal year (day 1 of month {config.fiscal_year_start_month}, "
                "[program] fiscal_year_start_month)")
        _expect(all(b.fiscal_year_start != start for b in budgets), path, f"{where} fiscal_year_start", start,
                "one [[budget]] entry per fiscal year")
        amount = entry.get("amount_usd")
        _expect(isinstance(amount, (int, float)) and not isinstance(amount, bool) and math.isfinite(amount)
                and amount > 0, path, f"{where} amount_usd", amount, "a number of dollars above 0")
        for key in ("covers", "source"):
            text = entry.get(key)
            _expect(isinstance(text, str) and text.strip() != "", path, f"{where} {key}", text,
                    "a non-empty text" + (" saying what the amount pays for" if key == "covers"
                                          else " naming where the figure was published"))
        unknown = sorted(set(entry) - {"fiscal_year_start", "amount_usd", "covers", "source"})
        _expect(not unknown, path, f"{where} key", unknown[0] if unknown else None,
                "one of fiscal_year_start, amount_usd, covers, source")
        budgets.append(Budget(start, float(amount), entry["covers"].strip(), entry["source"].strip()))
    return tuple(sorted(budgets, key=lambda b: b.fiscal_year_start))


def program_tables(config: ProgramConfig) -> dict[str, pa.Table]:
    """The configuration as one Arrow table per staging table (registered, then copied by SQL)."""
    units = config.entries("units")
    eligible = [
        (e["effective"], e.get("label", ""), code)
        for e in config.entries("eligible_call_types")
        for code in (e.get("natures") or [None])
    ]
    area = [
        (e["effective"], e.get("label", ""), bool(e.get("citywide", False)), beat)
        for e in config.entries("service_area")
        for beat in ([None] if e.get("citywide") else (e.get("beats") or [None]))
    ]
    hours = [
        (e["effective"], e.get("label", ""), WEEKDAYS.index(day) + 1 if day else None, e["start"], e["end"])
        for e in config.entries("service_hours")
        for day in (e.get("days") or [None])
    ]
    capacity = [
        (e["effective"], code, e.get(code, 0)) for e in config.entries("capacity") for code in HEART_UNITS
    ]
    beats = list(config.raw.get("beats", {}).get("all", []))
    columns = {
        "program_input": {
            "name": [config.name], "timezone": [config.timezone], "launch_date": [config.launch_date],
            "fiscal_year_start_month": [config.fiscal_year_start_month], "config_file": [config.path.name],
        },
        "program_units_input": {
            "code": [u["code"] for u in units], "name": [u.get("name", u["code"]) for u in units],
            "effective_from": [u["effective"] for u in units],
            "in_person": [bool(u.get("in_person", False)) for u in units],
            "crisis_response": [bool(u.get("crisis_response", False)) for u in units],
            "description": [u.get("description", "") for u in units],
        },
        "program_eligible_input": dict(zip(("effective_from", "label", "call_type"), _columns(eligible, 3))),
        "program_area_input": dict(zip(("effective_from", "label", "citywide", "beat"), _columns(area, 4))),
        "program_hours_input": dict(
            zip(("effective_from", "label", "iso_weekday", "start_time", "end_time"), _columns(hours, 5))
        ),
        "program_capacity_input": dict(zip(("effective_from", "unit", "teams"), _columns(capacity, 3))),
        "program_beats_input": {"beat": beats},
    }
    schemas = {
        "program_input": pa.schema([("name", pa.string()), ("timezone", pa.string()), ("launch_date", pa.date32()),
                                    ("fiscal_year_start_month", pa.int32()), ("config_file", pa.string())]),
        "program_units_input": pa.schema([("code", pa.string()), ("name", pa.string()), ("effective_from", pa.date32()),
                                          ("in_person", pa.bool_()), ("crisis_response", pa.bool_()),
                                          ("description", pa.string())]),
        "program_eligible_input": pa.schema([("effective_from", pa.date32()), ("label", pa.string()),
                                             ("call_type", pa.string())]),
        "program_area_input": pa.schema([("effective_from", pa.date32()), ("label", pa.string()),
                                         ("citywide", pa.bool_()), ("beat", pa.string())]),
        "program_hours_input": pa.schema([("effective_from", pa.date32()), ("label", pa.string()),
                                          ("iso_weekday", pa.int32()), ("start_time", pa.time64("us")),
                                          ("end_time", pa.time64("us"))]),
        "program_capacity_input": pa.schema([("effective_from", pa.date32()), ("unit", pa.string()),
                                             ("teams", pa.int32())]),
        "program_beats_input": pa.schema([("beat", pa.string())]),
    }
    return {name: pa.table(columns[name], schema=schemas[name]) for name in columns}


def _columns(rows: list[tuple], width: int) -> list[list]:
    return [list(col) for col in zip(*rows)] if rows else [[] for _ in range(width)]


def write_program_tables(con: duckdb.DuckDBPyConnection, config: ProgramConfig) -> None:
    """Replace staging.program_* with the configuration's current content."""
    with registered(con, program_tables(config)):
        run_sql_file(con, "staging/program_config.sql")
