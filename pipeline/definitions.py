"""The Dagster code location: `dg dev` serves it, `dg check defs` validates it."""

from __future__ import annotations

import dagster as dg

from pipeline.defs import assets, metrics_assets, report_assets
from pipeline.defs.resources import resources_for
from pipeline.program import load_program
from pipeline.settings import Settings

# Everything up to metric_values: the same for every program configuration.
DATA_ASSETS = [
    assets.inbox_files,
    assets.validated_rows,
    assets.cad_canonical,
    assets.heart_responses,
    metrics_assets.program_config,
    *metrics_assets.MART_ASSETS,
    metrics_assets.metric_values,
]


def all_assets(settings: Settings) -> list:
    """Data assets plus the reports, whose weekly partitions start at the program's launch week."""
    return [*DATA_ASSETS, *report_assets.report_assets(load_program(settings.program))]


def build_definitions(settings: Settings | None = None) -> dg.Definitions:
    settings = settings or Settings()
    return dg.Definitions(assets=all_assets(settings), resources=resources_for(settings))


ALL_ASSETS = all_assets(Settings())
defs = build_definitions()
