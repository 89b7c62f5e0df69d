"""The publish group: the analysts' warehouse file, a snapshot of the working file.

`warehouse/published` copies the working DuckDB file (the `duckdb` resource)
onto the published path (HeartSettings.warehouse) atomically; the logic is in
pipeline/warehouse/publish.py, its SQL in sql/publish/, its check (the copy holds
what the working file holds) in sql/checks/published/. It depends on the catalog
comments and the last data assets, so Dagster skips it when any of them failed
or a blocking check stopped them: a failed run publishes nothing and the
analysts keep the last good file. `heart run` materialises it last, once every other step and check
of the run has passed (pipeline/cli/run.py).

No `from __future__ import annotations` here: Dagster inspects the context
parameter's annotation at definition time and needs the real class.
"""

from pathlib import Path

import dagster as dg
from dagster_duckdb import DuckDBResource

from pipeline import checks
from pipeline.warehouse import publish
from pipeline.defs.keys import CATALOG_KEY, PUBLISH, PUBLISHED_KEY, TABLE_BUILDERS
from pipeline.defs.resources import HeartSettings, connection

# After the catalog comments (whose blocking check stops publishing while a table or column has
# none), and after the last assets that build tables, which the catalog comments follow too:
# listed as well so the order holds in any graph, with or without the catalog asset.
PUBLISH_INPUTS = [CATALOG_KEY, *TABLE_BUILDERS]


@dg.asset(
    key=PUBLISHED_KEY, group_name=PUBLISH, deps=PUBLISH_INPUTS,
    description=(
        "The analysts' warehouse file: the working file (kept in DuckDB storage format "
        f"{publish.STORAGE_VERSION}) checkpointed and copied whole, comments included, checked against "
        "the working file and renamed into place atomically. Open it read-only."
    ),
    # sql/checks/published/: run on the copy before the rename; a failure raises, so the asset fails
    # and the analysts keep the last good file.
    check_specs=checks.check_specs(publish.CHECKS),
)
def warehouse_published(
    context: dg.AssetExecutionContext, duckdb: DuckDBResource, heart_settings: HeartSettings
) -> dg.MaterializeResult:
    # The resource's own connection: the working file is open once in this process, with one config.
    with connection(duckdb) as con:
        result = publish.publish(con, Path(heart_settings.warehouse))
    context.log.info(f"Published {result.path} ({result.tables} tables, {result.rows} rows) by {result.method}")
    if result.method != publish.FILE_COPY:
        context.log.warning(f"Published by {result.method}: slower than a file copy; see pipeline/warehouse/publish.py")
    return dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(str(result.path)),
            "storage_version": result.storage_version,
            "tables": result.tables,
            "rows": result.rows,
            "bytes": result.bytes,
            "method": result.method,
        },
        # Every check passed (publish raises on a failure): the same figures pipeline.checks gives.
        check_results=[outcome.result() for outcome in result.checks],
    )
