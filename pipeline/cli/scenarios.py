"""`heart scenarios [--scenario FILE ...] [--seeds N]`: replay scenarios on the published warehouse and print them.

Reads the warehouse read-only (the same replay the pipeline's scenario asset writes to
metrics.scenario_results) and prints one readable table of the scenarios side by side, the
assumptions they rest on, and the back-tests. A mistake in a scenario file is one line, exit 2.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from pipeline import warehouse
from pipeline.cli import output
from pipeline.scenarios.config import SCENARIOS_DIR, ScenarioError
from pipeline.scenarios.project import SEEDS
from pipeline.scenarios.results import Results, run_all
from pipeline.settings import Settings

MAX_SEEDS = 200
REASON_WORDS = {"outside_service_hours": "outside hours", "outside_service_area": "outside area",
                "no_team_free": "no team free", "not_routed": "not routed"}


class ScenarioCommandError(ValueError):
    """A problem the user can fix: printed as one line, exit 2."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--scenario", action="append", metavar="FILE",
                        help="a scenario file (repeatable; default: every file in scenarios/)")
    parser.add_argument("--seeds", default=str(SEEDS), help=f"seeds to replay (1 to {MAX_SEEDS}; default {SEEDS})")
    parser.add_argument("--warehouse", help="DuckDB file to read (default: warehouse/heart.duckdb)")
    parser.add_argument("--no-backtests", action="store_true", help="skip the back-tests (faster)")


def _seeds(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not 1 <= value <= MAX_SEEDS:
        raise ScenarioCommandError(f"--seeds {text}: expected a whole number from 1 to {MAX_SEEDS}")
    return value


def command(args: argparse.Namespace) -> int:
    seeds = _seeds(args.seeds)
    path = Path(args.warehouse) if args.warehouse else Settings().warehouse
    if not path.is_file():
        raise ScenarioCommandError(f"no warehouse at {path}: run `heart run` first")
    files = [Path(f) for f in args.scenario] if args.scenario else None
    with warehouse.connect(path, read_only=True) as con:
        if not warehouse.has_table(con, "marts", "eligible_calls"):
            raise ScenarioCommandError(f"{path} has no marts yet: run `heart run` first")
        try:
            results = run_all(con, SCENARIOS_DIR, files, seeds, backtests=not args.no_backtests)
        except ScenarioError as err:
            raise ScenarioCommandError(str(err)) from None
    print(render(results))
    return 0


def _table(rows: list[dict]) -> str:
    headers = list(rows[0]) if rows else []
    return output.to_table([[str(r[h]) for h in headers] for r in rows], headers, [False] * len(headers))


def _pct(value: float) -> str:
    return f"{100 * value:.1f}%"


def render(results: Results) -> str:
    """The scenarios side by side, their assumptions and the back-tests, as plain text."""
    if results.skipped:
        return f"No scenario replayed: {results.skipped}."
    end = results.end.fromordinal(results.end.toordinal() - 1)
    lines = [f"Eligible calls received {results.start} to {end}, replayed through each scenario "
             f"({results.seeds} seeds; ranges are 95% prediction intervals over the seeds).", ""]
    rows = []
    for r in results.projections:
        unmet = ", ".join(f"{REASON_WORDS[k]} {v.value:,.0f}" for k, v in r.unmet.items() if v.value)
        rows.append({
            "scenario": r.scenario.name,
            "answered": f"{r.answered.value:,.0f} of {r.calls:,}",
            "share answered": f"{_pct(r.share.value)} ({_pct(r.share.low)}-{_pct(r.share.high)})",
            "unmet": unmet or "none",
            "staff (FTE)*": f"{r.staff.total_positions:,.1f}",
            "annual cost*": f"${r.staff.total_cost_usd:,.0f}",
            "per answered call*": f"${r.cost_per_answered.value:,.0f}",
        })
    lines.append(_table(rows))
    first = results.projections[0] if results.projections else None
    if first:
        cal = first.calibration
        lines += ["", "Assumptions (* = cost figures from the scenario files, not the city budget):",
                  f"- routing share in coverage {_pct(first.routing_share_in)}: the share of eligible calls in "
                  f"hours and area sent to HEART, calibrated on {cal.start} to "
                  f"{cal.end.fromordinal(cal.end.toordinal() - 1)}; the same share is assumed at hours and places "
                  "HEART has not served",
                  f"- service times drawn from {cal.busy_times:,} observed busy times (dispatch to clear) by unit "
                  "and call type",
                  f"- one post staffed 24/7 needs {first.staff.hires_per_24_7_post:.1f} hires"]
    if results.backtests:
        lines += ["", "Back-tests (share of eligible calls answered):"]
        lines.append(_table([{
            "test": b.kind.replace("_", "-"), "period": b.label, "calls": f"{b.calls:,}",
            "observed": _pct(b.observed_share),
            "predicted": f"{_pct(b.predicted.value)} ({_pct(b.predicted.low)}-{_pct(b.predicted.high)})",
            "error": f"{b.error_points:+.1f} pts",
            "within": "-" if b.within_tolerance is None else ("yes" if b.within_tolerance else "NO")
            + f" (±{b.tolerance_points:g})",
            "routing share": _pct(b.routing_share),
        } for b in results.backtests]))
    return "\n".join(lines)
