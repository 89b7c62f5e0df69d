"""Benchmark: `heart run` on a year of a real city's weekly CAD exports, against two peers, full and weekly.

    python bench/benchmark.py [--rows 2000000] [--weeks 52] [--repeats 3] [--workdir bench/out]
                              [--scale 500000,1000000] [--scale-repeats 1] [--fixture DIR] [--write-doc]

What it measures (docs/benchmarks.md says why, and holds the latest figures):

1. The fixture: bench/fixture.py resamples DECC's real weekly exports (../shared/realdata/decc_va,
   else the committed excerpts in tests/fixtures/realdata/decc_va) into `--weeks` files holding
   `--rows` rows, cached in the workdir by rows, weeks and seed (`--fixture DIR`: use a folder of
   such files as it is).
2. Full runs, the three commands alternated `--repeats` times, each into fresh output:
   `heart run` of the whole inbox into a new warehouse and reports folder (bench/decc_program.toml,
   the decc_va_cad profile alone); `python bench/peers.py bare-duckdb DIR`;
   `python bench/peers.py naive-pandas DIR`.
3. The weekly operation: a warehouse built from the first W-1 files, its whole state (inbox,
   working and published files, lock, reports) kept as a snapshot; per repeat the snapshot is
   restored, the last week's file added and `heart run` timed (incremental week), then `heart run`
   timed again with nothing new (no-change re-run).
4. `--scale`: full and weekly runs of `heart run` at other sizes (`--scale-repeats` each).

Every command is a child process; its wall time, CPU time (user + sys) and peak resident memory
come from `os.wait4` (ru_maxrss). Medians are printed, written to WORKDIR/results.json and, with
`--write-doc`, into the marked block of docs/benchmarks.md. Nothing is asserted about the figures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from importlib.metadata import version
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))

import fixture  # noqa: E402  (bench/fixture.py)

PROGRAM = BENCH / "decc_program.toml"
PROFILE = REPO / "profiles" / "decc_va_cad.toml"
PEERS = BENCH / "peers.py"
DOC = REPO / "docs" / "benchmarks.md"
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"
COMMANDS = ("heart run", "bare-duckdb", "naive-pandas")
WEEKLY = ("incremental", "no-change")


@dataclass
class Measure:
    wall_s: float
    cpu_s: float
    peak_mb: float  # MiB
    rc: int
    eligible: int | None  # eligible calls the command reported (a cross-check between the three)
    log: str


def measure(cmd: list[str], log: Path, env: dict | None = None) -> Measure:
    """Run one child to completion; wall clock around it, CPU and peak RSS from its own rusage."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "wb") as out:
        start = time.perf_counter()
        child = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, cwd=REPO, env=env)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
    child.returncode = rc = os.waitstatus_to_exitcode(status)  # reaped here: Popen must not wait again
    text = log.read_text(errors="replace")
    match = (re.search(r"^\s*Eligible calls\s+([\d,]+)", text, re.M)  # heart run's program-to-date line
             or re.search(r"^[\w-]+: (\d+) eligible calls", text, re.M))  # peers.py's last line
    return Measure(round(wall, 3), round(usage.ru_utime + usage.ru_stime, 3), round(usage.ru_maxrss / 1024, 1), rc,
                   int(match.group(1).replace(",", "")) if match else None, str(log))


@dataclass
class Fixture:
    dir: str
    rows: int
    files: int
    mb: float
    source: str
    last_week_rows: int


def _data_rows(path: Path) -> int:
    with open(path, "rb") as f:
        return sum(buf.count(b"\n") for buf in iter(lambda: f.read(1 << 20), b"")) - 1


def ensure_fixture(workdir: Path, rows: int, weeks: int, seed: int, given: Path | None = None,
                   real: Path = fixture.REAL) -> Fixture:
    """The fixture folder: `given` as it is, else built once into the workdir (keyed by rows, weeks, seed)
    from the real exports in `real` when there are any, else from the committed excerpts."""
    if given is not None:
        files = sorted(given.glob("*.csv"))
        counted = sum(_data_rows(p) for p in files)
        source = f"prebuilt folder {given} (not rebuilt; bench/fixture.py output assumed)"
        out = given
    else:
        out = workdir / f"fixture-{rows}r-{weeks}w-s{seed}"
        marker = out.with_name(out.name + ".json")  # beside the inbox, never in it (heart would try to read it)
        _, source = fixture.source_files(real)
        key = {"rows": rows, "weeks": weeks, "seed": seed, "source": source}
        if marker.is_file() and json.loads(marker.read_text()) == key and out.is_dir():
            print(f"fixture: cached {out}", flush=True)
        else:
            shutil.rmtree(out, ignore_errors=True)
            print(f"fixture: building {rows:,} rows in {weeks} weekly files from {source} ...", flush=True)
            # In a child: the source rows held in memory would otherwise stay in this process's resident
            # set, and a child's ru_maxrss starts from its parent's resident set at the fork.
            subprocess.run([sys.executable, str(BENCH / "fixture.py"), str(rows), str(out), "--weeks", str(weeks),
                            "--seed", str(seed), "--source", str(real)], check=True, stdout=subprocess.DEVNULL)
            marker.write_text(json.dumps(key))
        files = sorted(out.glob("*.csv"))
        counted = rows
    mb = sum(p.stat().st_size for p in files) / 1e6
    return Fixture(str(out), counted, len(files), round(mb, 1), source, _data_rows(files[-1]))


def heart_exe() -> str:
    beside = Path(sys.executable).parent / "heart"
    return str(beside) if beside.exists() else (shutil.which("heart") or "heart")


def heart_cmd(inbox: Path, state: Path, profiles: Path) -> list[str]:
    return [heart_exe(), "run", "--inbox", str(inbox), "--warehouse", str(state / "warehouse" / "heart.duckdb"),
            "--reports", str(state / "reports"), "--program", str(PROGRAM), "--profiles", str(profiles)]


def profiles_dir(workdir: Path) -> Path:
    """A folder holding only the decc profile, so no other city's profile matches the fixture's files."""
    out = workdir / "profiles"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    shutil.copy2(PROFILE, out / PROFILE.name)
    return out


def _link_or_copy(src: Path, dst: Path) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def full_runs(fx: Fixture, workdir: Path, profiles: Path, repeats: int, peers: bool, env: dict) -> dict:
    """The three commands alternated, `repeats` times; heart into a fresh warehouse and reports folder each time."""
    runs: dict[str, list[Measure]] = {name: [] for name in (COMMANDS if peers else COMMANDS[:1])}
    inbox = Path(fx.dir)
    logs = workdir / "logs" / f"{fx.rows}"
    for r in range(1, repeats + 1):
        state = workdir / "runs" / f"full-{fx.rows}"
        shutil.rmtree(state, ignore_errors=True)
        runs["heart run"].append(_say("heart run", r, measure(heart_cmd(inbox, state, profiles), logs / f"full-{r}.log")))
        if peers:
            for name in COMMANDS[1:]:
                cmd = [sys.executable, str(PEERS), name, str(inbox)]
                runs[name].append(_say(name, r, measure(cmd, logs / f"{name}-{r}.log", env)))
    shutil.rmtree(workdir / "runs" / f"full-{fx.rows}", ignore_errors=True)
    return runs


def weekly_runs(fx: Fixture, workdir: Path, profiles: Path, repeats: int) -> dict:
    """Build from weeks 1..W-1 once and keep the whole state; per repeat restore it, add week W, run; run again."""
    files = sorted(Path(fx.dir).glob("*.csv"))
    logs = workdir / "logs" / f"{fx.rows}"
    base = workdir / "runs" / f"weekly-{fx.rows}"
    snapshot, live = base / "snapshot", base / "live"
    shutil.rmtree(base, ignore_errors=True)
    (live / "inbox").mkdir(parents=True)
    for p in files[:-1]:
        _link_or_copy(p, live / "inbox" / p.name)
    built = _say(f"heart run, weeks 1-{len(files) - 1}", 1,
                 measure(heart_cmd(live / "inbox", live, profiles), logs / "weekly-base.log"))
    shutil.copytree(live, snapshot, copy_function=shutil.copy2)  # inbox, warehouse/ (work, published, lock), reports/
    out: dict = {"base": built, "incremental": [], "no-change": []}
    for r in range(1, repeats + 1):
        shutil.rmtree(live)
        shutil.copytree(snapshot, live, copy_function=shutil.copy2)
        _link_or_copy(files[-1], live / "inbox" / files[-1].name)
        cmd = heart_cmd(live / "inbox", live, profiles)
        out["incremental"].append(_say("incremental week", r, measure(cmd, logs / f"incremental-{r}.log")))
        out["no-change"].append(_say("no-change re-run", r, measure(cmd, logs / f"nochange-{r}.log")))
    shutil.rmtree(base)
    return out


def _say(label: str, r: int, m: Measure) -> Measure:
    flag = "" if m.rc == 0 else f"  EXIT {m.rc} (see {m.log})"
    print(f"  {label:<28} #{r}: {m.wall_s:8.2f} s wall {m.cpu_s:8.2f} s CPU {m.peak_mb:8.0f} MiB"
          f"{'' if m.eligible is None else f'  {m.eligible:,} eligible'}{flag}", flush=True)
    return m


def median(ms: list[Measure]) -> dict:
    return {k: round(statistics.median(getattr(m, k) for m in ms), 3) for k in ("wall_s", "cpu_s", "peak_mb")}


def machine() -> dict:
    """Where the figures were measured. Versions from package metadata: importing duckdb or pandas here would
    grow this process, and each child's ru_maxrss counts from its parent's resident set at the fork."""
    mem = next((int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                if line.startswith("MemTotal:")), 0) if Path("/proc/meminfo").exists() else 0
    model = ""
    if Path("/proc/cpuinfo").exists():
        model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                      if line.startswith("model name")), "")
    try:
        commit = subprocess.run(["git", "-C", str(REPO), "describe", "--always", "--dirty"], capture_output=True,
                                text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        commit = "unknown"
    return {"cores": os.cpu_count(), "cpu": model, "ram_gib": round(mem / 1024 / 1024, 1),
            "os": f"{platform.system()} {platform.release()} {platform.machine()}",
            "python": platform.python_version(), "duckdb": version("duckdb"), "pandas": version("pandas"),
            "commit": commit}


def run(rows: int = 2_000_000, weeks: int = 52, seed: int = 7, repeats: int = 3, workdir: Path = BENCH / "out",
        scale: list[int] | None = None, scale_repeats: int = 1, given: Path | None = None,
        real: Path = fixture.REAL) -> dict:
    """The whole benchmark; returns the result structure (also written to WORKDIR/results.json)."""
    workdir = Path(workdir).resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, TMPDIR=str(workdir / "tmp"))  # naive-pandas writes its chart into a temp folder
    shutil.rmtree(workdir / "tmp", ignore_errors=True)
    (workdir / "tmp").mkdir()
    profiles = profiles_dir(workdir)
    result: dict = {"date": dt.datetime.now().astimezone().isoformat(timespec="seconds"), "machine": machine(),
                    "args": {"rows": rows, "weeks": weeks, "seed": seed, "repeats": repeats,
                             "scale": scale or [], "scale_repeats": scale_repeats},
                    "load_before": [round(x, 2) for x in os.getloadavg()]}
    fx = ensure_fixture(workdir, rows, weeks, seed, given, real)
    print(f"fixture: {fx.rows:,} rows, {fx.files} files, {fx.mb:,.0f} MB, {fx.dir}\n  source: {fx.source}", flush=True)
    result["fixture"] = asdict(fx)
    print(f"full runs, {repeats} repeats, alternated:", flush=True)
    full = full_runs(fx, workdir, profiles, repeats, True, env)
    print("weekly operation:", flush=True)
    weekly = weekly_runs(fx, workdir, profiles, repeats)
    result["runs"] = {k: [asdict(m) for m in v] for k, v in full.items()}
    result["weekly"] = {"base": asdict(weekly["base"])} | {k: [asdict(m) for m in weekly[k]] for k in WEEKLY}
    med = {k: median(v) for k, v in full.items()} | {k: median(weekly[k]) for k in WEEKLY}
    result["medians"] = med
    heart = med["heart run"]["wall_s"]
    result["ratios"] = {f"heart/{k}": {m: round(med["heart run"][m] / med[k][m], 2) if med[k][m] else None
                                       for m in ("wall_s", "cpu_s", "peak_mb")} for k in COMMANDS[1:]}
    result["ratios"] |= {f"{k}/full": round(med[k]["wall_s"] / heart, 3) if heart else None for k in WEEKLY}
    scale_rows = [_scale_row(fx, med)]
    for size in scale or []:
        print(f"scale: {size:,} rows", flush=True)
        sfx = ensure_fixture(workdir, size, weeks, seed, real=real)
        sfull = full_runs(sfx, workdir, profiles, scale_repeats, False, env)["heart run"]
        sweekly = weekly_runs(sfx, workdir, profiles, scale_repeats)
        scale_rows.append(_scale_row(sfx, {"heart run": median(sfull)} | {k: median(sweekly[k]) for k in WEEKLY},
                                     scale_repeats, [m.rc for m in sfull + sweekly["incremental"] + sweekly["no-change"]]))
    result["scale"] = sorted(scale_rows, key=lambda s: s["rows"])
    result["exit_codes"] = sorted({m["rc"] for v in result["runs"].values() for m in v}
                                  | {m["rc"] for k in WEEKLY for m in result["weekly"][k]}
                                  | {result["weekly"]["base"]["rc"]} | {rc for s in scale_rows for rc in s["rcs"]})
    eligible = {k: sorted({m["eligible"] for m in v}, key=str) for k, v in result["runs"].items()}
    result["eligible_calls"] = eligible
    result["load_after"] = [round(x, 2) for x in os.getloadavg()]
    # A floor under every child's peak memory (see machine()); small next to the children's own.
    result["harness_peak_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    shutil.rmtree(workdir / "tmp", ignore_errors=True)
    (workdir / "results.json").write_text(json.dumps(result, indent=2))
    return result


def _scale_row(fx: Fixture, med: dict, repeats: int | None = None, rcs: list[int] | None = None) -> dict:
    return {"rows": fx.rows, "files": fx.files, "mb": fx.mb, "last_week_rows": fx.last_week_rows,
            "repeats": repeats, "full": med["heart run"], "incremental": med["incremental"],
            "no-change": med["no-change"], "rcs": rcs or []}


# --------------------------------------------------------------------------------------------------
# Output: a plain-text table on the terminal, a markdown block in docs/benchmarks.md.


def _n(x: float, digits: int = 1) -> str:
    return f"{x:,.{digits}f}"


def markdown(result: dict) -> str:
    fx, mc, med, rat = result["fixture"], result["machine"], result["medians"], result["ratios"]
    a = result["args"]
    lines = [
        f"### Latest run — {result['date'][:10]}",
        "",
        f"`python bench/benchmark.py --rows {a['rows']} --weeks {a['weeks']} --repeats {a['repeats']}"
        + (f" --scale {','.join(str(s) for s in a['scale'])} --scale-repeats {a['scale_repeats']}" if a["scale"] else "")
        + " --write-doc`, on commit `" + mc["commit"] + "`.",
        "",
        f"- Machine: {mc['cores']} cores ({mc['cpu'] or 'unknown CPU'}), {mc['ram_gib']} GiB RAM, {mc['os']}; "
        f"Python {mc['python']}, DuckDB {mc['duckdb']}, pandas {mc['pandas']}.",
        f"- Fixture: {fx['rows']:,} rows in {fx['files']} weekly files, {_n(fx['mb'], 0)} MB of CSV "
        f"(last week {fx['last_week_rows']:,} rows); source: {fx['source']}.",
        f"- Load average (1, 5, 15 min) before: {', '.join(map(str, result['load_before']))}; after: "
        f"{', '.join(map(str, result['load_after']))} (on {mc['cores']} cores: other work on the machine slows wall time). "
        f"Peak memory is each child's `ru_maxrss`; the harness itself peaked at {_n(result['harness_peak_mb'], 0)} MiB."
        + (" **The machine was shared with other work during this run (load above its core count): wall times are "
           "inflated and uneven; compare CPU times.**" if max(result["load_before"][0], result["load_after"][1]) > mc["cores"]
           else ""),
        f"- Exit codes seen: {', '.join(str(c) for c in result['exit_codes'])}. Eligible calls reported: "
        + "; ".join(f"{k} {', '.join(f'{e:,}' if isinstance(e, int) else str(e) for e in v)}"
                    for k, v in result["eligible_calls"].items()) + ".",
        "",
        f"Full run, median of {a['repeats']} (the three commands alternated):",
        "",
        "| command | wall | CPU (user + sys) | peak memory | heart ÷ this (wall / CPU / memory) |",
        "|---|---:|---:|---:|---|",
    ]
    for k in COMMANDS:
        r = rat.get(f"heart/{k}")
        ratio = "—" if r is None else f"{r['wall_s']:.2f}× / {r['cpu_s']:.2f}× / {r['peak_mb']:.2f}×"
        lines.append(f"| `{k}` | {_n(med[k]['wall_s'])} s | {_n(med[k]['cpu_s'])} s | {_n(med[k]['peak_mb'], 0)} MiB | {ratio} |")
    lines += [
        "",
        f"Weekly operation, median of {a['repeats']} (warehouse of weeks 1–{fx['files'] - 1} restored each time; "
        f"that build took {_n(result['weekly']['base']['wall_s'])} s):",
        "",
        "| `heart run` | wall | CPU (user + sys) | peak memory | ÷ full run (wall / CPU) |",
        "|---|---:|---:|---:|---:|",
    ]
    full = med["heart run"]
    for k, label in (("incremental", f"incremental week (+{fx['last_week_rows']:,} rows)"),
                     ("no-change", "no-change re-run")):
        lines.append(f"| {label} | {_n(med[k]['wall_s'])} s | {_n(med[k]['cpu_s'])} s | "
                     f"{_n(med[k]['peak_mb'], 0)} MiB | {med[k]['wall_s'] / full['wall_s']:.2f} / "
                     f"{med[k]['cpu_s'] / full['cpu_s']:.2f} |")
    if len(result["scale"]) > 1:
        lines += [
            "",
            "Scale, `heart run` only (median of the repeats shown):",
            "",
            "| rows | CSV | repeats | full: wall / CPU | full: CPU per 100k rows | full: peak "
            "| incremental week (rows added): wall / CPU | no-change: wall / CPU |",
            "|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for s in result["scale"]:
            reps = s["repeats"] or a["repeats"]
            inc, same = s["incremental"], s["no-change"]
            lines.append(
                f"| {s['rows']:,} | {_n(s['mb'], 0)} MB | {reps} | {_n(s['full']['wall_s'])} s / {_n(s['full']['cpu_s'])} s "
                f"| {_n(s['full']['cpu_s'] / s['rows'] * 100_000, 2)} s | {_n(s['full']['peak_mb'], 0)} MiB "
                f"| (+{s['last_week_rows']:,}) {_n(inc['wall_s'])} s / {_n(inc['cpu_s'])} s "
                f"| {_n(same['wall_s'])} s / {_n(same['cpu_s'])} s |")
    return "\n".join(lines)


def text_table(result: dict) -> str:
    med, rat = result["medians"], result["ratios"]
    rows = [f"{'median':<34} {'wall s':>9} {'CPU s':>9} {'peak MiB':>9}"]
    for k in COMMANDS + WEEKLY:
        rows.append(f"{k:<34} {med[k]['wall_s']:>9.2f} {med[k]['cpu_s']:>9.2f} {med[k]['peak_mb']:>9.0f}")
    for k in COMMANDS[1:]:
        r = rat[f"heart/{k}"]
        rows.append(f"heart run / {k:<22} {r['wall_s']:>8}x {r['cpu_s']:>8}x {r['peak_mb']:>8}x")
    for k in WEEKLY:
        rows.append(f"{k + ' / full run (wall)':<34} {rat[f'{k}/full']:>9}")
    if len(result["scale"]) > 1:
        rows.append(f"\n{'scale: rows':<14} {'full s':>9} {'CPU s':>9} {'peak MiB':>9} {'incr s':>9} {'no-chg s':>9}")
        for s in result["scale"]:
            rows.append(f"{s['rows']:<14,} {s['full']['wall_s']:>9.2f} {s['full']['cpu_s']:>9.2f} "
                        f"{s['full']['peak_mb']:>9.0f} {s['incremental']['wall_s']:>9.2f} {s['no-change']['wall_s']:>9.2f}")
    rows.append(f"exit codes seen: {result['exit_codes']}; eligible calls: {result['eligible_calls']}")
    rows.append(f"load average before {result['load_before']}, after {result['load_after']}")
    return "\n".join(rows)


def write_doc(result: dict, doc: Path = DOC) -> None:
    """Replace the text between the bench markers of docs/benchmarks.md with this run's figures."""
    text = doc.read_text(encoding="utf-8")
    start, end = text.find(BEGIN), text.find(END)
    if start == -1 or end < start:
        raise SystemExit(f"{doc}: no {BEGIN} ... {END} block to write into")
    doc.write_text(text[:start + len(BEGIN)] + "\n" + markdown(result) + "\n" + text[end:], encoding="utf-8")


def _sizes(text: str) -> list[int]:
    return [int(s.replace("_", "")) for s in text.split(",") if s.strip()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=2_000_000)
    parser.add_argument("--weeks", type=int, default=52, help="weekly files in the fixture (2 to 99)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--workdir", type=Path, default=BENCH / "out")
    parser.add_argument("--fixture", type=Path, help="use this folder of fixture files as it is (no build, no cache)")
    parser.add_argument("--scale", type=_sizes, default=[], help="other sizes, comma-separated: full + weekly runs of heart")
    parser.add_argument("--scale-repeats", type=int, default=1)
    parser.add_argument("--write-doc", action="store_true", help=f"rewrite the {BEGIN} block of docs/benchmarks.md")
    args = parser.parse_args(argv)
    if args.weeks < 2:
        parser.error("--weeks: at least 2 (the weekly run adds the last week to the others)")
    result = run(args.rows, args.weeks, args.seed, args.repeats, args.workdir, args.scale, args.scale_repeats,
                 args.fixture)
    print()
    print(text_table(result))
    if args.write_doc:
        write_doc(result)
        print(f"\nwritten: {DOC}")
    return 0 if result["exit_codes"] == [0] else 1


if __name__ == "__main__":
    sys.exit(main())
