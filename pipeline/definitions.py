"""The Dagster code location: `dg dev` serves it, `dg check defs` validates it."""

from __future__ import annotations

import dagster as dg

from pipeline.defs import assets, metrics_assets
from pipeline.defs.resources import resources_for
from pipeline.settings import Settings

ALL_ASSETS = [
    assets.inbox_files,
    assets.validated_rows,
    assets.cad_canonical,
    assets.heart_responses,
    metrics_assets.program_config,
    *metrics_assets.MART_ASSETS,
    metrics_assets.metric_values,
]


def build_definitions(settings: Settings | None = None) -> dg.Definitions:
    return dg.Definitions(assets=ALL_ASSETS, resources=resources_for(settings or Settings()))


defs = build_definitions()
