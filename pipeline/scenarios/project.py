"""Projections: each scenario replayed over the latest year of eligible calls, 20 seeds, summarised.

Seeds: the replay is deterministic for a seed; each seed also draws the routing share from its
calibration's sampling uncertainty (share answered in coverage ~ Beta(answered + 1/2, unanswered
+ 1/2), the Jeffreys interval, scaled onto the fitted routing share) and its factor on the
after-call minutes within the scenario's stated range (with the routing share fitted for it), so
the interval carries the chance in which calls are routed and how long they take, the
uncertainty of the calibration and that of the after-call assumption. Intervals are the 2.5th to 97.5th percentiles over the seeds (linear
interpolation; with 20 seeds this is close to the range from the lowest to the highest).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from pipeline.scenarios.calibrate import SEEDS, Calibration, for_seed, replay_share
from pipeline.scenarios.config import Scenario
from pipeline.scenarios.costs import DAYS_PER_YEAR, Staffing, staffing
from pipeline.scenarios.engine import REASONS, UNITS, Routing, replay
from pipeline.scenarios.stream import Stream

LOW, HIGH = 2.5, 97.5


@dataclass(frozen=True)
class Interval:
    value: float      # median over seeds
    low: float        # 2.5th percentile
    high: float       # 97.5th percentile


def interval(samples) -> Interval:
    a = np.asarray(samples, dtype=float)
    if a.size == 0 or np.all(np.isnan(a)):
        return Interval(float("nan"), float("nan"), float("nan"))
    return Interval(float(np.nanmedian(a)), float(np.nanpercentile(a, LOW)), float(np.nanpercentile(a, HIGH)))


@dataclass(frozen=True)
class ScenarioResult:
    scenario: Scenario
    calls: int                               # eligible calls replayed
    days: int
    answered: Interval
    share: Interval
    by_unit: dict[str, Interval]
    unmet: dict[str, Interval]               # reason -> calls
    utilisation: dict[str, np.ndarray]       # unit -> busy / on-duty team-minutes by hour (NaN: nobody on duty)
    wait_minutes: Interval                   # mean wait of answered calls (queue scenarios)
    staff: Staffing
    cost_per_answered: Interval
    routing_share_in: float
    routing_share_out: float
    calibration: Calibration

    @property
    def annual_factor(self) -> float:
        return DAYS_PER_YEAR / self.days if self.days else float("nan")


def seeded_routing(calibration: Calibration, scenario: Scenario, seed: int) -> Routing:
    """The routing for one seed: the scenario's fixed share, or the calibrated one drawn from its uncertainty;
    service times lengthened by the scenario's after-call minutes at the seed's factor (calibrate.for_seed)."""
    routing = for_seed(calibration, scenario, seed)
    if scenario.routing_share is not None:
        return replay_share(routing, scenario.routing_share, routing.share_out)
    rng = np.random.default_rng([seed, 16])
    n, k = calibration.calls_in_coverage, calibration.answered_in_coverage
    if not n or not k:
        return routing
    factor = rng.beta(k + 0.5, n - k + 0.5) / (k / n)
    return replay_share(routing, np.asarray(routing.share_in) * factor, routing.share_out * factor)


def latest(scenario: Scenario) -> Scenario:
    """The scenario's last period alone, in force over the whole replay (the configuration in force now)."""
    return replace(scenario, periods=(replace(scenario.periods[-1], effective=None),))


def project(stream: Stream, scenario: Scenario, calibration: Calibration, seeds: int = SEEDS) -> ScenarioResult:
    """Replay `stream` under `scenario` (its latest period) for `seeds` seeds and summarise."""
    scenario = latest(scenario)
    answered, by_unit, unmet, waits, busy, duty = [], {u: [] for u in UNITS}, {r: [] for r in REASONS[1:]}, [], {}, {}
    shares_in = []
    for seed in range(seeds):
        routing = seeded_routing(calibration, scenario, seed)
        shares_in.append(float(np.mean(routing.share_in)))
        result = replay(stream, scenario, routing, seed)
        answered.append(int(result.answered.sum()))
        for code, unit in enumerate(UNITS, 1):
            by_unit[unit].append(int((result.unit == code).sum()))
            busy[unit] = busy.get(unit, 0) + result.busy_by_hour[unit]
            duty[unit] = duty.get(unit, 0) + result.duty_by_hour[unit]
        for code, reason in enumerate(REASONS[1:], 1):
            unmet[reason].append(int((result.reason == code).sum()))
        waits.append(float(result.wait_minutes[result.answered].mean()) if result.answered.any() else 0.0)
    n = len(stream)
    staff = staffing(scenario.periods[0], scenario.costs)
    per_year = DAYS_PER_YEAR / stream.days if stream.days else float("nan")
    cost = [staff.total_cost_usd / (a * per_year) if a else float("nan") for a in answered]
    with np.errstate(invalid="ignore", divide="ignore"):
        utilisation = {u: np.where(duty[u] > 0, busy[u] / np.where(duty[u] > 0, duty[u], 1), np.nan) for u in UNITS}
    return ScenarioResult(
        scenario=scenario, calls=n, days=stream.days, answered=interval(answered),
        share=interval([a / n for a in answered] if n else []),
        by_unit={u: interval(v) for u, v in by_unit.items()}, unmet={r: interval(v) for r, v in unmet.items()},
        utilisation=utilisation, wait_minutes=interval(waits), staff=staff, cost_per_answered=interval(cost),
        routing_share_in=float(np.median(shares_in)), routing_share_out=float(calibration.routing.share_out),
        calibration=calibration,
    )
