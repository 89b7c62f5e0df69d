"""`heart impact [--warehouse PATH]`: the impact estimates in plain words (docs/impact.md).

Reads metrics.impact_estimates from the published warehouse, read-only (the pipeline's impact asset
writes it on `heart run`), and prints one line per outcome x design: the change with its 95% interval,
the pre-trend test, the placebo, the plausibility check and the verdict with its reason. Figures only:
no record-level row is read or printed. A missing warehouse or table is one line, exit 2.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from pipeline import warehouse
from pipeline.cli import output
from pipeline.settings import Settings
from pipeline.warehouse.sqlfiles import query_sql_file

DESIGN_WORDS = {"staggered_beats": "served beats vs beats not yet served",
                "served_hours": "served hours vs unserved hours"}


class ImpactCommandError(ValueError):
    """A problem the user can fix: printed as one line, exit 2."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--warehouse", help="DuckDB file to read (default: warehouse/heart.duckdb)")


def command(args: argparse.Namespace) -> int:
    path = Path(args.warehouse) if args.warehouse else Settings().warehouse
    if not path.is_file():
        raise ImpactCommandError(f"no warehouse at {path}: run `heart run` first")
    with warehouse.connect(path, read_only=True) as con:
        if not warehouse.has_table(con, "metrics", "impact_estimates"):
            raise ImpactCommandError(f"{path} has no impact estimates yet: run `heart run` first")
        rows = query_sql_file(con, "impact/read_estimates.sql")
    print(render(rows))
    return 0


def _pct(x) -> str:
    return "-" if x is None else f"{100 * x:+.0f}%"


def _interval(low, high) -> str:
    return "-" if low is None or high is None else f"{_pct(low)} to {_pct(high)}"


def _plausibility(row: dict) -> str:
    if row["plausible"] is None:
        return "-"
    answered = row["heart_answered_in_treated"]
    return ("within HEART's " if row["plausible"] else "BEYOND HEART's ") + f"{answered:,.0f} calls"


def render(rows: list[dict]) -> str:
    """The estimates as a table, then each row's reason: what a council analyst reads."""
    if not rows:
        return "No impact estimates: the outcome marts were empty when the pipeline last ran."
    weeks = [r for r in rows if r["first_week"] is not None]
    lines = ["Is it working? Change in each outcome where and when HEART served, against places and hours "
             "not (yet) served (docs/impact.md)."]
    if weeks:
        lines.append(f"Weeks used: {min(r['first_week'] for r in weeks)} to {max(r['last_week'] for r in weeks)}. "
                     "Rates are per call police handled alone (no HEART answer); intervals are 95%.")
    lines.append("")
    table = [[r["outcome"].replace("_", " "), DESIGN_WORDS.get(r["design"], r["design"]), _pct(r["estimate"]),
              _interval(r["ci_low"], r["ci_high"]),
              "-" if r["pretrend_p"] is None else f"{r['pretrend_p']:.2f}",
              f"{_pct(r['placebo_estimate'])} ({_interval(r['placebo_ci_low'], r['placebo_ci_high'])})"
              if r["placebo_estimate"] is not None else "-",
              _plausibility(r), r["verdict"]] for r in rows]
    headers = ["outcome", "design", "change", "95% interval", "pre-trend p", "placebo (interval)",
               "plausibility", "verdict"]
    lines.append(output.to_table(table, headers, [False, False, True, False, True, False, False, False]))
    lines += ["", "Why:"]
    lines += [f"- {r['outcome'].replace('_', ' ')}, {r['design'].replace('_', ' ')}: {r['reason']}" for r in rows]
    return "\n".join(lines)
