"""Assets that make the warehouse explain itself: the catalog comments and the data dictionary.

warehouse/catalog_comments sets a COMMENT on every table and column
(pipeline/warehouse/catalog.py, from sql/catalog/*.sql and pipeline/ingest/contract.py). Most
tables are rebuilt with CREATE OR REPLACE, which drops comments, so it runs
after the last assets that create tables, and its blocking check stops
anything downstream (publishing the warehouse, the data dictionary) while a
table or column is left without one. reports/data_dictionary renders the
catalog as <reports>/dictionary/data-dictionary.html.

No `from __future__ import annotations` here: Dagster inspects the context
parameter's annotation at definition time and needs the real class.
"""

from pathlib import Path

import dagster as dg
from dagster_duckdb import DuckDBResource

from pipeline import checks
from pipeline.warehouse import catalog
from pipeline.defs.keys import CATALOG_KEY, DICTIONARY_KEY, PUBLISH, REPORTS, TABLE_BUILDERS
from pipeline.defs.resources import HeartSettings, warehouse
from pipeline.reports import build, dictionary

# The catalog check's name (sql/checks/catalog_comments/), as tests and run summaries refer to it.
(CHECK_NAME,) = [check.name for check in checks.load_checks("catalog_comments")]



@dg.asset(
    key=CATALOG_KEY,
    group_name=PUBLISH,
    deps=TABLE_BUILDERS,
    description="A COMMENT on every table and column of the warehouse (sql/catalog/*.sql, pipeline/ingest/contract.py).",
    # sql/checks/catalog_comments/: blocking, so nothing is published with a table or column left unexplained.
    check_specs=checks.check_specs("catalog_comments"),
)
def catalog_comments(duckdb: DuckDBResource):
    """Apply the catalog comments after every table is built; check that none is missing."""
    with warehouse(duckdb) as con:
        result = catalog.apply_comments(con)
        outcomes = checks.run_checks(con, "catalog_comments", catalog.check_params())
    yield dg.MaterializeResult(
        metadata={"comments_applied": result.applied, "comments_skipped": len(result.skipped),
                  "skipped": "\n".join(result.skipped) or "none"},
    )
    yield from (outcome.result() for outcome in outcomes)


@dg.asset(
    key=DICTIONARY_KEY,
    group_name=REPORTS,
    deps=[CATALOG_KEY],
    description="Data dictionary (analysts): every table and column with its meaning, type and row count, "
                "reports/dictionary/data-dictionary.html.",
)
def data_dictionary(duckdb: DuckDBResource, heart_settings: HeartSettings) -> dg.MaterializeResult:
    built_at = build.now_in(heart_settings.load_program().timezone)
    with warehouse(duckdb) as con:
        path = dictionary.write_dictionary(con, Path(heart_settings.reports), built_at)
    return dg.MaterializeResult(metadata={"file": dg.MetadataValue.path(str(path))})


CATALOG_ASSETS = [catalog_comments, data_dictionary]
