"""Run every scenario and the back-tests, and write them to the warehouse.

metrics.scenario_results: one row per scenario x measure x unit x breakdown (projected calls
answered and the share, unmet by reason, utilisation by hour, staff, cost, and the assumptions
each rests on, flagged); metrics.scenario_backtests: one row per back-test. Both are rebuilt
whole on every run (sql/scenarios/write_*.sql) and commented in sql/catalog/metrics.sql.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from pipeline.scenarios import backtest
from pipeline.scenarios.backtest import BackTest
from pipeline.scenarios.calibrate import calibrate, service_pools
from pipeline.scenarios.config import NotEnoughData, Scenario, ScenarioError, load_scenario, load_scenarios
from pipeline.scenarios.engine import UNITS
from pipeline.scenarios.project import INTERVAL_KIND, SEEDS, ScenarioResult, project
from pipeline.scenarios.stream import data_days, load_stream, resolve
from pipeline.vocabulary import HOURS
from pipeline.warehouse.sqlfiles import registered, run_sql_file

PROJECTION_DAYS = 365          # the latest year of eligible calls
CALIBRATION_DAYS = 183         # routing and service times from the latest six months


@dataclass(frozen=True)
class Results:
    projections: list[ScenarioResult]
    backtests: list[BackTest]
    start: date | None           # the replayed year, local dates [start, end)
    end: date | None
    seeds: int
    skipped: str = ""            # why nothing was replayed (too little data), else empty


def run_all(con: duckdb.DuckDBPyConnection, folder: Path | None = None, files: list[Path] | None = None,
            seeds: int = SEEDS, backtests: bool = True) -> Results:
    """Every scenario in `folder` (or the `files` given) over the latest year, plus the back-tests."""
    scenarios = [load_scenario(p) for p in files] if files else load_scenarios(folder)
    days = data_days(con)
    if days is None:
        return Results([], [], None, None, seeds, "no eligible calls in the warehouse")
    try:
        return _run(con, scenarios, days, seeds, backtests)
    except NotEnoughData as err:
        return Results([], [], None, None, seeds, str(err))


def _run(con, scenarios: list[Scenario], days: tuple[date, date], seeds: int, backtests: bool) -> Results:
    first, last = days
    end = last + timedelta(days=1)
    start = max(first, end - timedelta(days=PROJECTION_DAYS))
    as_configured = resolve(next((s for s in scenarios if s.from_program), _program_default(scenarios)), con)
    cal_start = max(first, end - timedelta(days=CALIBRATION_DAYS))
    cal_stream = load_stream(con, cal_start, end)
    calibration = calibrate(cal_stream, as_configured, service_pools(con, cal_start, end), cal_start, end)
    stream = load_stream(con, start, end)
    projections = [project(stream, resolve(s, con), calibration, seeds) for s in scenarios]
    tests: list[BackTest] = []
    if backtests:
        ((fy_month,),) = con.execute("SELECT fiscal_year_start_month FROM staging.program").fetchall()
        tests = backtest.in_sample(con, as_configured, first, last, fy_month, seeds) + \
            backtest.out_of_sample(con, as_configured, first, last, seeds)
    return Results(projections, tests, start, end, seeds)


def _program_default(scenarios: list[Scenario]) -> Scenario:
    """Calibration needs the configuration in force; with no from_program file, the first file's costs serve."""
    if not scenarios:
        raise ScenarioError("no scenario to run")
    return replace(scenarios[0], scenario_id="as_configured", name="As configured", from_program=True, periods=())


def _rows(r: ScenarioResult, results: Results) -> list[dict]:
    s = r.scenario
    rows: list[dict] = []

    def add(measure, value, value_unit, unit="ALL", dimension="ALL", dim_value="ALL", low=None, high=None,
            assumption=False, source="replay"):
        rows.append({"scenario_id": s.scenario_id, "scenario_name": s.name, "measure": measure, "unit": unit,
                     "dimension": dimension, "dimension_value": dim_value, "value": _num(value), "low": _num(low),
                     "high": _num(high), "value_unit": value_unit, "assumption": assumption, "source": source})

    add("eligible_calls", r.calls, "calls", source="warehouse: eligible calls in the replayed year")
    add("answered", r.answered.value, "calls", low=r.answered.low, high=r.answered.high)
    add("share_answered", r.share.value, "share", low=r.share.low, high=r.share.high)
    add("answered_per_year", r.answered.value * r.annual_factor, "calls", low=r.answered.low * r.annual_factor,
        high=r.answered.high * r.annual_factor)
    for unit, iv in r.by_unit.items():
        add("answered", iv.value, "calls", unit=unit, low=iv.low, high=iv.high)
    for reason, iv in r.unmet.items():
        add("unmet", iv.value, "calls", dimension="reason", dim_value=reason, low=iv.low, high=iv.high)
    for unit in UNITS:
        for h, v in zip(HOURS, r.utilisation[unit]):
            if not np.isnan(v):
                add("utilisation", v, "share", unit=unit, dimension="hour_of_day", dim_value=h)
        add("post_hours_per_year", r.staff.post_hours[unit], "hours", unit=unit, assumption=True,
            source="scenario file: teams on duty")
    add("mean_wait_minutes", r.wait_minutes.value, "minutes", low=r.wait_minutes.low, high=r.wait_minutes.high)
    cost_source = f"scenario file: {s.costs.source or 'cost inputs'}"
    for role, n in sorted(r.staff.positions.items()):
        add("staff_needed", n, "positions", dimension="role", dim_value=role, assumption=True, source=cost_source)
        add("annual_cost_usd", r.staff.cost_usd[role], "usd", dimension="role", dim_value=role, assumption=True,
            source=cost_source)
        add("position_cost_usd", s.costs.position_usd[role], "usd", dimension="role", dim_value=role,
            assumption=True, source=cost_source)
    add("staff_needed", r.staff.total_positions, "positions", assumption=True, source=cost_source)
    add("annual_cost_usd", r.staff.total_cost_usd, "usd", assumption=True, source=cost_source)
    add("cost_per_answered_call_usd", r.cost_per_answered.value, "usd", low=r.cost_per_answered.low,
        high=r.cost_per_answered.high, assumption=True, source=cost_source)
    add("hires_per_24_7_post", r.staff.hires_per_24_7_post, "positions", assumption=True, source=cost_source)
    cal = r.calibration
    window = f"calibrated from {cal.start} to {cal.end - timedelta(days=1)}"
    routing_source = "scenario file" if s.routing_share is not None else window
    add("routing_share_in_coverage", r.routing_share_in, "share", assumption=True, source=routing_source)
    add("routing_share_outside_area", r.routing_share_out, "share", assumption=True, source=window)
    for unit in UNITS:
        pool = cal.routing.service.get((unit, ""), np.array([]))
        if len(pool):
            add("service_minutes_median", float(np.median(pool)), "minutes", unit=unit, assumption=True,
                source=f"observed busy times, {window}")
        if unit in s.after_call:
            minutes, spread = s.after_call[unit], s.after_call[unit] * s.after_call_range
            add("after_call_minutes", minutes, "minutes", unit=unit, low=minutes - spread, high=minutes + spread,
                assumption=True, source="scenario file: after-call time (each seed draws within low to high)")
    return [dict(row, period_start=results.start, period_end=results.end, seeds=results.seeds) for row in rows]


def _num(value):
    return None if value is None or (isinstance(value, float) and np.isnan(value)) else float(value)


def results_frame(results: Results) -> pd.DataFrame:
    rows = [row for r in results.projections for row in _rows(r, results)]
    columns = ["scenario_id", "scenario_name", "measure", "unit", "dimension", "dimension_value", "value", "low",
               "high", "value_unit", "assumption", "source", "period_start", "period_end", "seeds"]
    return pd.DataFrame(rows, columns=columns)


def backtests_frame(results: Results) -> pd.DataFrame:
    rows = [{"kind": b.kind, "label": b.label, "period_start": b.start, "period_end": b.end, "calls": b.calls,
             "observed_share": b.observed_share, "predicted_share": b.predicted.value,
             "predicted_low": b.predicted.low, "predicted_high": b.predicted.high, "error_points": b.error_points,
             "tolerance_points": b.tolerance_points, "within_tolerance": b.within_tolerance,
             "inside_interval": b.inside_interval, "routing_share": b.routing_share,
             "calibration_start": b.calibration_start, "calibration_end": b.calibration_end,
             "seeds": results.seeds, "interval": INTERVAL_KIND} for b in results.backtests]
    return pd.DataFrame(rows, columns=["kind", "label", "period_start", "period_end", "calls", "observed_share",
                                       "predicted_share", "predicted_low", "predicted_high", "error_points",
                                       "tolerance_points", "within_tolerance", "inside_interval", "routing_share",
                                       "calibration_start", "calibration_end", "seeds", "interval"])


def write_results(con: duckdb.DuckDBPyConnection, results: Results) -> tuple[int, int]:
    """Replace metrics.scenario_results and metrics.scenario_backtests; returns their row counts."""
    scenario_frame, backtest_frame = results_frame(results), backtests_frame(results)
    with registered(con, {"scenario_results_frame": scenario_frame, "scenario_backtests_frame": backtest_frame}):
        run_sql_file(con, "scenarios/write_results.sql")
    return len(scenario_frame), len(backtest_frame)


def ensure_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Create the two tables empty when absent, so every table of the warehouse exists after the plain
    build chain (pipeline/build.py) whatever the data; the scenario asset replaces them with results."""
    from pipeline.warehouse import has_table

    if not (has_table(con, "metrics", "scenario_results") and has_table(con, "metrics", "scenario_backtests")):
        write_results(con, Results([], [], None, None, 0))
