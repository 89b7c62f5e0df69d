"""Coverage of the scenario back-test's interval over regenerated sample cities (a check, not a test).

    .venv/bin/python bench/scenario_coverage.py --seeds 31-42 [--workdir bench/out/scenario_coverage]

Each seed is a sample city written by the sample generator (`heart samples --seed N`: the same program,
another draw of every call, team and triage decision), loaded and built as `heart run` loads and builds
it (cached in the workdir by seed), then back-tested out of sample as the scenario asset does
(pipeline/scenarios/backtest.py: calibrated on the six months before the citywide expansion, the
expansion's configuration predicts the share answered after it, 20 seeds). One line per city: the
observed share, the model's median and 95% interval, and (observed - mean) / sd of the seeds' runs;
then how often the interval held the observed share and the spread of those z values. If the seeds'
spread is the right scale of the prediction's uncertainty, the z values have a spread near 1.
docs/scenarios.md reports the figures. About two minutes per city on two cores (most of it the build).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline import warehouse  # noqa: E402
from pipeline.build import build_marts_and_metrics, ingest_and_validate  # noqa: E402
from pipeline.program import load_program  # noqa: E402
from pipeline.samples import generate  # noqa: E402
from pipeline.scenarios import backtest  # noqa: E402
from pipeline.scenarios.config import SCENARIOS_DIR, load_scenarios  # noqa: E402
from pipeline.scenarios.stream import data_days, resolve  # noqa: E402
from pipeline.settings import DEFAULT_PROFILES, DEFAULT_PROGRAM  # noqa: E402


def seeds_arg(text: str) -> list[int]:
    first, _, last = text.partition("-")
    return list(range(int(first), int(last or first) + 1))


def city(seed: int, workdir: Path) -> Path:
    """The regenerated city's warehouse, built once per seed."""
    folder = workdir / f"city{seed}"
    path = folder / "heart.duckdb"
    if not path.exists():
        generate(folder / "inbox", seed=seed, config_path=DEFAULT_PROGRAM)
        partial = folder / "heart.partial.duckdb"
        partial.unlink(missing_ok=True)
        with warehouse.connect(partial) as con:
            program = load_program(DEFAULT_PROGRAM)
            ingest_and_validate(con, folder / "inbox", DEFAULT_PROFILES, program.timezone)
            build_marts_and_metrics(con, program)
        partial.rename(path)
    return path


def out_of_sample(path: Path) -> backtest.BackTest:
    """The out-of-sample back-test the scenario asset writes, with each seed's run."""
    with warehouse.connect(path) as con:
        scenarios = load_scenarios(SCENARIOS_DIR)
        as_configured = resolve(next(s for s in scenarios if s.from_program), con)
        first, last = data_days(con)
        return next(b for b in backtest.out_of_sample(con, as_configured, first, last) if b.kind == "out_of_sample")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=seeds_arg, default=seeds_arg("31-42"), help="e.g. 31-42")
    parser.add_argument("--workdir", type=Path, default=ROOT / "bench" / "out" / "scenario_coverage")
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    zs, held = [], 0
    for seed in args.seeds:
        test = out_of_sample(city(seed, args.workdir))
        observed, iv, a = test.observed_share, test.predicted, np.asarray(test.runs)
        z = (observed - a.mean()) / a.std(ddof=1)
        zs.append(z)
        held += iv.low <= observed <= iv.high
        print(json.dumps({"seed": seed, "observed": round(observed, 4), "median": round(iv.value, 4),
                          "low": round(iv.low, 4), "high": round(iv.high, 4), "z": round(z, 2)}), flush=True)
    z = np.asarray(zs)
    print(f"{held} of {len(zs)} intervals held the observed share; z mean {z.mean():+.2f}, sd {z.std(ddof=1):.2f}, "
          f"from {z.min():+.2f} to {z.max():+.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
