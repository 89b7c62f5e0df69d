"""Assets of the reports group: weekly operations report (weekly partitions), council dashboards,
data-quality report, and the index of everything built.

Each asset opens the warehouse and calls one plain function in
pipeline/reports/; the files land in the reports folder of HeartSettings.
The weekly report is partitioned by week (Monday to Sunday in the program's
time zone, from the launch week on), so any past week can be rebuilt or
backfilled from `dg dev` without touching the others.

No `from __future__ import annotations` here: Dagster inspects the context
parameter's annotation at definition time and needs the real class.
"""

from datetime import date, timedelta
from pathlib import Path

import dagster as dg
from dagster_duckdb import DuckDBResource

from pipeline.defs.catalog_assets import DICTIONARY_KEY
from pipeline.defs.export_assets import OPEN_DATA_KEY
from pipeline.defs.resources import HeartSettings, warehouse
from pipeline.program import ProgramConfig
from pipeline.reports import build, council, index, quality, weekly

REPORTS = "reports"
REPORT_INPUTS = [dg.AssetKey(["metrics", "metric_values"]), dg.AssetKey(["metrics", "metric_definitions"])]
WEEKLY_KEY = dg.AssetKey(["reports", "weekly_operations"])
COUNCIL_KEY = dg.AssetKey(["reports", "council_dashboard"])
QUALITY_KEY = dg.AssetKey(["reports", "data_quality"])
INDEX_KEY = dg.AssetKey(["reports", "index"])


def weekly_partitions(program: ProgramConfig) -> dg.WeeklyPartitionsDefinition:
    """One partition per Monday-to-Sunday week in the program's time zone, from the launch week on.

    end_offset=0: a week becomes a partition once it has ended (Monday 00:00 local).
    """
    launch_week = program.launch_date - timedelta(days=program.launch_date.weekday())
    return dg.WeeklyPartitionsDefinition(
        start_date=launch_week.isoformat(), day_offset=1, timezone=program.timezone, fmt="%Y-%m-%d",
    )


def _built_at(heart_settings: HeartSettings):
    """Now, in the program's time zone: every report states when it was built."""
    return build.now_in(heart_settings.load_program().timezone)


def report_assets(program: ProgramConfig) -> list[dg.AssetsDefinition]:
    """The four report assets; the weekly partitions follow the program's launch date and time zone."""

    @dg.asset(
        key=WEEKLY_KEY, group_name=REPORTS, deps=REPORT_INPUTS, partitions_def=weekly_partitions(program),
        description="Weekly operations report (staff): one HTML file per week, reports/weekly/weekly-<Monday>.html.",
    )
    def weekly_operations(
        context: dg.AssetExecutionContext, duckdb: DuckDBResource, heart_settings: HeartSettings
    ) -> dg.MaterializeResult:
        week = date.fromisoformat(context.partition_key)
        reports_dir = Path(heart_settings.reports)
        with warehouse(duckdb) as con:
            path = weekly.write_weekly_report(con, reports_dir, week, _built_at(heart_settings))
        return dg.MaterializeResult(metadata={"file": dg.MetadataValue.path(str(path)), "week": week.isoformat()})

    @dg.asset(
        key=COUNCIL_KEY, group_name=REPORTS, deps=REPORT_INPUTS,
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
            path = quality.write_quality_report(con, Path(heart_settings.reports), _built_at(heart_settings))
        return dg.MaterializeResult(metadata={"file": dg.MetadataValue.path(str(path))})

    @dg.asset(
        key=INDEX_KEY, group_name=REPORTS, deps=[WEEKLY_KEY, COUNCIL_KEY, QUALITY_KEY, DICTIONARY_KEY, OPEN_DATA_KEY],
        description="reports/index.html: every report in the folder, newest first, with data range and build time.",
    )
    def report_index(heart_settings: HeartSettings) -> dg.MaterializeResult:
        reports_dir = Path(heart_settings.reports)
        path = index.write_index(reports_dir, _built_at(heart_settings))
        return dg.MaterializeResult(metadata={"file": dg.MetadataValue.path(str(path)),
                                              "reports": len(index.list_reports(reports_dir))})

    return [weekly_operations, council_dashboard, data_quality, report_index]
