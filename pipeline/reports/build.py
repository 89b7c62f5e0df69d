"""Build every report from a warehouse connection: the plain-function path the tests and `heart run` share.

The Dagster assets in pipeline/defs/reports.py call the same
per-report functions one asset each; this module strings them together for
callers outside Dagster (tests, benchmarks).
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb

from pipeline.program import ProgramConfig


def now_in(timezone: str) -> datetime:
    """The build time, in the program's local time zone (reports state when they were built)."""
    return datetime.now(ZoneInfo(timezone)).replace(microsecond=0)


def build_all_reports(
    con: duckdb.DuckDBPyConnection, reports_dir: Path, program: ProgramConfig, *,
    weeks: list[date] | None = None, built_at: datetime | None = None, threshold: int | None = None,
) -> list[Path]:
    """Write the weekly report(s), council dashboards, data-quality report, data dictionary and index; returns the files.

    The data dictionary shows the comments the warehouse has; pipeline.warehouse.catalog.apply_comments sets them
    (in Dagster, the asset warehouse/catalog_comments, which runs before it).
    """
    from pipeline.reports import council, dictionary, index, quality, weekly
    from pipeline.disclosure.suppression import DEFAULT_THRESHOLD
    from pipeline.metrics.weeks import latest_week

    built_at = built_at or now_in(program.timezone)
    written: list[Path] = []
    for week in weeks if weeks is not None else [latest_week(con)]:
        written.append(weekly.write_weekly_report(con, reports_dir, week, built_at))
    written.extend(council.write_council_dashboards(
        con, reports_dir, program, built_at, threshold=threshold or DEFAULT_THRESHOLD))
    written.append(quality.write_quality_report(con, reports_dir, built_at))
    written.append(dictionary.write_dictionary(con, reports_dir, built_at))
    written.append(index.write_index(reports_dir, built_at))
    return written
