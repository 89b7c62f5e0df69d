"""Assets of the reports group: weekly operations report (weekly partitions), council dashboards,
data-quality report, and the index of everything built.

Each asset opens the warehouse and calls one plain function in
pipeline/reports/; the files land in the reports folder of HeartSettings.
The weekly report is partitioned by week (Monday to Sunday in the program's
time zone), so any past week can be rebuilt or backfilled from `dg dev`
without touching the others. Its partitions are the weeks WITH DATA, not the
calendar: a dynamic partitions definition (WEEKS) that every run fills from
the warehouse (the index asset registers metric_values' weeks, adding new ones
and dropping any the data no longer reaches; `heart run` does the same on its
own instance). A week the data does not reach is never a partition, never
built and never listed.

No `from __future__ import annotations` here: Dagster inspects the context
parameter's annotation at definition time and needs the real class.
"""

from datetime import date
from pathlib import Path

import dagster as dg
from dagster_duckdb import DuckDBResource

from pipeline.defs.keys import (
    COUNCIL_KEY,
    DICTIONARY_KEY,
    INDEX_KEY,
    METRIC_DEFINITIONS_KEY,
    METRIC_VALUES_KEY,
    OPEN_DATA_KEY,
    QUALITY_KEY,
    REPORTS,
    SCENARIOS_KEY,
    TIMEZONE_METADATA,
    WEEKLY_KEY,
    WEEKS_NAME,
)
from pipeline.defs.resources import HeartSettings, warehouse
from pipeline.program import ProgramConfig
from pipeline.metrics import values
from pipeline.metrics.weeks import weeks_with_data
from pipeline.reports import build, council, index, quality, weekly
from pipeline.warehouse import has_table

REPORT_INPUTS = [METRIC_VALUES_KEY, METRIC_DEFINITIONS_KEY]


# The weekly report's partitions: one key per week with data, its Monday (YYYY-MM-DD, local).
WEEKS = dg.DynamicPartitionsDefinition(name=WEEKS_NAME)


def weekly_partitions(program: ProgramConfig | None = None) -> dg.DynamicPartitionsDefinition:
    """The weeks with data (Mondays, local), registered from the warehouse by each run (register_weeks)."""
    return WEEKS


def register_weeks(instance: dg.DagsterInstance, weeks: list[date]) -> list[str]:
    """Make the weekly partitions exactly `weeks`: add the new ones, drop those the data no longer reaches."""
    wanted = [w.isoformat() for w in sorted(weeks)]
    have = set(instance.get_dynamic_partitions(WEEKS_NAME))
    new = [key for key in wanted if key not in have]
    if new:
        instance.add_dynamic_partitions(WEEKS_NAME, new)
    for key in sorted(have - set(wanted)):
        instance.delete_dynamic_partition(WEEKS_NAME, key)
    return wanted


def _built_at(heart_settings: HeartSettings):
    """Now, in the program's time zone: every report states when it was built."""
    return build.now_in(heart_settings.load_program().timezone)


def report_assets(program: ProgramConfig) -> list[dg.AssetsDefinition]:
    """The four report assets; the weekly partitions follow the program's launch date and time zone."""

    @dg.asset(
        key=WEEKLY_KEY, group_name=REPORTS, deps=REPORT_INPUTS, partitions_def=WEEKS,
        metadata={TIMEZONE_METADATA: program.timezone},
        description="Weekly operations report (staff): one HTML file per week, reports/weekly/weekly-<Monday>.html.",
    )
    def weekly_operations(
        context: dg.AssetExecutionContext, duckdb: DuckDBResource, heart_settings: HeartSettings
    ) -> dg.MaterializeResult:
        week = date.fromisoformat(context.partition_key)
        reports_dir = Path(heart_settings.reports)
        with warehouse(duckdb) as con:
            known = weeks_with_data(con)
            if week not in known:
                first, last = values.data_range(con)
                raise dg.Failure(f"no data for the week starting {week}: the data runs from {first} to {last}")
            path = weekly.write_weekly_report(con, reports_dir, week, _built_at(heart_settings),
                                              max_quarantine_share=heart_settings.max_quarantine_share)
        return dg.MaterializeResult(metadata={"file": dg.MetadataValue.path(str(path)), "week": week.isoformat()})

    @dg.asset(
        key=COUNCIL_KEY, group_name=REPORTS, deps=[*REPORT_INPUTS, SCENARIOS_KEY],
        description="Council budget dashboards (public, small counts suppressed): one per fiscal year and to date.",
    )
    def council_dashboard(duckdb: DuckDBResource, heart_settings: HeartSettings) -> dg.MaterializeResult:
        config = heart_settings.load_program()
        with warehouse(duckdb) as con:
            paths = council.write_council_dashboards(
                con, Path(heart_settings.reports), config, _built_at(heart_settings),
                threshold=heart_settings.suppression_threshold,
            )
        return dg.MaterializeResult(metadata={"files": [p.name for p in paths],
                                              "threshold": heart_settings.suppression_threshold})

    @dg.asset(
        key=QUALITY_KEY, group_name=REPORTS,
        deps=[dg.AssetKey("load_audit"), dg.AssetKey("quarantine_cad_failures"),
              dg.AssetKey("quarantine_heart_failures")],
        description="Data-quality report: per file loaded, rows read/accepted/quarantined, reasons, unknown codes.",
    )
    def data_quality(duckdb: DuckDBResource, heart_settings: HeartSettings) -> dg.MaterializeResult:
        with warehouse(duckdb) as con:
            path = quality.write_quality_report(con, Path(heart_settings.reports), _built_at(heart_settings),
                                                heart_settings.load_program())
        return dg.MaterializeResult(metadata={"file": dg.MetadataValue.path(str(path))})

    @dg.asset(
        key=INDEX_KEY, group_name=REPORTS, deps=[WEEKLY_KEY, COUNCIL_KEY, QUALITY_KEY, DICTIONARY_KEY, OPEN_DATA_KEY],
        description="reports/index.html: every report in the folder, newest first, with data range and build time. "
                    "Registers the weekly report's partitions: the weeks with data.",
    )
    def report_index(
        context: dg.AssetExecutionContext, duckdb: DuckDBResource, heart_settings: HeartSettings
    ) -> dg.MaterializeResult:
        reports_dir = Path(heart_settings.reports)
        with warehouse(duckdb) as con:
            first, last = values.data_range(con) if has_table(con, "marts", "program_days") else (None, None)
            weeks = weeks_with_data(con) if has_table(con, "metrics", "metric_values") else []
        # The weekly partitions follow the data: the sensor and schedule pick weeks from them.
        registered = register_weeks(context.instance, weeks)
        path = index.write_index(reports_dir, _built_at(heart_settings), weeks=set(weeks), data_range=(first, last))
        return dg.MaterializeResult(metadata={"file": dg.MetadataValue.path(str(path)),
                                              "reports": len(index.list_reports(reports_dir)),
                                              "data_from": str(first), "data_to": str(last),
                                              "weeks_with_data": len(registered)})

    return [weekly_operations, council_dashboard, data_quality, report_index]
