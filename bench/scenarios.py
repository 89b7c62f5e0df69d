"""Benchmark: the expansion scenarios' replay — a year of eligible calls x the shipped scenarios x 20 seeds.

    python bench/scenarios.py [--repeats 3] [--seeds 20] [--workdir bench/out] [--write-doc]

The replay needs a HEART log (busy times, routing share), so it runs on the sample city, not on the
CAD-only DECC fixture of bench/benchmark.py:

1. Set-up: `heart run` on data_samples/ into WORKDIR/scenarios
   (once; reused while its warehouse exists).
2. `heart scenarios --seeds N --no-backtests --warehouse W` timed `--repeats` times: every shipped
   scenario file (scenarios/*.toml), each replayed N times on the last year of eligible calls. Then
   the same with the back-tests (calibrate before the expansion, replay after it; in-sample per year).

Each command is a child process: wall, CPU (user + sys) and peak memory from os.wait4, medians
printed and, with --write-doc, written into the scenario block of docs/benchmarks.md. The wall
time includes the command's start-up (Python, imports, opening the warehouse). Nothing is asserted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import statistics
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))

from benchmark import DOC, heart_exe, machine, measure  # noqa: E402  (bench/benchmark.py)

BEGIN, END = "<!-- bench-scenarios:begin -->", "<!-- bench-scenarios:end -->"


def build(workdir: Path) -> Path:
    """A warehouse of the sample city (built once), and the heart run's measure when it was built now."""
    state = workdir / "scenarios"
    db = state / "warehouse" / "heart.duckdb"
    if not db.is_file():
        cmd = [heart_exe(), "run", "--inbox", str(REPO / "data_samples"), "--warehouse", str(db),
               "--reports", str(state / "reports")]
        m = measure(cmd, state / "build.log")
        if m.rc != 0:
            raise SystemExit(f"heart run on data_samples failed (exit {m.rc}); see {m.log}")
    return db


def window(log: Path) -> str:
    match = re.search(r"^Eligible calls received (\S+) to (\S+), replayed", Path(log).read_text(), re.M)
    return f"{match.group(1)} to {match.group(2)}" if match else "?"


def run(repeats: int, seeds: int, workdir: Path) -> dict:
    workdir = Path(workdir).resolve()
    db = build(workdir)
    scenarios = sorted(p.name for p in (REPO / "scenarios").glob("*.toml"))
    base = [heart_exe(), "scenarios", "--seeds", str(seeds), "--warehouse", str(db)]
    runs: dict[str, list] = {"projections": [], "projections + back-tests": []}
    load_before = [round(x, 2) for x in os.getloadavg()]
    for r in range(repeats):
        for name, extra in (("projections", ["--no-backtests"]), ("projections + back-tests", [])):
            m = measure(base + extra, workdir / "scenarios" / f"{name.replace(' ', '')}-{r}.log")
            if m.rc != 0:
                raise SystemExit(f"`{' '.join(base + extra)}` failed (exit {m.rc}); see {m.log}")
            print(f"  {name:26s} run {r + 1}: {m.wall_s:6.1f} s wall, {m.cpu_s:6.1f} s CPU, {m.peak_mb:,.0f} MiB",
                  flush=True)
            runs[name].append(m)
    med = {k: {f: round(statistics.median(getattr(m, f) for m in v), 2) for f in ("wall_s", "cpu_s", "peak_mb")}
           for k, v in runs.items()}
    return {"date": dt.datetime.now().astimezone().isoformat(timespec="seconds"), "machine": machine(),
            "scenarios": scenarios, "seeds": seeds, "repeats": repeats, "window": window(runs["projections"][0].log),
            "medians": med, "load_before": load_before, "load_after": [round(x, 2) for x in os.getloadavg()]}


def markdown(result: dict) -> str:
    m = result["machine"]
    lines = [f"Measured {result['date']} on {m.get('cores', '?')} cores (load {result['load_before']} before, "
             f"{result['load_after']} after): `heart scenarios --seeds {result['seeds']}` on the sample city's "
             f"warehouse, eligible calls received {result['window']}, scenarios {', '.join(result['scenarios'])}; "
             f"median of {result['repeats']}, each a fresh process (start-up included).", "",
             "| command | wall (median) | CPU | peak memory |", "|---|---:|---:|---:|"]
    for name, v in result["medians"].items():
        lines.append(f"| {name} | {v['wall_s']:.1f} s | {v['cpu_s']:.1f} s | {v['peak_mb']:,.0f} MiB |")
    return "\n".join(lines)


def write_doc(result: dict, doc: Path = DOC) -> None:
    text = doc.read_text(encoding="utf-8")
    start, end = text.find(BEGIN), text.find(END)
    block = BEGIN + "\n" + markdown(result) + "\n" + END
    if start == -1 or end < start:
        text = text.rstrip("\n") + "\n\n## Expansion scenarios (bench/scenarios.py)\n\n" + block + "\n"
    else:
        text = text[:start] + block + text[end + len(END):]
    doc.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--seeds", type=int, default=20)
    parser.add_argument("--workdir", type=Path, default=BENCH / "out")
    parser.add_argument("--write-doc", action="store_true", help=f"write the {BEGIN} block of docs/benchmarks.md")
    args = parser.parse_args(argv)
    result = run(args.repeats, args.seeds, args.workdir)
    print()
    print(markdown(result))
    if args.write_doc:
        write_doc(result)
        print(f"\nwritten: {DOC}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
