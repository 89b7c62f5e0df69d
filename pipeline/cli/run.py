"""Running the whole asset graph in-process through Dagster: what `heart run` and the tests call.

Two runs, because the weekly report is partitioned by week and which week to
build is known only once the data is in: first everything unpartitioned (ingest
→ validation → marts → metric_values → council dashboards, data-quality
report), then one run per requested week for the weekly report and the index.
By default that is the latest week the data covers in full.

All of them build into the working file (settings.working). Last, when every
step and every check of those runs passed, one more run materialises
`warehouse/published`: the working file is copied onto the analysts' file
(settings.warehouse) atomically. A run that failed anywhere publishes nothing,
so analysts keep the last good snapshot.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import dagster as dg

from pipeline import warehouse
from pipeline.definitions import all_assets
from pipeline.defs import publish as publish_defs, reports as report_defs
from pipeline.defs.resources import resources_for
from pipeline.metrics import values
from pipeline.metrics.weeks import latest_week_of, weeks_with_data
from pipeline.settings import Settings

FILE_LOADS_KEY = dg.AssetKey("file_loads")
WEEK_RUN_KEYS = [report_defs.WEEKLY_KEY, report_defs.INDEX_KEY]
# Dagster's own event log is for `dg dev`; on a terminal the run summary says it all.
QUIET = {"loggers": {"console": {"config": {"log_level": "CRITICAL"}}}}


class WeekOutOfRange(Exception):
    """A week asked for with --week has no data; the message names the data's range."""


@dataclass
class RunOutcome:
    results: list[dg.ExecuteInProcessResult] = field(default_factory=list)
    weeks: list[date] = field(default_factory=list)
    # A failure outside any step (e.g. Dagster refusing a run), one line; None when there was none.
    error: str | None = None

    @property
    def success(self) -> bool:
        return bool(self.results) and all(r.success for r in self.results) and self.error is None

    @property
    def ok(self) -> bool:
        """Every step and check passed, some new file was read, and the analysts' file was replaced."""
        return self.success and not self.failed_checks and self.refused_files is None and self.published

    @property
    def events(self):
        return [event for result in self.results for event in result.all_events]

    def _failed_evaluations(self):
        return [e.asset_check_evaluation_data for e in self.events
                if e.event_type_value == "ASSET_CHECK_EVALUATION" and not e.asset_check_evaluation_data.passed]

    @property
    def failed_checks(self) -> list[str]:
        """`asset:check` for every asset check that did not pass, blocking or not."""
        return [f"{c.asset_key.to_user_string()}:{c.check_name}" for c in self._failed_evaluations()]

    @property
    def failed_check_details(self) -> list[tuple[str, str]]:
        """(`asset:check`, its description and figures on one line) for every check that did not pass."""
        return [(f"{c.asset_key.to_user_string()}:{c.check_name}", check_detail(c))
                for c in self._failed_evaluations()]

    @property
    def refused_files(self) -> list[str] | None:
        """The new files of this run when every one of them was refused (unreadable); None otherwise."""
        for result in self.results:
            for event in result.get_asset_materialization_events():
                materialization = event.step_materialization_data.materialization
                if event.asset_key != FILE_LOADS_KEY or materialization is None:
                    continue
                metadata = {k: getattr(v, "value", v) for k, v in materialization.metadata.items()}
                if metadata.get("every_new_file_refused"):
                    names = str(metadata.get("files_refused", ""))
                    return sorted(n for n in names.split(", ") if n and n != "none")
        return None

    @property
    def published(self) -> bool:
        """Whether this run replaced the analysts' file."""
        return any(
            e.asset_key == publish_defs.PUBLISHED_KEY
            for result in self.results for e in result.get_asset_materialization_events()
        )


def check_detail(evaluation) -> str:
    """A failed check's description and metadata figures, on one line."""
    parts = [evaluation.description] if evaluation.description else []
    figures = []
    for name, value in (evaluation.metadata or {}).items():
        shown = getattr(value, "value", value)
        figures.append(f"{name} {shown}")
    if figures:
        parts.append("(" + ", ".join(figures) + ")")
    return " ".join(" ".join(parts).split())


def _materialize(assets, instance, outcome: RunOutcome, **kwargs) -> bool:
    """One in-process run; a failure Dagster raises instead of reporting becomes outcome.error."""
    try:
        result = dg.materialize(assets, instance=instance, raise_on_error=False, run_config=QUIET, **kwargs)
    except Exception as exc:  # noqa: BLE001 - Dagster refusing a run is reported, not a traceback
        outcome.error = f"{type(exc).__name__}: {' '.join(str(exc).split())[:300]}"
        return False
    outcome.results.append(result)
    return result.success


def data_weeks(settings: Settings) -> tuple[list[date], date | None, date | None]:
    """The weeks (Mondays) the working file's metric_values holds, and its first and last day with data."""
    with warehouse.connect(settings.working) as con:
        first, last = values.data_range(con)
        return (weeks_with_data(con) if last is not None else []), first, last


def out_of_range_message(weeks: list[date], asked: list[date], first: date | None, last: date | None) -> str:
    missing = ", ".join(w.isoformat() for w in asked if w not in weeks)
    if last is None:
        return f"no data for the week starting {missing}: the warehouse holds no program days yet"
    return (f"no data for the week starting {missing}: the data runs from {first} to {last} "
            f"(weeks {weeks[0]} to {weeks[-1]})" if weeks else
            f"no data for the week starting {missing}: the data runs from {first} to {last}")


def run_pipeline(settings: Settings, weeks: list[date] | None = None, all_weeks: bool = False,
                 instance: dg.DagsterInstance | None = None) -> RunOutcome:
    """Materialise every asset; weekly reports for `weeks`, every week with data, or the latest week.

    The weekly report's partitions are the weeks with data (report_defs.WEEKS), registered on the
    run's Dagster instance from the working file once metric_values is built. A week in `weeks`
    that has no data raises WeekOutOfRange after the load, before any report (nothing is published).
    """
    assets = all_assets(settings)
    resources = resources_for(settings)
    unpartitioned = [key for a in assets if a.partitions_def is None for key in a.keys
                     if key not in (report_defs.INDEX_KEY, publish_defs.PUBLISHED_KEY)]
    outcome = RunOutcome()
    own_instance = instance is None
    instance = instance or dg.DagsterInstance.ephemeral()
    try:
        if not _materialize(assets, instance, outcome, selection=unpartitioned, resources=resources):
            return outcome
        known, first, last = data_weeks(settings)
        report_defs.register_weeks(instance, known)
        if all_weeks:
            weeks = known
        elif weeks:
            if any(w not in known for w in weeks):
                raise WeekOutOfRange(out_of_range_message(known, weeks, first, last))
        else:
            weeks = [latest_week_of(known, first, last)] if known else []
        for week in weeks:
            outcome.weeks.append(week)
            _materialize(assets, instance, outcome, selection=WEEK_RUN_KEYS, partition_key=week.isoformat(),
                         resources=resources)
        if not weeks:
            # No week with data: the index still lists the other reports.
            _materialize(assets, instance, outcome, selection=[report_defs.INDEX_KEY], resources=resources)
        # A run whose every new file was refused publishes nothing: there is nothing new to give analysts.
        if outcome.success and not outcome.failed_checks and outcome.refused_files is None:
            _materialize(assets, instance, outcome, selection=[publish_defs.PUBLISHED_KEY], resources=resources)
        return outcome
    finally:
        if own_instance:
            instance.dispose()
