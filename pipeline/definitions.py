"""The Dagster code location: `dg dev` serves it, `dg check defs` validates it."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import dagster as dg

from pipeline.defs import catalog, impact, ingest, metrics, open_data, publish, reports, scenarios, validate
from pipeline.defs.automation import build_automation
from pipeline.defs.resources import resources_for
from pipeline.program import load_program
from pipeline.settings import Settings

# Everything up to metric_values: the same for every program configuration.
DATA_ASSETS = [
    ingest.inbox_files,
    validate.validated_rows,
    validate.cad_incidents_and_assignments,
    validate.heart_responses,
    metrics.program_config,
    *metrics.MART_ASSETS,
    metrics.metric_values,
]


def all_assets(settings: Settings) -> list:
    """Data assets, expansion scenarios, impact estimates, catalog comments, reports (weekly partitions from the program's launch week),
    open-data exports, and publishing the analysts' warehouse."""
    return [
        *DATA_ASSETS,
        *scenarios.SCENARIO_ASSETS,
        *impact.IMPACT_ASSETS,
        *catalog.CATALOG_ASSETS,
        *reports.report_assets(load_program(settings.program)),
        *open_data.OPEN_DATA_ASSETS,
        publish.warehouse_published,
    ]


# Where `dg dev` finds the department's folders: environment variables, which `dg dev` also reads
# from a `.env` file in the project folder (see docs/operations.md). Unset: Settings' defaults.
ENVIRONMENT_PATHS = {
    "HEART_INBOX": "inbox",
    "HEART_WAREHOUSE": "warehouse",
    "HEART_REPORTS": "reports",
    "HEART_PROGRAM": "program",
    "HEART_PROFILES": "profiles",
    "HEART_SCENARIOS": "scenarios",
}


def settings_from_environment(environ: Mapping[str, str] = os.environ) -> Settings:
    """Settings with the paths given by HEART_INBOX, HEART_WAREHOUSE, HEART_REPORTS, HEART_PROGRAM, HEART_PROFILES,
    HEART_SCENARIOS.

    A relative path is relative to the folder `dg dev` runs in (the project folder); `~` is expanded.
    """
    return Settings().with_paths(**{
        field: Path(environ[name]).expanduser() for name, field in ENVIRONMENT_PATHS.items() if environ.get(name)
    })


def build_definitions(settings: Settings | None = None) -> dg.Definitions:
    """Assets, resources, and the jobs, Monday schedule and inbox sensor built from those assets.

    Every run executes its steps one after another in one process: DuckDB allows one writer,
    and the warehouse is opened by nearly every step. (Runs themselves are kept from overlapping by
    the inbox sensor and by dagster.yaml's one-run-at-a-time limit; see docs/operations.md.)
    """
    settings = settings or Settings()
    asset_defs = all_assets(settings)
    automation = build_automation(asset_defs)
    return dg.Definitions(
        assets=asset_defs,
        jobs=automation.jobs,
        schedules=automation.schedules,
        sensors=automation.sensors,
        resources=resources_for(settings),
        executor=dg.in_process_executor,
    )


ALL_ASSETS = all_assets(Settings())
defs = build_definitions(settings_from_environment())
