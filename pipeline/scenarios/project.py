"""Projections: each scenario replayed over the latest year of eligible calls, 20 seeds, summarised.

Seeds: the replay is deterministic for a seed; each seed also draws the routing share from its
calibration's sampling uncertainty (share answered in coverage ~ Beta(answered + 1/2, unanswered
+ 1/2), the Jeffreys interval, scaled onto the fitted routing share) and its factor on the
after-call minutes within the scenario's stated range (with the routing share fitted for it), so
the interval carries the chance in which calls are routed and how long they take, the
uncertainty of the calibration and that of the after-call assumption. Intervals are 95% prediction
intervals over the seeds (interval()).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
from scipy.special import stdtrit   # Student's t quantile; scipy.stats would add a second to start-up

from pipeline.scenarios.calibrate import SEEDS, Calibration, for_seed, replay_share
from pipeline.scenarios.config import Scenario
from pipeline.scenarios.costs import DAYS_PER_YEAR, Staffing, staffing
from pipeline.scenarios.engine import REASONS, UNITS, Routing, replay
from pipeline.scenarios.stream import Stream

LEVEL = 0.95
INTERVAL_KIND = "95% prediction interval over the seeds: mean +/- t(0.975, n-1) x sd x sqrt(1 + 1/n)"


@dataclass(frozen=True)
class Interval:
    value: float      # median over seeds
    low: float        # 95% prediction interval for one more seed's run (interval())
    high: float


def interval(samples, upper: float | None = None) -> Interval:
    """The median over seeds, and the 95% prediction interval of one more run:
    mean +/- t(0.975, n - 1) * sd * sqrt(1 + 1/n), clipped to [0, upper].

    Not the 2.5th and 97.5th percentiles of the runs: with 20 seeds those are about the lowest and
    highest of 20 draws, which hold a further draw about 9 times in 10, not 19 in 20, and their ends
    move with one seed. Over twelve sample cities regenerated with other seeds (docs/scenarios.md,
    bench/scenario_coverage.py), the observed share after the expansion fell (observed - mean) / sd
    = -1.7 to +1.3 from the out-of-sample runs, spread 0.97: the seeds' spread is the right scale,
    so the normal-theory interval on it is the 95% one. Every measure here is a count, share, time or cost,
    so none is below 0; a share is at most 1 (upper)."""
    a = np.asarray(samples, dtype=float)
    a = a[~np.isnan(a)]
    if a.size == 0:
        return Interval(float("nan"), float("nan"), float("nan"))
    middle = float(np.median(a))
    if a.size == 1:
        return Interval(middle, middle, middle)
    half = stdtrit(a.size - 1, 0.5 + LEVEL / 2) * a.std(ddof=1) * np.sqrt(1 + 1 / a.size)
    low, high = max(float(a.mean() - half), 0.0), float(a.mean() + half)
    return Interval(middle, low, min(high, upper) if upper is not None else high)


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
        share=interval([a / n for a in answered] if n else [], upper=1.0),
        by_unit={u: interval(v) for u, v in by_unit.items()}, unmet={r: interval(v) for r, v in unmet.items()},
        utilisation=utilisation, wait_minutes=interval(waits), staff=staff, cost_per_answered=interval(cost),
        routing_share_in=float(np.median(shares_in)), routing_share_out=float(calibration.routing.share_out),
        calibration=calibration,
    )
