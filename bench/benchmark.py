"""Benchmark: ingest and validation of N CAD rows, against DuckDB's own read_csv as the yardstick.

    python bench/benchmark.py [--rows 1000000] [--workdir bench/out]

Generates a synthetic CAD export in the sample city's layout, then times, on the
same file and in the same run: DuckDB's read_csv into a table (the yardstick),
the pipeline's ingest (hash, read through the profile, map, store raw rows with
lineage), its validation (typing, DST resolution, row-level checks, accepted
rows, canonical incidents and assignments), the pandera contract check on
the canonical tables, then the marts and metric_values over those incidents
(no HEART log in the synthetic input, so HEART-side tables are empty). Prints seconds, rows/s, the ratio to the yardstick and
the process's peak memory. Figures go in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import platform
import resource
import shutil
import sys
import time
from pathlib import Path

import duckdb

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from pipeline import validate, warehouse  # noqa: E402
from pipeline.validate import contract_checks  # noqa: E402
from pipeline.ingest import ingest_inbox  # noqa: E402
from pipeline.marts import build_marts  # noqa: E402
from pipeline.metrics import build_metric_values  # noqa: E402
from pipeline.ingest.profiles import load_profiles  # noqa: E402
from pipeline.program import load_program  # noqa: E402
from pipeline.settings import DEFAULT_PROFILES, DEFAULT_PROGRAM  # noqa: E402


def peak_memory_mb() -> float:
    # ru_maxrss is in KiB on Linux: the peak resident set of this process so far.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def generate(path: Path, rows: int) -> None:
    sql = (Path(__file__).parent / "generate_cad.sql").read_text()
    con = duckdb.connect()
    try:
        con.sql(sql, params={"rows": rows}).write_csv(str(path), header=True)
    finally:
        con.close()


def timed(label: str, rows: int, fn, results: list) -> float:
    start = time.perf_counter()
    fn()
    seconds = time.perf_counter() - start
    results.append((label, seconds, rows / seconds if seconds else 0.0, peak_memory_mb()))
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--workdir", type=Path, default=REPO / "bench" / "out")
    args = parser.parse_args()

    inbox = args.workdir / "inbox"
    shutil.rmtree(args.workdir, ignore_errors=True)
    inbox.mkdir(parents=True)
    csv_path = inbox / "durham_cad_2023-12-31.csv"
    print(f"generating {args.rows:,} CAD rows ...", flush=True)
    generate(csv_path, args.rows)
    size_mb = csv_path.stat().st_size / 1e6
    profiles = [p for p in load_profiles(DEFAULT_PROFILES) if p.name == "durham_cad"]
    results: list[tuple[str, float, float, float]] = []

    with warehouse.connect(args.workdir / "yardstick.duckdb") as con:
        sql = (Path(__file__).parent / "yardstick.sql").read_text()
        yardstick = timed("duckdb read_csv (yardstick)", args.rows,
                          lambda: con.execute(sql, {"path": str(csv_path)}), results)

    with warehouse.connect(args.workdir / "bench.duckdb") as con:
        ingest_s = timed("ingest (hash, read, map, store)", args.rows,
                         lambda: ingest_inbox(con, inbox, profiles, "America/New_York"), results)
        validate_s = timed("validation (type, check, canonical)", args.rows,
                           lambda: validate.build_cad(con), results)
        timed("pandera contract check (ibis, in DuckDB)", args.rows,
              lambda: [contract_checks.contract_failures(con, t) for t in ("staging.cad_incidents",
                                                                    "staging.cad_unit_assignments")], results)
        validate.build_heart(con)
        validate.build_heart_responses(con)
        program = load_program(DEFAULT_PROGRAM)
        timed("marts (program config + 7 marts)", args.rows, lambda: build_marts(con, program), results)
        timed("metric_values (every metric, every period)", args.rows,
              lambda: build_metric_values(con, program.fiscal_year_start_month), results)
        quarantined = con.execute("SELECT count(DISTINCT source_row) FROM quarantine.cad_failures").fetchall()[0][0]
        accepted = con.execute("SELECT count(*) FROM staging.cad_rows").fetchall()[0][0]

    print()
    print(f"machine: {platform.machine()}, {platform.system()} {platform.release()}, "
          f"python {platform.python_version()}, duckdb {duckdb.__version__}, cores {len(__import__('os').sched_getaffinity(0))}")
    print(f"input: {args.rows:,} rows, {size_mb:.0f} MB CSV; accepted {accepted:,}, quarantined {quarantined:,}")
    print(f"{'stage':<44} {'seconds':>8} {'rows/s':>12} {'peak MB':>8}")
    for label, seconds, rate, peak in results:
        print(f"{label:<44} {seconds:>8.2f} {rate:>12,.0f} {peak:>8.0f}")
    ratio = (ingest_s + validate_s) / yardstick
    print(f"ingest + validation vs yardstick: {ratio:.2f}x  (aim: within 2x)")
    print(f"peak memory of the whole run: {peak_memory_mb():.0f} MB  (aim: under 3 GB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
