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
from pipeline.defs import publish_assets, report_assets
from pipeline.defs.resources import resources_for
from pipeline.reports import weekly
from pipeline.settings import Settings

WEEK_RUN_KEYS = [report_assets.WEEKLY_KEY, report_assets.INDEX_KEY]
# Dagster's own event log is for `dg dev`; on a terminal the run summary says it all.
QUIET = {"loggers": {"console": {"config": {"log_level": "CRITICAL"}}}}


@dataclass
class RunOutcome:
    results: list[dg.ExecuteInProcessResult] = field(default_factory=list)
    weeks: list[date] = field(default_factory=list)

    @property
    def success(self) -> bool:
        return bool(self.results) and all(r.success for r in self.results)

    @property
    def events(self):
        return [event for result in self.results for event in result.all_events]

    @property
    def failed_checks(self) -> list[str]:
        """`asset:check` for every asset check that did not pass, blocking or not."""
        return [
            f"{e.asset_check_evaluation_data.asset_key.to_user_string()}:{e.asset_check_evaluation_data.check_name}"
            for e in self.events
            if e.event_type_value == "ASSET_CHECK_EVALUATION" and not e.asset_check_evaluation_data.passed
        ]

    @property
    def published(self) -> bool:
        """Whether this run replaced the analysts' file."""
        return any(
            e.asset_key == publish_assets.PUBLISHED_KEY
            for result in self.results for e in result.get_asset_materialization_events()
        )


def run_pipeline(settings: Settings, weeks: list[date] | None = None, all_weeks: bool = False) -> RunOutcome:
    """Materialise every asset; weekly reports for `weeks`, every week with data, or the latest week."""
    assets = all_assets(settings)
    resources = resources_for(settings)
    unpartitioned = [key for a in assets if a.partitions_def is None for key in a.keys
                     if key not in (report_assets.INDEX_KEY, publish_assets.PUBLISHED_KEY)]
    outcome = RunOutcome()
    first = dg.materialize(assets, selection=unpartitioned, resources=resources, raise_on_error=False,
                           run_config=QUIET)
    outcome.results.append(first)
    if not first.success:
        return outcome
    with warehouse.connect(settings.working) as con:
        if all_weeks:
            weeks = weekly.weeks_with_data(con)
        elif not weeks:
            weeks = [weekly.latest_week(con)]
    for week in weeks:
        outcome.weeks.append(week)
        outcome.results.append(dg.materialize(
            assets, selection=WEEK_RUN_KEYS, partition_key=week.isoformat(), resources=resources,
            raise_on_error=False, run_config=QUIET,
        ))
    if outcome.success and not outcome.failed_checks:
        outcome.results.append(dg.materialize(
            assets, selection=[publish_assets.PUBLISHED_KEY], resources=resources, raise_on_error=False,
            run_config=QUIET,
        ))
    return outcome
