"""Automation: the jobs, the Monday schedule and the inbox sensor that `dg dev` runs.

- `refresh_job`: every unpartitioned asset (ingest → validation → marts →
  metric_values → council, quality and index reports, and whatever
  unpartitioned assets are added later).
- `weekly_report_job`: the same plus the weekly report, partitioned by week.
  Dagster runs the unpartitioned assets once in a partitioned run, so one run
  reads the inbox, rebuilds everything and writes that week's report, in order.
- `weekly_refresh_schedule`: Monday 06:00 in the program's time zone, one run of
  `weekly_report_job` for the latest week with data that has ended.
- `inbox_sensor`: when a new or changed export has landed in the inbox (and has
  stopped changing), one run of `weekly_report_job` for the latest week with
  data that has ended (`refresh_job` while there is none), so a late export
  also refreshes last week's report. And when a run has brought in data for a
  newer week that has ended and no weekly report run exists for it yet, one
  run of `weekly_report_job` for that week. Never while another warehouse run
  is queued or in progress.

The weeks are the weekly report's dynamic partitions (pipeline/defs/reports.py, named keys.WEEKS_NAME):
the weeks with data, registered by each run from the warehouse. Neither the
schedule nor the sensor ever picks a calendar week the data does not reach.

DuckDB allows one writer, so runs must not overlap: the sensor waits for
unfinished runs, the repository's dagster.yaml limits the instance to one run at
a time (a schedule run and a manual run queue behind each other), and
definitions.py runs each run's steps in one process.

The decisions are plain functions (scan_inbox, decide_inbox, week_just_ended,
unfinished_runs) that the tests call directly; the Dagster objects are thin.

Why one module of ~420 lines: the jobs, the schedule and the sensor share
the same decisions about weeks and unfinished runs, kept here as plain
functions beside the thin Dagster objects that call them.

No `from __future__ import annotations` here: Dagster inspects the sensor's
parameter annotations at definition time and needs the real classes.
"""

import base64
import hashlib
import json
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time as clock_time, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import dagster as dg

from pipeline.defs.keys import TIMEZONE_METADATA, WEEKLY_KEY, WEEKS_NAME
from pipeline.defs.resources import HeartSettings
from pipeline.ingest import file_sha256
from pipeline.settings import DEFAULT_TIMEZONE

if TYPE_CHECKING:
    from dagster._core.definitions.unresolved_asset_job_definition import (
        UnresolvedAssetJobDefinition as AssetJob,
    )

REFRESH_JOB = "refresh_job"
WEEKLY_JOB = "weekly_report_job"
WEEKLY_SCHEDULE = "weekly_refresh_schedule"
INBOX_SENSOR = "inbox_sensor"

# The inbox is checked at most once a minute ...
SENSOR_INTERVAL_SECONDS = 60
# ... and a file is taken once it has not changed for a minute and looked the same on the previous
# check: a copy still in progress (even one that keeps the source's modification time) waits.
QUIET_SECONDS = 60
CANDIDATE_SUFFIXES = (".csv", ".csv.gz")
# Runs that may still write the warehouse. (SUSPENDED and MANAGED runs are not waited for.)
UNFINISHED_STATUSES = [
    dg.DagsterRunStatus.QUEUED,
    dg.DagsterRunStatus.NOT_STARTED,
    dg.DagsterRunStatus.STARTING,
    dg.DagsterRunStatus.STARTED,
    dg.DagsterRunStatus.CANCELING,
]
# Runs launched from the asset graph ("Materialize", asset backfills) belong to Dagster's implicit job.
IMPLICIT_ASSET_JOB_PREFIX = "__ASSET_JOB"


# --- Plain functions -------------------------------------------------------------------------


def is_candidate(name: str) -> bool:
    """An export the sensor watches: .csv or .csv.gz, not hidden, not an editor's lock file."""
    lowered = name.lower()
    return lowered.endswith(CANDIDATE_SUFFIXES) and not name.startswith((".", "~"))


@dataclass(frozen=True)
class InboxFile:
    name: str
    size: int
    mtime_ns: int
    sha256: str


TOKEN_LENGTH = 10


def file_token(name: str, size: int, mtime_ns: int) -> str:
    """A short fingerprint of a file's name, size and modification time (60 bits, base64)."""
    digest = hashlib.sha256(f"{name}\0{size}\0{mtime_ns}".encode()).digest()
    return base64.urlsafe_b64encode(digest).decode()[:TOKEN_LENGTH]


@dataclass
class InboxCursor:
    """What the sensor remembers between checks (Dagster stores it as the sensor's cursor, JSON).

    done: the file_token of every file in the inbox a run has been requested for (as it was then);
    in the JSON, the tokens sorted and run together in one string.
    pending: file name → [size, mtime_ns] at the previous check, for new or changed files not yet
    requested.

    Kept small on purpose: Dagster stores the cursor with every tick (one a minute), and the inbox
    keeps every export ever dropped: 10 bytes per file, and files gone from the inbox are dropped.
    """

    done: set[str] = field(default_factory=set)
    pending: dict[str, list[int]] = field(default_factory=dict)

    @classmethod
    def from_json(cls, text: str | None) -> "InboxCursor":
        """The cursor from its JSON; empty when there is none or it is unreadable."""
        try:
            data = json.loads(text) if text else {}
            tokens = str(data.get("done", ""))
            return cls(done={tokens[i:i + TOKEN_LENGTH] for i in range(0, len(tokens), TOKEN_LENGTH)},
                       pending={str(k): [int(x) for x in v] for k, v in data.get("pending", {}).items()})
        except (ValueError, TypeError, AttributeError):
            return cls()

    def to_json(self) -> str:
        return json.dumps({"done": "".join(sorted(self.done)), "pending": self.pending}, sort_keys=True,
                          separators=(",", ":"))


@dataclass
class InboxScan:
    ready: list[InboxFile]   # new or changed, settled, not yet requested
    waiting: list[str]       # new or changed, still being written (or first seen at this check)
    cursor: InboxCursor      # the cursor if no run is requested now (ready files stay pending)

    def cursor_after_request(self) -> InboxCursor:
        ready = {f.name for f in self.ready}
        return InboxCursor(
            done=self.cursor.done | {file_token(f.name, f.size, f.mtime_ns) for f in self.ready},
            pending={name: stat for name, stat in self.cursor.pending.items() if name not in ready},
        )


def scan_inbox(inbox: Path, cursor: InboxCursor, now: float, quiet_seconds: float = QUIET_SECONDS) -> InboxScan:
    """Which candidate files in the inbox need a run.

    A file needs one when no run was requested for it with this name, size and modification time.
    It is ready once it looked the same at the previous check and has not been modified for
    `quiet_seconds`; until then it is waiting (a copy in progress grows, or keeps being touched).
    Only ready files are hashed (for the run key). Files gone from the inbox are forgotten.
    """
    ready: list[InboxFile] = []
    waiting: list[str] = []
    done: set[str] = set()
    pending: dict[str, list[int]] = {}
    for path in sorted(p for p in inbox.iterdir() if is_candidate(p.name) and p.is_file()):
        stat = path.stat()
        size, mtime_ns = stat.st_size, stat.st_mtime_ns
        token = file_token(path.name, size, mtime_ns)
        if token in cursor.done:
            done.add(token)
            continue
        settled = cursor.pending.get(path.name) == [size, mtime_ns] and now - mtime_ns / 1e9 >= quiet_seconds
        pending[path.name] = [size, mtime_ns]
        if settled:
            ready.append(InboxFile(path.name, size, mtime_ns, file_sha256(path)))
        else:
            waiting.append(path.name)
    return InboxScan(ready=ready, waiting=waiting, cursor=InboxCursor(done=done, pending=pending))


def run_key_for(files: Sequence[InboxFile]) -> str:
    """One file: its name and the start of its SHA-256. Several: their count and a digest of all.

    Dagster never starts two runs with the same run key from one sensor, so the same bytes under
    the same name never trigger twice: not when the file is only touched (new time, same bytes),
    copied in again, or the cursor is lost.
    """
    if len(files) == 1:
        return f"{files[0].name}@{files[0].sha256[:12]}"
    lines = "\n".join(sorted(f"{f.name}@{f.sha256}" for f in files))
    return f"{len(files)} files@{hashlib.sha256(lines.encode()).hexdigest()[:12]}"


def week_just_ended(weeks: Iterable[str], at: datetime, tz: str = DEFAULT_TIMEZONE) -> str | None:
    """The latest week with data (of `weeks`, Mondays) that had ended by `at`, or None when none had.

    A week ends at the next Monday 00:00 in the program's time zone `tz`.
    """
    zone = ZoneInfo(tz)
    ended = [key for key in weeks
             if datetime.combine(date.fromisoformat(key) + timedelta(days=7), clock_time(0), zone) <= at]
    return max(ended) if ended else None


def registered_weeks(instance: dg.DagsterInstance) -> list[str]:
    """The weekly report's partitions: the weeks with data, as the last run registered them."""
    return list(instance.get_dynamic_partitions(WEEKS_NAME))


def weekly_runs_for(instance: dg.DagsterInstance, week: str) -> list[dg.DagsterRun]:
    """Runs of weekly_report_job for `week`, in any status."""
    return list(instance.get_runs(filters=dg.RunsFilter(job_name=WEEKLY_JOB, tags={"dagster/partition": week}),
                                  limit=1))


def is_warehouse_job(job_name: str) -> bool:
    return job_name in (REFRESH_JOB, WEEKLY_JOB) or job_name.startswith(IMPLICIT_ASSET_JOB_PREFIX)


def unfinished_runs(instance: dg.DagsterInstance) -> list[dg.DagsterRun]:
    """Runs of this code location's jobs (and asset-graph runs) that are queued or in progress."""
    runs = instance.get_runs(filters=dg.RunsFilter(statuses=UNFINISHED_STATUSES))
    return [run for run in runs if is_warehouse_job(run.job_name)]


@dataclass
class InboxDecision:
    cursor: str
    run_key: str | None = None
    job_name: str | None = None
    partition_key: str | None = None
    files: list[str] = field(default_factory=list)
    skip_reason: str | None = None


def _names(names: Iterable[str], limit: int = 5) -> str:
    names = list(names)
    shown = ", ".join(names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


def decide_inbox(
    inbox: Path,
    cursor_json: str | None,
    now: float,
    busy: Callable[[], list[dg.DagsterRun]],
    week: str | None,
    quiet_seconds: float = QUIET_SECONDS,
    unbuilt_week: Callable[[], str | None] = lambda: None,
) -> InboxDecision:
    """One sensor check: request a run for the files that are ready, or say why not.

    `busy` lists the unfinished warehouse runs; while there are any, nothing is requested and
    ready files stay pending in the cursor, so they are picked up once the run has finished.
    `week` is the weekly partition to rebuild (None: refresh_job, no weekly report).
    `unbuilt_week` gives the latest ended week with data that no weekly_report_job run exists
    for (None: there is none); with no file to take, that week's report is requested.
    """
    cursor = InboxCursor.from_json(cursor_json)
    if not inbox.is_dir():
        return InboxDecision(cursor=cursor.to_json(), skip_reason=f"Inbox folder not found: {inbox}")
    scan = scan_inbox(inbox, cursor, now, quiet_seconds)
    if not scan.ready:
        reason = (f"Waiting for {len(scan.waiting)} new or changed file(s) to stay unchanged for a minute: "
                  f"{_names(scan.waiting)}"
                  if scan.waiting else "No new or changed files in the inbox")
        if not scan.waiting:
            new_week = unbuilt_week()
            if new_week is not None:
                runs = busy()
                if runs:
                    reason = (f"The report of week {new_week} waits for run {runs[0].run_id[:8]} of "
                              f"{runs[0].job_name} ({runs[0].status.value}) to finish")
                else:
                    return InboxDecision(cursor=scan.cursor.to_json(), run_key=f"week {new_week}",
                                         job_name=WEEKLY_JOB, partition_key=new_week)
        return InboxDecision(cursor=scan.cursor.to_json(), skip_reason=reason)
    runs = busy()
    if runs:
        run = runs[0]
        return InboxDecision(
            cursor=scan.cursor.to_json(),
            skip_reason=(f"{len(scan.ready)} new file(s) ({_names(f.name for f in scan.ready)}) wait for run "
                         f"{run.run_id[:8]} of {run.job_name} ({run.status.value}) to finish"),
        )
    return InboxDecision(
        cursor=scan.cursor_after_request().to_json(),
        run_key=run_key_for(scan.ready),
        job_name=WEEKLY_JOB if week else REFRESH_JOB,
        partition_key=week,
        files=[f.name for f in scan.ready],
    )


# --- Dagster objects -------------------------------------------------------------------------


def _keys(asset) -> set[dg.AssetKey]:
    """An AssetsDefinition's keys, or an AssetSpec's key."""
    return set(asset.keys) if hasattr(asset, "keys") else {asset.key}


def _weekly_asset(assets: Sequence):
    for asset in assets:
        if WEEKLY_KEY in _keys(asset):
            return asset
    raise ValueError(f"no {WEEKLY_KEY.to_user_string()} asset among the assets")


def weekly_partitions_of(assets: Sequence) -> dg.PartitionsDefinition:
    """The weekly report's partitions, as defined on the asset (the weeks with data)."""
    return _weekly_asset(assets).partitions_def


def weekly_timezone_of(assets: Sequence) -> str:
    """The program's time zone, as the weekly report asset records it in its metadata."""
    asset = _weekly_asset(assets)
    metadata = asset.specs_by_key[WEEKLY_KEY].metadata if hasattr(asset, "specs_by_key") else {}
    value = metadata.get(TIMEZONE_METADATA, DEFAULT_TIMEZONE)
    return str(getattr(value, "value", value))


def build_jobs(assets: Sequence) -> "tuple[AssetJob, AssetJob]":
    """refresh_job (every unpartitioned asset) and weekly_report_job (those plus the weekly report).

    Built from the asset list, so assets added later join the right job without changes here.
    """
    weekly = weekly_partitions_of(assets)
    partitioned = [key for a in assets if a.partitions_def is not None for key in _keys(a)]
    other_partitions = [key for a in assets if a.partitions_def not in (None, weekly) for key in _keys(a)]
    refresh_job = dg.define_asset_job(
        REFRESH_JOB,
        selection=dg.AssetSelection.all() - dg.AssetSelection.assets(*partitioned),
        description="Read the inbox and rebuild every unpartitioned asset: warehouse tables, metrics, "
                    "council and data-quality reports, the index.",
    )
    weekly_report_job = dg.define_asset_job(
        WEEKLY_JOB,
        selection=dg.AssetSelection.all() - dg.AssetSelection.assets(*other_partitions),
        description="Everything refresh_job does, then the weekly operations report of one week and the index.",
    )
    return refresh_job, weekly_report_job


def build_weekly_schedule(weekly_report_job: "AssetJob", tz: str):
    """Monday 06:00 in the program's time zone `tz`: the latest week with data that has ended."""

    @dg.schedule(
        name=WEEKLY_SCHEDULE,
        job=weekly_report_job,
        cron_schedule="0 6 * * 1",
        execution_timezone=tz,
        default_status=dg.DefaultScheduleStatus.RUNNING,
        description="Monday 06:00 local: read the inbox, rebuild everything and the report of the latest "
                    "week with data that has ended.",
    )
    def weekly_refresh_schedule(context: dg.ScheduleEvaluationContext):
        at = context.scheduled_execution_time or datetime.now(timezone.utc)
        week = week_just_ended(registered_weeks(context.instance), at, tz)
        if week is None:
            return dg.SkipReason("No week with data has ended yet (a run registers the weeks with data).")
        return dg.RunRequest(run_key=f"{at.date().isoformat()} week {week}", job_name=WEEKLY_JOB,
                             partition_key=week)

    return weekly_refresh_schedule


def build_inbox_sensor(
    jobs: Sequence["AssetJob"],
    tz: str = DEFAULT_TIMEZONE,
    clock: Callable[[], float] = time.time,
) -> dg.SensorDefinition:
    """The inbox sensor; the inbox is HeartSettings.inbox, the same resource the assets read."""

    @dg.sensor(
        name=INBOX_SENSOR,
        jobs=list(jobs),
        minimum_interval_seconds=SENSOR_INTERVAL_SECONDS,
        default_status=dg.DefaultSensorStatus.RUNNING,
        description="A run when a new or changed .csv/.csv.gz export has landed in the inbox and stopped "
                    "changing, or when a run brought in a newer week with data; waits while another run "
                    "is queued or in progress.",
    )
    def inbox_sensor(context: dg.SensorEvaluationContext, heart_settings: HeartSettings) -> dg.SensorResult:
        now = clock()
        week = week_just_ended(registered_weeks(context.instance), datetime.fromtimestamp(now, timezone.utc), tz)
        decision = decide_inbox(
            Path(heart_settings.inbox), context.cursor, now,
            busy=lambda: unfinished_runs(context.instance),
            week=week,
            unbuilt_week=lambda: week if week is not None and not weekly_runs_for(context.instance, week) else None,
        )
        if decision.run_key is None:
            return dg.SensorResult(skip_reason=decision.skip_reason, cursor=decision.cursor)
        trigger = "inbox" if decision.files else "new week"
        context.log.info(f"{decision.job_name} for {_names(decision.files) or 'week ' + str(decision.partition_key)}")
        request = dg.RunRequest(
            run_key=decision.run_key, job_name=decision.job_name, partition_key=decision.partition_key,
            tags={"heart/trigger": trigger,
                  **({"heart/files": _names(decision.files, limit=20)} if decision.files else {})},
        )
        return dg.SensorResult(run_requests=[request], cursor=decision.cursor)

    return inbox_sensor


@dataclass
class Automation:
    jobs: list
    schedules: list
    sensors: list


def build_automation(assets: Sequence, clock: Callable[[], float] = time.time) -> Automation:
    refresh_job, weekly_report_job = build_jobs(assets)
    tz = weekly_timezone_of(assets)
    return Automation(
        jobs=[refresh_job, weekly_report_job],
        schedules=[build_weekly_schedule(weekly_report_job, tz)],
        sensors=[build_inbox_sensor([weekly_report_job, refresh_job], tz, clock)],
    )
