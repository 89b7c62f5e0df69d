"""Every outcome x design estimated, checked and written: metrics.impact_estimates and metrics.impact_event_study.

For each design (panel.DESIGNS) and outcome (panel.OUTCOMES): the overall effect, the event study and
its pre-trend test, the placebo (every start one year earlier, on the weeks before the first real start),
the plausibility bound and the verdict. Anything that stops an estimate (no marts, no outcome classes,
no history before the start, no comparison, a model that will not fit) is a row with verdict
'not estimable' and the reason in plain words, never an exception. Both tables are rebuilt whole
(sql/impact/write_results.sql) and commented in sql/catalog/metrics.sql.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from pipeline.impact import estimate, verdict
from pipeline.impact.panel import (DESIGNS, OUTCOMES, PERIOD_WEEKS, PLACEBO_SHIFT_WEEKS, Design, NotEstimable,
                                   Outcome, load_panel, placebo_end, pre_period_unit_hours_per_call, prepare)
from pipeline.warehouse import has_table
from pipeline.warehouse.sqlfiles import registered, run_sql_file

ESTIMATOR = ("Sun-Abraham event study, Poisson with fixed effects (pyfixest fepois), not-yet-served and never-served "
             f"comparison units, CR1 errors clustered by beat, t intervals; event periods of {PERIOD_WEEKS} weeks")
ESTIMATE_COLUMNS = ["outcome", "design", "scale", "estimator", "estimate", "ci_low", "ci_high", "estimate_level",
                    "counterfactual_level", "pretrend_p", "placebo_estimate", "placebo_ci_low", "placebo_ci_high",
                    "implied_change", "heart_answered_in_treated", "plausible", "verdict", "reason", "n_units",
                    "n_treated_units", "first_week", "last_week", "inputs_fingerprint"]
EVENT_COLUMNS = ["outcome", "design", "event_time", "estimate", "ci_low", "ci_high", "n_units"]


@dataclass(frozen=True)
class Results:
    estimates: pd.DataFrame
    event_study: pd.DataFrame


def fingerprint(con: duckdb.DuckDBPyConnection) -> str:
    """What the estimates depend on: both outcome marts' rows and the estimator's own code (a change to either
    must re-estimate; nothing else does). SHA-256 as hex."""
    parts = []
    for design in DESIGNS:
        if has_table(con, "marts", design.table):
            ((value,),) = run_sql_file(con, f"impact/fingerprint_{design.table.removeprefix('impact_')}.sql").fetchall()
            parts.append(f"{design.table}={value}")
        else:
            parts.append(f"{design.table}=absent")
    for source in sorted(Path(__file__).parent.glob("*.py")):
        parts.append(hashlib.sha256(source.read_bytes()).hexdigest())
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def up_to_date(con: duckdb.DuckDBPyConnection, current: str) -> bool:
    """True when metrics.impact_estimates was computed from exactly these inputs (`fingerprint`)."""
    if not has_table(con, "metrics", "impact_estimates"):
        return False
    rows = run_sql_file(con, "impact/estimated_from.sql").fetchall()
    return rows == [(current,)]


def _scale(outcome: Outcome) -> str:
    return "rate per call police handled alone" if outcome.denominator else "count"


def _blank(outcome: Outcome, design: Design, reason: str) -> dict:
    row = dict.fromkeys(ESTIMATE_COLUMNS)
    row.update(outcome=outcome.name, design=design.name, scale=_scale(outcome), estimator=ESTIMATOR,
               verdict="not estimable", reason=f"{outcome.words}: {reason}")
    return row


def estimate_one(panel: pd.DataFrame, outcome: Outcome, design: Design) -> tuple[dict, pd.DataFrame]:
    """One outcome x design: its estimates row and its event-study rows (raises NotEstimable)."""
    sample = prepare(panel, outcome, design)
    fitted = estimate.effect(sample, design)
    study = estimate.event_study(sample, design)
    placebo, placebo_reason = None, ""
    try:
        fake = estimate.effect(prepare(panel, outcome, design, shift_weeks=PLACEBO_SHIFT_WEEKS,
                                       end=placebo_end(panel)), design)
        placebo = (fake.ci_low, fake.ci_high)
    except NotEstimable as exc:
        fake, placebo_reason = None, str(exc)
    implied = fitted.observed - fitted.counterfactual
    largest = verdict.bound(outcome.name, sample.heart_in_served, pre_period_unit_hours_per_call(panel))
    judged = verdict.decide(outcome.words, design.unit_words, fitted.relative, fitted.ci_low, fitted.ci_high,
                            fitted.observed, largest, sample.heart_in_served, study.pretrend_p, placebo, placebo_reason)
    # Levels: a rate per call police handled alone, or the total over the served unit-weeks for a count.
    per = fitted.denominator if outcome.denominator else 1.0
    row = {
        "outcome": outcome.name, "design": design.name, "scale": _scale(outcome), "estimator": ESTIMATOR,
        "estimate": fitted.relative, "ci_low": fitted.ci_low, "ci_high": fitted.ci_high,
        "estimate_level": fitted.observed / per, "counterfactual_level": fitted.counterfactual / per,
        "pretrend_p": study.pretrend_p,
        "placebo_estimate": None if fake is None else fake.relative,
        "placebo_ci_low": None if fake is None else fake.ci_low,
        "placebo_ci_high": None if fake is None else fake.ci_high,
        "implied_change": implied, "heart_answered_in_treated": sample.heart_in_served,
        "plausible": judged.plausible, "verdict": judged.verdict, "reason": judged.reason,
        "n_units": sample.n_units, "n_treated_units": sample.n_treated_units,
        "first_week": sample.first_week, "last_week": sample.last_week,
    }
    events = study.coefficients.assign(outcome=outcome.name, design=design.name)[EVENT_COLUMNS]
    return row, events


def run_all(con: duckdb.DuckDBPyConnection) -> Results:
    """Every design x outcome from the marts in `con`; a 'not estimable' row wherever one cannot be made."""
    current = fingerprint(con)
    rows: list[dict] = []
    events: list[pd.DataFrame] = []
    for design in DESIGNS:
        try:
            panel = load_panel(con, design)
        except NotEstimable as exc:
            rows += [_blank(outcome, design, str(exc)) for outcome in OUTCOMES]
            continue
        for outcome in OUTCOMES:
            try:
                row, study = estimate_one(panel, outcome, design)
            except NotEstimable as exc:
                rows.append(_blank(outcome, design, str(exc)))
                continue
            rows.append(row)
            events.append(study)
    study_frame = pd.concat(events, ignore_index=True) if events else pd.DataFrame(columns=EVENT_COLUMNS)
    estimates = pd.DataFrame(rows, columns=ESTIMATE_COLUMNS).assign(inputs_fingerprint=current)
    return Results(estimates, study_frame)


def write_results(con: duckdb.DuckDBPyConnection, results: Results) -> tuple[int, int]:
    """Replace metrics.impact_estimates and metrics.impact_event_study; returns their row counts."""
    with registered(con, {"impact_estimates_frame": results.estimates,
                          "impact_event_study_frame": results.event_study}):
        run_sql_file(con, "impact/write_results.sql")
    return len(results.estimates), len(results.event_study)


def ensure_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Create both tables empty when absent, so the catalog and the data dictionary see them after the plain
    build chain (pipeline/build.py); the impact asset replaces them with estimates."""
    if not (has_table(con, "metrics", "impact_estimates") and has_table(con, "metrics", "impact_event_study")):
        write_results(con, Results(pd.DataFrame(columns=ESTIMATE_COLUMNS), pd.DataFrame(columns=EVENT_COLUMNS)))
