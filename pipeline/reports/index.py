"""The index page: every report in the reports folder, newest first, with its data range and build time.

It reads the <meta name="heart-..."> tags each report carries, so it lists
exactly the files that exist (a backfilled week appears once it is written).
Given the weeks with data and the data's first and last day (from the
warehouse), it lists only weekly reports of weeks with data, and states the
data's range rather than the span of whatever files are in the folder: a
report of a week the data does not reach is never listed.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime
from pathlib import Path

from pipeline.reports import render
from pipeline.vocabulary import OPEN_DATA_DIR

INDEX_FILE = "index.html"
SECTIONS = (
    ("council", "Council budget dashboards", "Public: aggregates only, small counts suppressed."),
    ("weekly", "Weekly operations reports", "Department staff: one report per week (Monday to Sunday, local time)."),
    ("quality", "Data quality", "Department staff and analysts: what was loaded and what was quarantined."),
    ("dictionary", "Data dictionary",
     "Analysts: every table and column in the warehouse with its meaning, type and row count (no data values)."),
)


def list_reports(reports_dir: Path) -> list[tuple[Path, render.ReportMeta]]:
    """Every report file under reports_dir with its metadata, newest data first, then newest build."""
    found = []
    for path in sorted(reports_dir.glob("*/*.html")):
        meta = render.read_meta(path)
        if meta is not None:
            found.append((path, meta))
    return sorted(found, key=lambda item: (item[1].data_to, item[1].data_from, item[1].built_at), reverse=True)


def write_index(reports_dir: Path, built_at: datetime, weeks: Collection[date] | None = None,
                data_range: tuple[date | None, date | None] | None = None) -> Path:
    """index.html; `weeks`: list only the weekly reports of these weeks; `data_range`: the range to state."""
    reports = list_reports(reports_dir)
    if weeks is not None:
        reports = [(p, m) for p, m in reports if m.kind != "weekly" or m.data_from in weeks]
    sections = []
    for kind, heading, audience in SECTIONS:
        entries = [
            {"href": path.relative_to(reports_dir).as_posix(), "meta": meta}
            for path, meta in reports if meta.kind == kind
        ]
        sections.append({"kind": kind, "heading": heading, "audience": audience, "entries": entries})
    data_from = min((m.data_from for _, m in reports), default=built_at.date())
    data_to = max((m.data_to for _, m in reports), default=built_at.date())
    if data_range is not None and data_range[0] is not None and data_range[1] is not None:
        data_from, data_to = data_range
    meta = render.ReportMeta("index", "HEART reports", data_from, data_to, built_at)
    # The open-data files are not HTML reports; list them so a reader finds them.
    open_data = sorted(p.relative_to(reports_dir).as_posix() for p in (reports_dir / OPEN_DATA_DIR).glob("*")
                       if p.is_file()) if (reports_dir / OPEN_DATA_DIR).is_dir() else []
    return render.render_report(reports_dir, INDEX_FILE, "index.html", meta, sections=sections,
                                total=len(reports), open_data=open_data)
