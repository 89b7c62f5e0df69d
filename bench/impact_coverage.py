"""Coverage of the impact estimator's 95% intervals over many synthetic cities (a check, not a test).

    .venv/bin/python bench/impact_coverage.py --seeds 40               # both designs, arrests and police-handled calls
    .venv/bin/python bench/impact_coverage.py --seeds 20 --design staggered_beats --tau 0

Each seed draws a city from tests/impact_panels.py (40 beats, 12 served from week 78, the rest from
week 146, 180 weeks; Poisson calls with beat and week effects and a common trend; the arrest rate per
police-handled call cut by --tau in served cells; HEART answering 20% of impact calls in served cells),
estimates it as the pipeline does, and counts: how often the 95% interval covers the truth (tau for
arrests, -heart share for police-handled calls), how often the placebo's covers 0, and how often the
pre-trend test rejects at 5%. Prints one line per design x outcome. docs/impact.md reports the figures.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from impact_panels import beat_week, hour_week, write_marts  # noqa: E402

from pipeline.impact import estimate  # noqa: E402
from pipeline.impact.panel import (DESIGNS, OUTCOMES, PLACEBO_SHIFT_WEEKS, NotEstimable, load_panel,  # noqa: E402
                                   placebo_end, prepare)

HEART_SHARE = 0.2


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, default=20)
    parser.add_argument("--first-seed", type=int, default=1000)
    parser.add_argument("--tau", type=float, default=-0.30)
    parser.add_argument("--design", choices=[d.name for d in DESIGNS], action="append")
    args = parser.parse_args()
    designs = [d for d in DESIGNS if not args.design or d.name in args.design]
    outcomes = [o for o in OUTCOMES if o.name in ("arrests", "police_handled_calls")]
    truth = {"arrests": args.tau, "police_handled_calls": -HEART_SHARE}
    tally = {(d.name, o.name): [0, 0, 0, 0, 0, 0.0] for d in designs for o in outcomes}
    started = time.perf_counter()
    for seed in range(args.first_seed, args.first_seed + args.seeds):
        con = duckdb.connect()
        write_marts(con, beat_week(seed=seed, tau=args.tau, heart_share=HEART_SHARE),
                    hour_week(seed=seed, tau=args.tau) if any(d.name == "served_hours" for d in designs) else None)
        for design in designs:
            panel = load_panel(con, design)
            for outcome in outcomes:
                t = tally[(design.name, outcome.name)]
                try:
                    sample = prepare(panel, outcome, design)
                    fit = estimate.effect(sample, design)
                    study = estimate.event_study(sample, design)
                    fake = estimate.effect(prepare(panel, outcome, design, shift_weeks=PLACEBO_SHIFT_WEEKS,
                                                   end=placebo_end(panel)), design)
                except NotEstimable as exc:
                    print(f"seed {seed} {design.name} {outcome.name}: not estimable: {exc}")
                    continue
                t[0] += 1
                t[1] += fit.ci_low <= truth[outcome.name] <= fit.ci_high
                t[2] += fake.ci_low <= 0 <= fake.ci_high
                t[3] += study.pretrend_p is not None and study.pretrend_p < 0.05
                t[4] += fit.ci_low <= 0 <= fit.ci_high
                t[5] += fit.relative
        con.close()
    print(f"{args.seeds} seeds, tau {args.tau}, {time.perf_counter() - started:.0f} s")
    for (design, outcome), (n, cover, placebo, pre, zero, total) in tally.items():
        if n:
            print(f"{design:16} {outcome:22} n={n:3}  mean estimate {total / n:+.3f} (truth {truth[outcome]:+.2f})  "
                  f"covers truth {cover / n:.0%}  covers 0 {zero / n:.0%}  placebo covers 0 {placebo / n:.0%}  "
                  f"pre-trend rejects {pre / n:.0%}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
