"""Does the program configuration fit the data? Named in the run summary and the data-quality report.

A city that copies config/program.toml and loads its own exports can get a
program that matches nothing: data before `launch_date`, call types the
eligible list does not spell the way the CAD export does, beats missing from
`[beats]`. Each of these is silent in the metrics (the calls simply are not
eligible), so this module says it in words, with the count and the setting to
change. The counts are SQL (sql/config_fit/); only codes from a profile's
lookup or from the configuration are ever quoted, never a value from the data
that no lookup knows.

`heart run` exits 1 when no eligible call at all falls inside the program
(`blocking_reason`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from pipeline.disclosure.redaction import looks_like_code
from pipeline.program import ProgramConfig, program_tables
from pipeline.metrics import values
from pipeline.settings import REPO_ROOT
from pipeline.warehouse.sqlfiles import query_sql_file, registered
from pipeline.warehouse import has_table

NEEDED = (("staging", "cad_incidents"), ("staging", "heart_rows"))
# The configuration is read from the file, not from staging.program_*: the data-quality report and
# a blocked run's summary answer before (or without) the marts that copy it into the warehouse.
PROGRAM_TABLES = ("program_input", "program_eligible_input", "program_beats_input")
MAX_CODES = 5
NO_HEART_LOG = values.NO_HEART_LOG


@dataclass(frozen=True)
class Fit:
    """What the configuration does not fit, as sentences, and why the run must fail (None: it need not)."""

    findings: list[str]
    blocking_reason: str | None
    heart_log_loaded: bool


def config_label(path: Path | None) -> str:
    """The program file as a person would type it: relative to the repository when it is inside it."""
    if path is None:
        return "the program configuration"
    try:
        return path.resolve().relative_to(REPO_ROOT).as_posix()
    except ValueError:
        return str(path)


def _n(value: int) -> str:
    return f"{value:,}"


def _plural(count: int, one: str, many: str) -> str:
    return f"{_n(count)} {one if count == 1 else many}"


def check_fit(con: duckdb.DuckDBPyConnection, program: ProgramConfig) -> Fit | None:
    """The findings for the warehouse's data against the program file; None before the data's tables exist."""
    if not all(has_table(con, schema, table) for schema, table in NEEDED):
        return None
    tables = program_tables(program)
    with registered(con, {name: tables[name] for name in PROGRAM_TABLES}):
        return _check(con, config_label(program.path))


def _check(con: duckdb.DuckDBPyConnection, cfg: str) -> Fit | None:
    dates = query_sql_file(con, "config_fit/dates.sql")
    if not dates:
        return None
    d = dates[0]
    launch = d["launch_date"]
    findings: list[str] = []
    if d["cad_before_launch"]:
        findings.append(
            f"{_plural(d['cad_before_launch'], 'CAD incident', 'CAD incidents')} received before launch_date {launch} "
            f"({cfg} [program] launch_date) {'is' if d['cad_before_launch'] == 1 else 'are'} outside the program "
            f"(the earliest on {d['cad_first_before_launch']})")
    if d["heart_before_launch"]:
        findings.append(
            f"{_plural(d['heart_before_launch'], 'HEART response', 'HEART responses')} received before launch_date "
            f"{launch} ({cfg} [program] launch_date) {'is' if d['heart_before_launch'] == 1 else 'are'} outside "
            "the program")
    if d["cad_without_eligible_list"]:
        when = (f"the first [[eligible_call_types]] entry with natures takes effect {d['first_eligible_list']}"
                if d["first_eligible_list"] else "no [[eligible_call_types]] entry lists any natures")
        findings.append(
            f"{_plural(d['cad_without_eligible_list'], 'CAD incident', 'CAD incidents')} received from launch_date "
            f"on fall on days with no eligible call types in force: {when} ({cfg} [[eligible_call_types]] "
            "effective, natures)")
    types = query_sql_file(con, "config_fit/call_types.sql")
    not_eligible = [t for t in types if t["finding"] == "not_eligible"]
    if not_eligible:
        incidents = sum(int(t["incidents"]) for t in not_eligible)
        # A code is quoted only when a lookup knows it and it looks like a code (redaction.py's one rule):
        # a label column in the export can "know" free text.
        quoted = [t for t in not_eligible if t["quotable"] and looks_like_code(t["call_type"])]
        shown = [f"{t['call_type']} {_n(int(t['incidents']))}" for t in quoted][:MAX_CODES]
        unknown = len(not_eligible) - len(quoted)
        detail = f"most often: {', '.join(shown)}" if shown else ""
        if unknown:
            # Not quoted (a code no lookup lists may be free text), but staff choosing eligible types need
            # them: the warehouse, which only analysts open, lists them.
            detail += (("; " if detail else "") + f"{_plural(unknown, 'code', 'codes')} that no profile lookup lists, "
                       "not quoted here: list them with heart sql \"SELECT initial_call_type, count(*) FROM "
                       "staging.cad_incidents GROUP BY 1 ORDER BY 2 DESC\"")
        findings.append(
            f"{_plural(incidents, 'CAD incident', 'CAD incidents')} from launch_date on "
            f"{'has a call type' if incidents == 1 else 'have call types'} on no eligible list "
            f"({_plural(len(not_eligible), 'call type', 'call types')}; {detail}); to make a type eligible, "
            f"add its code to {cfg} [[eligible_call_types]] natures")
    unseen = [t["call_type"] for t in types if t["finding"] == "eligible_not_seen"]
    if unseen and d["cad_incidents"]:
        findings.append(
            f"Eligible call types no CAD incident has: {', '.join(unseen[:12])}"
            f"{f' and {len(unseen) - 12} more' if len(unseen) > 12 else ''} ({cfg} [[eligible_call_types]] "
            "natures): check they are spelled as the CAD export writes them")
    beats = query_sql_file(con, "config_fit/beats.sql")
    if beats and beats[0]["incidents"]:
        b = beats[0]
        findings.append(
            f"{_plural(b['incidents'], 'CAD incident', 'CAD incidents')} from launch_date on {'is' if b['incidents'] == 1 else 'are'} "
            f"in {_plural(b['beats'], 'beat', 'beats')} not in [beats] all ({cfg} [beats] all, and "
            "[[service_area]] beats where HEART serves them)")
    heart_loaded = bool(d["heart_responses"])
    return Fit(findings, _blocking(d, cfg), heart_loaded)


def _blocking(d: dict, cfg: str) -> str | None:
    if d["eligible_in_program"]:
        return None
    launch = d["launch_date"]
    if not d["cad_incidents"]:
        return ("no eligible call falls inside the program: no CAD incident has been loaded; "
                "drop the CAD export into the inbox and run again")
    if d["cad_before_launch"] == d["cad_incidents"]:
        return (f"no eligible call falls inside the program: all {_n(d['cad_incidents'])} CAD incidents were "
                f"received before launch_date {launch}; set [program] launch_date in {cfg} to the program's "
                "first day")
    return (f"no eligible call falls inside the program: none of the "
            f"{_n(d['cad_incidents'] - d['cad_before_launch'])} CAD incidents received from launch_date {launch} on "
            f"has a call type on the eligible list in force; set [[eligible_call_types]] natures in {cfg} to the "
            "codes the CAD export uses (the data's call types are listed with the configuration findings)")
