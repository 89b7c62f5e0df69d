"""Command line: python -m pipeline.samples --out data_samples [--seed N] [--start D] [--end D] [--scale X]."""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date
from pathlib import Path

from pipeline.samples.generate import DEFAULT_CONFIG, DEFAULT_END, DEFAULT_SEED, DEFAULT_START, generate


def _monday(text: str) -> date:
    day = date.fromisoformat(text)
    if day.weekday() != 0:
        raise argparse.ArgumentTypeError(f"{text} is not a Monday")
    return day


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m pipeline.samples",
        description="Write seeded sample CAD exports and HEART logs for a Durham-like city.",
    )
    parser.add_argument("--out", type=Path, required=True, help="output directory (e.g. data_samples)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})")
    parser.add_argument("--start", type=_monday, default=DEFAULT_START, help="Monday of the first week")
    parser.add_argument("--end", type=_monday, default=DEFAULT_END, help="Monday of the last week")
    parser.add_argument("--scale", type=float, default=1.0, help="call volume multiplier (default 1.0)")
    parser.add_argument("--config", type=Path, default=DEFAULT_CONFIG, help="program configuration (TOML)")
    args = parser.parse_args(argv)

    began = time.perf_counter()
    paths = generate(args.out, seed=args.seed, start=args.start, end=args.end, scale=args.scale, config_path=args.config)
    size = sum(p.stat().st_size for p in paths)
    print(f"wrote {len(paths)} files to {args.out} ({size / 1e6:.1f} MB) in {time.perf_counter() - began:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
