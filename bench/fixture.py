"""Scale fixture in a real export layout: decc_va's weekly CAD files, resampled to N rows.

Copied from the shared benchmark script `/work/shared/bench/fixture.py` (issue 13), so that the
figures in docs/benchmarks.md are measured on the same files as the issue's: for the same source
files, rows, weeks and seed the output is byte for byte what that script writes (the 2M-row
fixture at /work/benchdata/f2m is its default-seed output). Changes from the shared script, none of
which alters its output on the real exports:

- `build()` is callable from the benchmark and its test, and takes the source files as an argument;
  `source_files()` picks them: the real DECC weekly exports at `../shared/realdata/decc_va/week*.csv`
  (relative to the repository) when present, else the two excerpts committed under
  `tests/fixtures/realdata/decc_va/` (week40.csv, week45.csv).
- The common header is the first file's columns that every file has (once each). On the real
  exports that is the first file's header unchanged (week35.csv: its 50 columns are in every week;
  week40.csv's 8 extra columns are in no other); the excerpts start with week40.csv, whose extra
  columns week45.csv lacks, which the shared script's `h.index` could not align.

Rows are drawn with replacement from the source, given fresh incident numbers, and moved by whole
weeks so the time-of-day and weekday pattern stays real. Files are written one per week in the
exact decc layout (decc_week01.csv ...), so the project's own decc profile reads them unchanged.

usage: python bench/fixture.py ROWS OUT_DIR [--weeks W] [--seed S] [--source DIR]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
import re
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
REAL = REPO.parent / "shared" / "realdata" / "decc_va"
EXCERPTS = REPO / "tests" / "fixtures" / "realdata" / "decc_va"
FMT = "%Y-%m-%d %H:%M:%S.%f"


def source_files(real: Path = REAL) -> tuple[list[Path], str]:
    """The source exports and a one-line description of them: the real weekly files, else the excerpts."""
    found = sorted(p for p in real.glob("week[0-9]*.csv"))
    if found:
        return found, f"real DECC weekly exports, {len(found)} files ({real})"
    found = [EXCERPTS / "week40.csv", EXCERPTS / "week45.csv"]
    return found, f"committed excerpts tests/fixtures/realdata/decc_va/week40.csv, week45.csv ({len(found)} files)"


def _read(src: list[Path]) -> tuple[list[str], list[list[str]]]:
    headers, bodies = [], []
    for p in src:
        with open(p, newline="") as f:
            r = csv.reader(f)
            headers.append(next(r))
            bodies.append(list(r))
    header = []
    for name in headers[0]:
        if name not in header and all(name in h for h in headers):
            header.append(name)
    rows = []
    for h, body in zip(headers, bodies):  # align every row on the common header
        pos = [h.index(name) for name in header]
        rows.extend([row[i] for i in pos] for row in body)
    return header, rows


def build(rows_wanted: int, out: Path, weeks: int = 52, seed: int = 7, src: list[Path] | None = None) -> int:
    """Write `weeks` files (decc_week01.csv ...) holding `rows_wanted` rows in all under `out`; returns the rows written."""
    if not 1 <= weeks <= 99:
        raise ValueError("weeks: 1 to 99 (two-digit file names)")
    rng = random.Random(seed)
    header, rows = _read(src if src is not None else source_files()[0])
    stamp = re.compile(r"^\d{4}-\d\d-\d\d \d\d:")
    time_cols = [i for i in range(len(header)) if any(stamp.match(r[i]) for r in rows[:2000])]
    week_col = header.index("WeekNo")
    id_col = header.index("Master_Incident_Number")
    start_col = header.index("Incident_Start_Time")
    day_col = header.index("Day")
    out.mkdir(parents=True, exist_ok=True)
    per_week = rows_wanted // weeks
    base = dt.datetime(2024, 1, 1)  # a Monday
    n = 0
    for w in range(weeks):
        k = per_week + (1 if w < rows_wanted - per_week * weeks else 0)
        path = out / f"decc_week{w + 1:02d}.csv"  # a name the decc profile matches
        with open(path, "w", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(header)
            for _ in range(k):
                r = list(rng.choice(rows))
                t0 = dt.datetime.strptime(r[start_col], FMT)
                monday = (t0 - dt.timedelta(days=t0.weekday())).replace(hour=0, minute=0, second=0, microsecond=0)
                shift = base + dt.timedelta(weeks=w) - monday
                for i in time_cols:
                    if r[i] not in ("NULL", ""):
                        r[i] = (dt.datetime.strptime(r[i], FMT) + shift).strftime(FMT)[:-3]
                r[week_col] = str((base + dt.timedelta(weeks=w)).isocalendar()[1])
                r[day_col] = str(int(r[start_col][8:10]))
                n += 1
                r[id_col] = f"P{n:09d}"
                writer.writerow(r)
    return n


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("rows", type=int)
    ap.add_argument("out", type=Path)
    ap.add_argument("--weeks", type=int, default=52)  # at most 99 (two-digit file names)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--source", type=Path, default=REAL, help="folder of week*.csv exports (default: the real ones)")
    a = ap.parse_args()
    src, label = source_files(a.source)
    print(f"source: {label}")
    n = build(a.rows, a.out, a.weeks, a.seed, src)
    print(f"{n} rows in {a.weeks} files under {a.out}")


if __name__ == "__main__":
    main()
