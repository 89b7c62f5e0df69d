"""Command line: python -m pipeline.samples --out data_samples [--seed N] [--start D] [--end D] [--scale X]
[--history-start D | --no-history] [--arrest-effect TAU]."""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date
from pathlib import Path

from pipeline.samples.effect import DEFAULT_ARREST_EFFECT
from pipeline.samples.generate import DEFAULT_CONFIG, DEFAULT_END, DEFAULT_SEED, DEFAULT_START, generate
from pipeline.samples.history import DEFAULT_HISTORY_START


def _monday(text: str) -> date:
    day = date.fromisoformat(text)
    if day.weekday() != 0:
        raise argparse.ArgumentTypeError(f"{text} is not a Monday")
    return day


def _effect(text: str) -> float:
    try:
        tau = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text} is not a number") from None
    if not -1.0 <= tau <= 0.0:
        raise argparse.ArgumentTypeError(f"{text}: the arrest effect is a share removed, between -1 and 0")
    return tau


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
    history = parser.add_mutually_exclusive_group()
    history.add_argument("--history-start", type=_monday, default=DEFAULT_HISTORY_START,
                         help=f"Monday of the first pre-launch CAD week (default {DEFAULT_HISTORY_START}); "
                              "history is written only when --start is the launch week")
    history.add_argument("--no-history", action="store_true", help="no pre-launch CAD history")
    parser.add_argument("--arrest-effect", type=_effect, default=DEFAULT_ARREST_EFFECT, metavar="TAU",
                        help="true effect on arrests of police-handled impact-type calls in served cells: "
                             f"ARR kept with probability 1+TAU (default {DEFAULT_ARREST_EFFECT}; 0 = none)")
    args = parser.parse_args(argv)

    began = time.perf_counter()
    paths = generate(args.out, seed=args.seed, start=args.start, end=args.end, scale=args.scale, config_path=args.config,
                     history_start=None if args.no_history else args.history_start, arrest_effect=args.arrest_effect)
    size = sum(p.stat().st_size for p in paths)
    print(f"wrote {len(paths)} files to {args.out} ({size / 1e6:.1f} MB) in {time.perf_counter() - began:.1f} s")
    if paths.history_note:
        print(paths.history_note)
    else:
        dropped = f"; {paths.history_dropped} calls dropped to keep incident numbers unique" if paths.history_dropped else ""
        print(f"pre-launch history: {paths.history_weeks} weekly CAD exports from {args.history_start}{dropped}")
    for line in paths.truth.lines():
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
