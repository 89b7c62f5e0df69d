"""The open-data files as an asset (of the reports group): CSV and Parquet in `<reports>/open-data/`.

One plain function (pipeline.open_data.write_open_data) does the work; see that
module for what is published and how small counts are suppressed. Its
suppression is planned around the council dashboard's (both are public), so
it uses the same threshold and program configuration as the council asset.

No `from __future__ import annotations` here: Dagster inspects the context
parameter's annotation at definition time and needs the real class.
"""

from pathlib import Path

import dagster as dg
from dagster_duckdb import DuckDBResource

from pipeline.defs.keys import METRIC_DEFINITIONS_KEY, METRIC_VALUES_KEY, OPEN_DATA_KEY, REPORTS
from pipeline.defs.resources import HeartSettings, warehouse
from pipeline.open_data import read_summary, write_open_data
from pipeline.vocabulary import OPEN_DATA_DIR

# metric_values is what it exports; the two marts its aggregate tables read (sql/open_data/*.sql),
# and the metric definitions (each metric's kind), are built with it.
OPEN_DATA_INPUTS = [
    METRIC_VALUES_KEY,
    METRIC_DEFINITIONS_KEY,
    dg.AssetKey(["marts", "eligible_calls"]),
    dg.AssetKey(["marts", "police_time_by_call_type"]),
]


@dg.asset(
    key=OPEN_DATA_KEY, group_name=REPORTS, deps=OPEN_DATA_INPUTS,
    description="Open data (public, small counts suppressed): metric_values and aggregate tables as CSV and "
                "Parquet with a README, in reports/open-data/.",
)
def open_data(duckdb: DuckDBResource, heart_settings: HeartSettings) -> dg.MaterializeResult:
    out_dir = Path(heart_settings.reports) / OPEN_DATA_DIR
    with warehouse(duckdb) as con:
        paths = write_open_data(con, out_dir, heart_settings.suppression_threshold,
                                program=heart_settings.load_program())
    counts = read_summary(out_dir)
    return dg.MaterializeResult(metadata={
        "folder": dg.MetadataValue.path(str(out_dir)),
        "files": [p.name for p in paths],
        "threshold": heart_settings.suppression_threshold,
        **{f"{name} rows": c["rows"] for name, c in counts.items()},
        **{f"{name} rows suppressed": c["small count"] + c["complementary"] for name, c in counts.items()},
    })


OPEN_DATA_ASSETS = [open_data]
