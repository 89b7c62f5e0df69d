"""Calibration: the routing shares, the field shares and the service times, from observed data only.

For a calibration window (local dates [start, end)):

* Service times: every observed busy time of a crisis-response unit on an eligible call in the
  window (sql/scenarios/busy_times.sql), pooled by unit and call type; the replay draws from the
  pool at random (empirical distribution, no fitted curve).
* Field share: of the calls in coverage HEART answered, the share a field unit (CR or COR)
  answered, by call type; COR share: of those, the share Co-Response answered. (A field call
  handed to CCD because every team was busy counts as phone here; with so few such calls the
  bias is small, and it is stated.)
* Routing share in coverage: not every eligible call in coverage reaches HEART — the 911 center
  triages, and `not_routed` is the largest unmet reason in coverage. It is the share of calls
  in coverage that must be routed for the replay to reproduce the share answered observed in the
  window: start from the observed share answered in coverage, replay the window under the
  configuration in force, and divide by the share of routed calls the replay could staff
  (p <- observed / (1 - loss)); three rounds converge, since capacity losses move little with p.
  The out-of-area share (calls in hours outside the area that only the 911-center clinicians
  take by phone) is found the same way. Both are stated as assumptions beside every result.
* After-call time (the scenario's [after_call], an assumption: no export records it) lengthens every
  service time, so it moves the capacity losses and with them the routing share that reproduces the
  observed share answered. Each seed scales it by its own factor within the stated range, with the
  routing shares for that factor (SeedFit): a longer after-call time means more calls were lost to
  busy teams in the window, so more must have been routed. The shares are refit at the range's two
  ends and read off the line through those fits and the central one at the seed's factor: the share
  moves smoothly with the factor (on data_samples/ the interpolated shares are within 0.1 point of
  a refit per seed, about the replay's own noise), and three fits cost a tenth of twenty.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

import duckdb
import numpy as np

from pipeline.scenarios.config import Scenario
from pipeline.scenarios.engine import UNITS, Routing, replay
from pipeline.scenarios.stream import Stream
from pipeline.warehouse.sqlfiles import run_sql_file

ROUNDS = 3
CALIBRATION_SEED = 0
SEEDS = 20              # seeds per projection or back-test (project.py)


@dataclass(frozen=True)
class SeedFit:
    """One seed's after-call factor and the routing shares for it (interpolated between refits)."""
    after_call_scale: float
    share_in: float
    share_out: float


def after_call_scale(scenario: Scenario, seed: int) -> float:
    """The seed's factor on the after-call minutes: uniform within 1 +/- the scenario's range."""
    u = np.random.default_rng([seed, 17]).random()
    return 1.0 + scenario.after_call_range * (2.0 * u - 1.0)


def scaled_after_call(scenario: Scenario, scale: float) -> dict[str, float]:
    return {unit: minutes * scale for unit, minutes in scenario.after_call.items()}


@dataclass(frozen=True)
class Calibration:
    start: date
    end: date                       # exclusive
    routing: Routing
    calls_in_coverage: int
    answered_in_coverage: int
    calls_out_of_area: int          # in hours, outside the area
    answered_out_of_area: int
    loss_in: float                  # share of routed calls in coverage the replay found no team for
    busy_times: int                 # observed busy times behind the service-time pools
    seed_fits: tuple[SeedFit, ...] = ()   # per seed, when the after-call time has a range; else the central fit

    @property
    def observed_rate_in(self) -> float:
        return self.answered_in_coverage / self.calls_in_coverage if self.calls_in_coverage else 0.0


def service_pools(con: duckdb.DuckDBPyConnection, start: date, end: date) -> dict[tuple[str, str], np.ndarray]:
    """Observed busy minutes by (unit, call type), and by (unit, "") over all call types."""
    rows = run_sql_file(con, "scenarios/busy_times.sql", {"start": start, "end": end}).fetchnumpy()
    units = np.asarray(rows["unit"], dtype=object).astype(str)
    types = np.asarray(rows["call_type"], dtype=object).astype(str)
    minutes = np.asarray(rows["busy_minutes"], dtype=float)
    pools: dict[tuple[str, str], np.ndarray] = {("ALL", ""): np.sort(minutes)}
    for unit in UNITS:
        mine = units == unit
        pools[(unit, "")] = np.sort(minutes[mine])
        for ct in np.unique(types[mine]):
            pools[(unit, ct)] = np.sort(minutes[mine & (types == ct)])
    return pools


def _field_shares(stream: Stream) -> tuple[dict[str, float], dict[str, float]]:
    answered = stream.answered & stream.in_area & stream.in_hours
    field = stream.by_unit["CR"] | stream.by_unit["COR"]
    field_share, cor_share = {}, {}
    for ct in np.unique(stream.call_type):
        mine = answered & (stream.call_type == ct)
        if mine.sum():
            field_share[ct] = float((mine & field).sum() / mine.sum())
        in_field = mine & field
        if in_field.sum():
            cor_share[ct] = float((in_field & stream.by_unit["COR"]).sum() / in_field.sum())
    return field_share, cor_share


def calibrate(stream: Stream, scenario: Scenario, pools: dict[tuple[str, str], np.ndarray],
              start: date, end: date) -> Calibration:
    """Fit the routing shares so that the replay of `stream` (the window) under `scenario` (the
    configuration in force then, resolved) answers the share of calls observed answered."""
    cover = stream.in_area & stream.in_hours
    outside = stream.in_hours & ~stream.in_area
    n_in, k_in = int(cover.sum()), int((cover & stream.answered).sum())
    n_out, k_out = int(outside.sum()), int((outside & stream.answered).sum())
    rate_in = k_in / n_in if n_in else 0.0
    rate_out = k_out / n_out if n_out else 0.0
    field_share, cor_share = _field_shares(stream)
    routing = Routing(share_in=rate_in, share_out=rate_out, field_share=field_share, cor_share=cor_share,
                      service=pools, after_call=scaled_after_call(scenario, 1.0))
    routing, loss_in = _refit(stream, scenario, routing, cover, outside, rate_in, rate_out, ROUNDS)
    fits = []
    if scenario.after_call and scenario.after_call_range > 0:
        anchors = {1.0: routing}
        for scale in (1.0 - scenario.after_call_range, 1.0 + scenario.after_call_range):
            anchors[scale], _ = _refit(stream, scenario,
                                       replace(routing, after_call=scaled_after_call(scenario, scale)),
                                       cover, outside, rate_in, rate_out, ROUNDS)
        scales = sorted(anchors)
        shares_in = [float(anchors[x].share_in) for x in scales]
        shares_out = [float(anchors[x].share_out) for x in scales]
        for seed in range(SEEDS):
            scale = after_call_scale(scenario, seed)
            fits.append(SeedFit(scale, float(np.interp(scale, scales, shares_in)),
                                float(np.interp(scale, scales, shares_out))))
    return Calibration(start, end, routing, n_in, k_in, n_out, k_out, loss_in, len(pools.get(("ALL", ""), ())),
                       tuple(fits))


def _refit(stream, scenario, routing, cover, outside, rate_in, rate_out, rounds) -> tuple[Routing, float]:
    """p <- observed / (1 - loss), `rounds` times: the shares that reproduce the observed shares answered."""
    loss_in = 0.0
    for _ in range(rounds):
        result = replay(stream, scenario, routing, CALIBRATION_SEED)
        loss_in = _loss(result.answered, result.routed, cover)
        loss_out = _loss(result.answered, result.routed, outside)
        routing = replay_share(routing, rate_in / (1 - loss_in) if loss_in < 1 else 1.0,
                               rate_out / (1 - loss_out) if loss_out < 1 else 1.0)
    return routing, loss_in


def for_seed(calibration: Calibration, scenario: Scenario, seed: int) -> Routing:
    """The calibrated routing for one seed: `scenario`'s after-call minutes scaled by the seed's factor, and
    the routing shares fitted for that factor when the calibration has them (else the central fit)."""
    fit = calibration.seed_fits[seed] if seed < len(calibration.seed_fits) else None
    scale = fit.after_call_scale if fit else after_call_scale(scenario, seed)
    routing = replace(calibration.routing, after_call=scaled_after_call(scenario, scale))
    return replay_share(routing, fit.share_in, fit.share_out) if fit else routing


def _loss(answered: np.ndarray, routed: np.ndarray, where: np.ndarray) -> float:
    """Of the calls in `where` the replay routed to HEART, the share no team took."""
    routed = where & routed
    return float((routed & ~answered).sum() / routed.sum()) if routed.sum() else 0.0


def replay_share(routing: Routing, share_in, share_out: float) -> Routing:
    return replace(routing, share_in=np.minimum(share_in, 1.0), share_out=min(share_out, 1.0))
