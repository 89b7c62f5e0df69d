"""`heart`: the command a department analyst runs.

    heart run [--inbox DIR] [--warehouse PATH] [--reports DIR] [--profiles DIR] [--program FILE] [--scenarios DIR]
              [--week YYYY-MM-DD ... | --all-weeks] [--suppression-threshold N] [--force]
    heart metrics --start YYYY-MM-DD --end YYYY-MM-DD [--unit U] [--format table|json|csv]
    heart samples [--out DIR] [--seed N] [--scale X]
    heart sql ["QUERY" | FILE.sql | EXAMPLE | -] [--file FILE] [--format table|csv|json] [--warehouse PATH]
    heart scenarios [--scenario FILE ...] [--seeds N] [--warehouse PATH] [--no-backtests]
    heart impact [--warehouse PATH]

`heart run` materialises every asset in-process through Dagster and ends with a
one-screen summary. Problems a person can fix (a wrong path, a bad profile, a
warehouse another program holds open) are one line on stderr and exit code 2,
not a traceback.

The package: this module is the parser and `main`; run.py runs the asset graph (`heart run`),
summary.py writes the run summary, metrics.py is `heart metrics`, sql/ is `heart sql` (engine,
examples, prompt), scenarios.py is `heart scenarios`, impact.py is `heart impact`, output.py formats rows as table, CSV or JSON, progress.py prints progress lines.
`python -m pipeline.cli` runs it too (__main__.py).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from datetime import timedelta
from dataclasses import replace
from pathlib import Path

import duckdb

from pipeline import warehouse
from pipeline import progress
from pipeline.cli import last_run
from pipeline.warehouse import lock
from pipeline.ingest.contract import HEART_UNITS
from pipeline.ingest.profiles import ProfileError, load_profiles
from pipeline.program import ProgramConfigError, load_program
from pipeline.scenarios.config import ScenarioError, load_scenarios
from pipeline.warehouse.publish import start_working_from_published
from pipeline.settings import MAX_SUPPRESSION_THRESHOLD, SELF_CONTAINED_ENV, Settings
from pipeline.cli.summary import blocking_paragraph, program_fit, render_summary


class UserError(Exception):
    """A problem the user can fix; printed as one line."""


def _settings_from(args: argparse.Namespace) -> Settings:
    settings = Settings().with_paths(
        inbox=args.inbox, warehouse=args.warehouse, reports=args.reports, profiles=args.profiles,
        program=args.program, scenarios=args.scenarios,
    )
    if args.max_quarantine_share is not None:
        settings = replace(settings, max_quarantine_share=_share(args.max_quarantine_share))
    if args.suppression_threshold is not None:
        settings = replace(settings, suppression_threshold=_threshold(args.suppression_threshold))
    return settings


def _share(text: str) -> float:
    """--max-quarantine-share: a share from 0 to 1 (0.05 is 5%), else one line and exit 2."""
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not 0 <= value <= 1:   # NaN fails too
        raise UserError(f"--max-quarantine-share {text}: expected a share from 0 to 1, e.g. 0.05 for 5% "
                        "(the default) or 0.1 for 10%")
    return value


def _preflight(settings: Settings) -> None:
    if not settings.inbox.is_dir():
        raise UserError(f"inbox folder not found: {settings.inbox}")
    try:
        profiles = load_profiles(settings.profiles)
    except ProfileError as exc:
        raise UserError(f"source profile problem: {exc}") from exc
    if not profiles:
        raise UserError(f"no source profiles (*.toml) in {settings.profiles}")
    try:
        load_program(settings.program)
    except ProgramConfigError as exc:
        raise UserError(f"program configuration problem: {exc}") from exc
    try:
        load_scenarios(settings.scenarios)
    except ScenarioError as exc:
        raise UserError(f"scenario file problem: {exc}") from exc
    # Two files: the run builds `working`; `warehouse` is the analysts' snapshot, only ever replaced by rename.
    for label, path in (("warehouse", settings.warehouse), ("working warehouse", settings.working)):
        if path.is_dir():
            raise UserError(f"{label} path is a folder, expected a file: {path}")
    if settings.working.resolve() == settings.warehouse.resolve():
        raise UserError(f"the working warehouse must not be the published one: {settings.warehouse}")
    try:
        settings.warehouse.parent.mkdir(parents=True, exist_ok=True)
        settings.working.parent.mkdir(parents=True, exist_ok=True)
        settings.reports.mkdir(parents=True, exist_ok=True)
        if start_working_from_published(settings.warehouse, settings.working):
            print(f"Started the working warehouse {settings.working} as a copy of {settings.warehouse}: "
                  "files already loaded are not read again", file=sys.stderr)
    except OSError as exc:
        raise UserError(f"cannot create {exc.filename}: {exc.strerror}") from exc
    if not os.access(settings.warehouse.parent, os.W_OK):
        raise UserError(f"cannot publish into {settings.warehouse.parent}: not writable")
    try:
        duckdb.connect(str(settings.working)).close()
    except duckdb.Error as exc:
        raise UserError(f"cannot open the working warehouse {settings.working} (is another heart run going?): "
                        f"{str(exc).splitlines()[0]}") from exc


def run_command(settings: Settings, weeks: list | None = None, all_weeks: bool = False, force: bool = False) -> int:
    """Materialise every asset and the reports; print the summary; 0 when every step and check passed."""
    # One run at a time: taken before anything is read, held until the run has ended.
    try:
        lock.acquire(settings.working)
    except lock.RunLocked as exc:
        raise UserError(str(exc)) from exc
    except OSError as exc:
        raise UserError(f"cannot take the run lock {lock.lock_path(settings.working)}: {exc.strerror or exc}") from exc
    try:
        return _run_locked(settings, weeks, all_weeks, force)
    finally:
        lock.release(settings.working)


def _run_locked(settings: Settings, weeks: list | None, all_weeks: bool, force: bool = False) -> int:
    _preflight(settings)
    # Before Dagster is even imported: a weekly re-run with nothing new costs a second, not a build.
    inputs = last_run.run_inputs(settings, weeks, all_weeks)
    since = None if force else last_run.unchanged_since(settings, inputs)
    if since is not None:
        print(f"Nothing to do: the {inputs.files} files in {settings.inbox}, the source profiles, the program "
              f"configuration, the scenario files and the settings are as the run of {since} left them, so the warehouse "
              f"({settings.warehouse}) and the reports ({settings.reports}) are up to date. "
              "Add a file, or use --force to run anyway.")
        return 0
    last_run.forget(settings)
    code = _run_pipeline_and_report(settings, weeks, all_weeks)
    if code == 0:
        last_run.record(settings, inputs)
    return code


def _run_pipeline_and_report(settings: Settings, weeks: list | None, all_weeks: bool) -> int:
    from pipeline.cli.run import WeekOutOfRange, run_pipeline

    handler = progress.TerminalProgress()
    progress.progress_logger.addHandler(handler)
    progress.progress_logger.setLevel(logging.INFO)
    try:
        print(f"Loading {settings.inbox} into {settings.working} ...", file=sys.stderr)
        outcome = run_pipeline(settings, weeks=weeks, all_weeks=all_weeks)
    except WeekOutOfRange as exc:
        raise UserError(f"{exc}; nothing built or published") from exc
    finally:
        handler.finish()
        progress.progress_logger.removeHandler(handler)
    # A step stopped by its own blocking check is said once, by the check's line below, with figures.
    failed_steps = [(event.step_key, _error_line(event))
                    for event in outcome.events if event.event_type_value == "STEP_FAILURE"
                    and not _stopped_by_blocking_check(event)]
    text, fit = _summary_text(settings)
    if text:
        print(text)
        try:
            (settings.reports / "load_summary.txt").write_text(text + "\n", encoding="utf-8")
        except OSError as exc:
            print(f"heart: could not write {settings.reports / 'load_summary.txt'}: {exc.strerror or exc}",
                  file=sys.stderr)
    if outcome.weeks and outcome.success:
        shown = ", ".join(w.isoformat() for w in outcome.weeks[:3]) + (" ..." if len(outcome.weeks) > 3 else "")
        print(f"Weekly report{'s' if len(outcome.weeks) > 1 else ''} built for week{'s' if len(outcome.weeks) > 1 else ''}"
              f" starting {shown}; open {settings.reports / 'index.html'}")
    if outcome.published:
        print(f"Published for analysts: {settings.warehouse} (open it read-only: duckdb -readonly {settings.warehouse})")
    for step, error in failed_steps:
        print(f"FAILED step {step}: {error}", file=sys.stderr)
    for check, detail in outcome.failed_check_details:
        print(f"FAILED check {check}: {detail}" if detail else f"FAILED check {check}", file=sys.stderr)
        if check.endswith("_quarantine_share_within_limit"):
            paragraph = _blocking_text(settings, check.split(":")[-1].split("_")[0])
            if paragraph:
                print(paragraph, file=sys.stderr)
    if outcome.error:
        print(f"FAILED: {outcome.error}", file=sys.stderr)
    refused = outcome.refused_files
    if refused is not None:
        shown = ", ".join(refused[:5]) + (f" and {len(refused) - 5} more" if len(refused) > 5 else "")
        print(f"FAILED: every new file in the inbox was refused ({len(refused)}: {shown}); nothing new was "
              "loaded. The reasons are in the summary above and in audit.file_loads", file=sys.stderr)
    if not outcome.published:
        kept = "still holds the last successful run" if settings.warehouse.is_file() else "does not exist yet"
        print(f"Not published: {settings.warehouse} {kept}", file=sys.stderr)
    if outcome.ok:
        # Loaded and published, yet the program configuration matches nothing: every eligible-call figure is 0.
        reason = fit.blocking_reason if fit is not None else _no_eligible_call(settings)
        if reason:
            print(f"FAILED: {reason}", file=sys.stderr)
            return 1
    return 0 if outcome.ok else 1


def _no_eligible_call(settings: Settings) -> str | None:
    """Why no eligible call falls inside the program, and what to change; None when some does."""
    from pipeline import config_fit

    try:
        with warehouse.connect(settings.working, read_only=False) as con:
            fit = config_fit.check_fit(con, load_program(settings.program))
    except (duckdb.Error, OSError, ProgramConfigError) as exc:
        print(f"heart: cannot check the program configuration against the data: {_first_line(str(exc))}",
              file=sys.stderr)
        return None
    return fit.blocking_reason if fit is not None else None


def _blocking_text(settings: Settings, kind: str) -> str | None:
    """The paragraph saying why a quarantine-share check blocked the run and what to do; None if unreadable."""
    try:
        profiles = {p.name: p.path for p in load_profiles(settings.profiles)}
    except ProfileError:
        profiles = {}
    try:
        with warehouse.connect(settings.working, read_only=False) as con:
            return blocking_paragraph(con, kind, settings.max_quarantine_share, profiles, settings.reports)
    except (duckdb.Error, OSError, KeyError) as exc:
        print(f"heart: cannot read the quarantine: {_first_line(str(exc))}", file=sys.stderr)
        return None


def _summary_text(settings: Settings) -> tuple[str | None, "config_fit.Fit | None"]:
    """The run summary from the working file, which holds this run's load audit even when the run failed,
    and the program configuration's fit to the data it shows (computed once: the exit code reads it too).

    Never raises: a summary that cannot be read must not hide why the run failed.
    """
    try:
        with warehouse.connect(settings.working, read_only=False) as con:
            if not warehouse.has_table(con, "audit", "load_audit"):
                return None, None
            fit = program_fit(con, settings.program)
            return render_summary(con, settings.warehouse, settings.reports, settings.program, fit=fit), fit
    except (duckdb.Error, OSError) as exc:
        print(f"heart: no summary: cannot read the working warehouse {settings.working}: "
              f"{_first_line(str(exc))}", file=sys.stderr)
        return None, None


def _first_line(text: str) -> str:
    text = text.strip()
    return text.splitlines()[0] if text else "unknown error"


def _stopped_by_blocking_check(event) -> bool:
    error = event.event_specific_data.error
    return error is not None and error.cls_name == "DagsterAssetCheckFailedError"


def _error_line(event) -> str:
    """The innermost error message of a failed step, on one line."""
    error = event.event_specific_data.error
    while error is not None and error.cause is not None:
        error = error.cause
    return _first_line(error.message if error is not None else "")


def samples(args: argparse.Namespace) -> int:
    from pipeline.samples.generate import generate

    paths = generate(Path(args.out), seed=args.seed, scale=args.scale)
    print(f"wrote {len(paths)} files to {args.out} ({paths.history_weeks} of them pre-launch CAD history)")
    for line in paths.truth.lines():   # the true effect planted, for checking `heart impact` against
        print(line)
    return 0


def metrics_command(args: argparse.Namespace) -> int:
    from pipeline.cli import metrics as metrics_cli

    path = Path(args.warehouse) if args.warehouse else Settings().warehouse
    try:
        rows, span = metrics_cli.window_rows(path, args.start, args.end, args.unit)
    except metrics_cli.WindowError as exc:
        raise UserError(str(exc)) from exc
    except duckdb.Error as exc:
        raise UserError(f"cannot read the warehouse {path}: {str(exc).splitlines()[0]}") from exc
    if args.format == "table":
        print(f"HEART metrics for {args.start} to {args.end} (end exclusive), local dates, from {path}")
        # end is exclusive: a window ending the day after the last day is complete.
        if span and (args.start < span[0] or args.end > span[1] + timedelta(days=1)):
            print(f"Note: the warehouse holds program data from {span[0]} to {span[1]}; "
                  "days outside that range contribute nothing.")
    print(metrics_cli.render(rows, args.format))
    return 0


def _iso_date(text: str):
    from datetime import date

    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2022-06-27") from None


def _monday(text: str):
    day = _iso_date(text)
    if day.weekday() != 0:
        raise argparse.ArgumentTypeError(f"{text} is a {day:%A}; weeks start on a Monday")
    return day


def _threshold(text: str) -> int:
    """--suppression-threshold: a whole number from 2 to MAX_SUPPRESSION_THRESHOLD, else one line and exit 2."""
    try:
        value = int(text)
    except ValueError:
        value = None
    if value is None or not 2 <= value <= MAX_SUPPRESSION_THRESHOLD:
        raise UserError(f"--suppression-threshold {text}: expected a whole number from 2 to "
                        f"{MAX_SUPPRESSION_THRESHOLD} (public reports show counts below it as '<N'; "
                        f"the default is {Settings().suppression_threshold})")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="heart", description="HEART outcomes pipeline.")
    sub = parser.add_subparsers(dest="command", required=True)
    run_parser = sub.add_parser("run", help="load the inbox into the warehouse, validate, summarise")
    run_parser.add_argument("--inbox", help="folder of CAD exports and HEART logs (default: data_samples/)")
    run_parser.add_argument(
        "--warehouse", help="the analysts' DuckDB file, replaced after each successful run (default: "
        "warehouse/heart.duckdb); runs build into <name>.work.duckdb beside it")
    run_parser.add_argument("--reports", help="folder for reports (default: reports/)")
    run_parser.add_argument("--profiles", help="folder of source profiles (default: profiles/)")
    run_parser.add_argument("--program", help="program configuration (default: config/program.toml)")
    run_parser.add_argument("--scenarios", help="folder of expansion scenario files (default: scenarios/)")
    run_parser.add_argument(
        "--max-quarantine-share",
        help="block downstream assets when more than this share (0 to 1) of a source's rows is quarantined "
             "(default 0.05)",
    )
    run_parser.add_argument(
        "--suppression-threshold",
        help=f"public reports show counts below this as '<N' (2 to {MAX_SUPPRESSION_THRESHOLD}; default 11)",
    )
    run_parser.add_argument(
        "--self-contained", action="store_true",
        help="write the chart library (4.8 MB) into every report too, so each file draws its charts when sent "
             "alone (by default it is shared from reports/assets/ and a page sent alone shows tables)")
    weeks_group = run_parser.add_mutually_exclusive_group()
    weeks_group.add_argument(
        "--week", action="append", type=_monday, metavar="YYYY-MM-DD",
        help="build the weekly report for the week starting this Monday (repeatable; default: the latest full week)",
    )
    weeks_group.add_argument("--all-weeks", action="store_true", help="build the weekly report for every week with data")
    run_parser.add_argument(
        "--force", action="store_true",
        help="run even when no input has changed since the last successful run (by default such a run "
             "says so and does nothing)")
    metrics_parser = sub.add_parser(
        "metrics", help="every headline metric for a window of local dates, computed from the warehouse"
    )
    metrics_parser.add_argument("--start", required=True, type=_iso_date, help="first day, YYYY-MM-DD (inclusive)")
    metrics_parser.add_argument("--end", required=True, type=_iso_date, help="last day + 1, YYYY-MM-DD (exclusive)")
    metrics_parser.add_argument("--unit", choices=("ALL", *HEART_UNITS), help="only this unit's rows")
    metrics_parser.add_argument("--format", choices=("table", "json", "csv"), default="table")
    metrics_parser.add_argument("--warehouse", help="DuckDB file to read (default: warehouse/heart.duckdb)")
    samples_parser = sub.add_parser("samples", help="regenerate the sample city's data (seeded)")
    samples_parser.add_argument("--out", default="data_samples")
    samples_parser.add_argument("--seed", type=int, default=20220627)
    samples_parser.add_argument("--scale", type=float, default=1.0)
    from pipeline.cli import sql as sql_cli

    sql_cli.add_arguments(sub.add_parser("sql", help="read-only SQL on the published warehouse; no query: a prompt"))
    from pipeline.ingest import check as profile_check

    profile_check.add_arguments(sub.add_parser("profile", help="source profiles: check how a profile reads a file"))
    from pipeline.cli import scenarios as scenarios_cli

    scenarios_cli.add_arguments(sub.add_parser(
        "scenarios", help="expansion scenarios replayed on the warehouse's calls: coverage, staff, cost"))
    from pipeline.cli import impact as impact_cli

    impact_cli.add_arguments(sub.add_parser(
        "impact", help="is it working? the impact estimates from the phased rollout, in plain words"))
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "run":
            if args.self_contained:
                # Read by pipeline.reports.render; an environment variable so Dagster's run workers see it too.
                os.environ[SELF_CONTAINED_ENV] = "1"
            return run_command(_settings_from(args), weeks=args.week, all_weeks=args.all_weeks, force=args.force)
        if args.command == "metrics":
            return metrics_command(args)
        if args.command == "sql":
            from pipeline.cli import sql as sql_cli

            return sql_cli.command(args)
        if args.command == "profile":
            from pipeline.ingest import check as profile_check

            return profile_check.command(args)
        if args.command == "scenarios":
            from pipeline.cli import scenarios as scenarios_cli

            try:
                return scenarios_cli.command(args)
            except scenarios_cli.ScenarioCommandError as exc:
                raise UserError(str(exc)) from None
        if args.command == "impact":
            from pipeline.cli import impact as impact_cli

            try:
                return impact_cli.command(args)
            except impact_cli.ImpactCommandError as exc:
                raise UserError(str(exc)) from None
        return samples(args)
    except UserError as exc:
        print(f"heart: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("heart: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - never a traceback; HEART_DEBUG=1 shows it
        if os.environ.get("HEART_DEBUG"):
            raise
        print(f"heart: {args.command} failed: {type(exc).__name__}: {_first_line(str(exc))} "
              "(HEART_DEBUG=1 shows the traceback)", file=sys.stderr)
        return 1

