"""Back-tests: does the replay reproduce what happened?

(a) In-sample: the "as configured" scenario (the program file's dated entries), calibrated on
    each configuration period's own data, replayed over all the data; the share of eligible calls
    answered per fiscal year against the observed share (tolerance 3 points).
(b) Out-of-sample: calibrated only on the six months before a configuration change (the routing
    share a planner would carry forward: the latest one observed before it), the configuration
    after the change predicts the share answered after it (tolerance 5 points, and the observed
    share should fall inside the interval). The change tested is the latest one with at least 90
    days of data on each side (on the sample city: the citywide expansion of 2023-10-23).
(c) Diagnostic, not a prediction: the same replay calibrated on the data after the change. The
    gap between (b) and (c) is what the routing share's change after the expansion explains; what
    is left is the error of the coverage and capacity mechanics.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import duckdb
import numpy as np

from pipeline.scenarios.calibrate import Calibration, calibrate, service_pools
from pipeline.scenarios.config import Scenario
from pipeline.scenarios.engine import replay
from pipeline.scenarios.project import SEEDS, Interval, interval, seeded_routing
from pipeline.scenarios.stream import Stream, load_stream

IN_SAMPLE_TOLERANCE = 3.0      # percentage points
OUT_OF_SAMPLE_TOLERANCE = 5.0
CALIBRATION_DAYS = 183         # six months before the change
MIN_SIDE_DAYS = 90


@dataclass(frozen=True)
class BackTest:
    kind: str                     # in_sample | out_of_sample | diagnostic
    label: str                    # e.g. FY2022-23, or after 2023-10-23
    start: date
    end: date                     # exclusive
    calls: int
    observed_share: float
    predicted: Interval
    tolerance_points: float | None
    routing_share: float          # routing share in coverage used (median over seeds, calls weighted)
    calibration_start: date
    calibration_end: date         # exclusive
    runs: tuple[float, ...] = ()  # each seed's replayed share, which `predicted` summarises


    @property
    def error_points(self) -> float:
        return (self.predicted.value - self.observed_share) * 100.0

    @property
    def within_tolerance(self) -> bool | None:
        return None if self.tolerance_points is None else bool(abs(self.error_points) <= self.tolerance_points)

    @property
    def inside_interval(self) -> bool:
        return bool(self.predicted.low <= self.observed_share <= self.predicted.high)


def fiscal_year_start(day: date, first_month: int) -> date:
    return date(day.year if day.month >= first_month else day.year - 1, first_month, 1)


def fiscal_label(start: date) -> str:
    return f"FY{start.year}" if start.month == 1 else f"FY{start.year}-{(start.year + 1) % 100:02d}"


def _calibrated(con, scenario: Scenario, start: date, end: date) -> tuple[Stream, Calibration]:
    stream = load_stream(con, start, end)
    return stream, calibrate(stream, scenario, service_pools(con, start, end), start, end)


def _windows(scenario: Scenario, first: date, last: date) -> list[tuple[date, date]]:
    """The configuration periods, clipped to the data: [start, end) local dates."""
    starts = [max(p.effective, first) for p in scenario.periods if p.effective is not None and p.effective <= last]
    starts = sorted(set(starts)) or [first]
    if starts[0] > first:
        starts.insert(0, first)
    ends = starts[1:] + [last + timedelta(days=1)]
    return list(zip(starts, ends))


def in_sample(con: duckdb.DuckDBPyConnection, scenario: Scenario, first: date, last: date, fy_month: int,
              seeds: int = SEEDS) -> list[BackTest]:
    """Per fiscal year: observed vs replayed share answered, each period calibrated on itself."""
    parts = [_calibrated(con, scenario, s, e) for s, e in _windows(scenario, first, last)]
    days = np.concatenate([p[0].day for p in parts])
    observed = np.concatenate([p[0].answered for p in parts])
    fy = np.array([fiscal_year_start(d, fy_month) for d in days.astype(object)]) if len(days) else np.array([])
    routed_share = np.concatenate([np.full(len(s), float(np.mean(c.routing.share_in))) for s, c in parts])
    runs = []
    for seed in range(seeds):
        runs.append(np.concatenate([replay(s, scenario, seeded_routing(c, scenario, seed), seed).answered
                                    for s, c in parts]))
    tests = []
    for year in sorted(set(fy.tolist())):
        mine = fy == year
        end = date(year.year + 1, year.month, 1)
        shares = [float(r[mine].mean()) for r in runs]
        tests.append(BackTest(
            kind="in_sample", label=fiscal_label(year), start=max(year, first), end=min(end, last + timedelta(days=1)),
            calls=int(mine.sum()), observed_share=float(observed[mine].mean()),
            predicted=interval(shares, upper=1.0), tolerance_points=IN_SAMPLE_TOLERANCE,
            # Each configuration period is calibrated on its own data: the whole span, period by period.
            routing_share=float(routed_share[mine].mean()), calibration_start=first,
            calibration_end=last + timedelta(days=1), runs=tuple(shares)))
    return tests


def change_tested(scenario: Scenario, first: date, last: date) -> date | None:
    """The latest configuration change with at least MIN_SIDE_DAYS of data before and after it."""
    changes = [p.effective for p in scenario.periods[1:] if p.effective is not None
               and (p.effective - first).days >= MIN_SIDE_DAYS and (last - p.effective).days + 1 >= MIN_SIDE_DAYS]
    return max(changes) if changes else None


def out_of_sample(con: duckdb.DuckDBPyConnection, scenario: Scenario, first: date, last: date,
                  seeds: int = SEEDS) -> list[BackTest]:
    """Predict the share answered after the change from data before it; and the diagnostic replay."""
    change = change_tested(scenario, first, last)
    if change is None:
        return []
    end = last + timedelta(days=1)
    cal_start = max(first, change - timedelta(days=CALIBRATION_DAYS))
    _, before = _calibrated(con, scenario, cal_start, change)
    after_stream, after = _calibrated(con, scenario, change, end)
    tests = []
    for kind, calibration, tolerance in (("out_of_sample", before, OUT_OF_SAMPLE_TOLERANCE),
                                         ("diagnostic", after, None)):
        routings = [seeded_routing(calibration, scenario, seed) for seed in range(seeds)]
        shares = [float(replay(after_stream, scenario, r, seed).answered.mean()) for seed, r in enumerate(routings)]
        tests.append(BackTest(
            kind=kind, label=f"after {change.isoformat()}", start=change, end=end, calls=len(after_stream),
            observed_share=float(after_stream.answered.mean()) if len(after_stream) else float("nan"),
            predicted=interval(shares, upper=1.0), tolerance_points=tolerance,
            routing_share=float(np.median([float(np.mean(r.share_in)) for r in routings])),
            calibration_start=calibration.start, calibration_end=calibration.end, runs=tuple(shares)))
    return tests
