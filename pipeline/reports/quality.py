"""The data-quality report: what was loaded, what was quarantined and why, for staff and analysts.

One static page, <reports>/quality/data-quality.html, covering every file in
the warehouse: per file, rows read / accepted / quarantined and whether they
reconcile (read = accepted + quarantined); the quarantine reasons with
counts; the quarantined share per export date and source (a chart with its
table); the codes a source profile's lookup did not know, so the profile can
be fixed; and the files that could not be read, with the reason.

Privacy: the quarantine holds values as the files wrote them, and some
columns describe people. The report never lists records (no row numbers, no
per-row values). It shows an example value only for the contract's fixed-code
columns (call type, disposition, discipline, unit, contact mode, outcome) and
for times that would not parse; the SQL returns no value for any other
column. Even those are quoted only when they look like a code (or a time):
one short token, no space, no phone-like digits (pipeline/disclosure/redaction.py);
otherwise the page says how many distinct values and rows. Every string from
input is escaped by the template's autoescape.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import duckdb

from pipeline import config_fit
from pipeline.disclosure.redaction import code_columns, counted, looks_like_code, looks_like_phone, mask_phones, quotable
from pipeline.program import ProgramConfig
from pipeline.reports import charts, render
from pipeline.warehouse.sqlfiles import query_sql_file
from pipeline.warehouse import has_table

REPORT_FILE = "quality/data-quality.html"
TITLE = "Data quality: files loaded and rows quarantined"
KIND_NAMES = {"cad": "CAD", "heart": "HEART"}
MAX_VALUE_CHARS = 40
MAX_ERROR_CHARS = 300
HIDDEN_PHONE = "(hidden: looks like a phone number)"
HIDDEN_TEXT = "(hidden: not a code)"



def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def shown_value(value: str | None) -> str:
    """A code as the report may show it: as written when it looks like a code, else hidden
    (pipeline/disclosure/redaction.py)."""
    if value is None or not value.strip():
        return "(empty)"
    text = " ".join(value.split())
    if looks_like_code(text):
        return _clip(text, MAX_VALUE_CHARS)
    return HIDDEN_PHONE if looks_like_phone(text) else HIDDEN_TEXT


def shown_error(error: str | None) -> str:
    """An unreadable file's reason, one line, phone-like numbers masked, capped in length."""
    if not error:
        return ""
    return _clip(mask_phones(" ".join(error.split())), MAX_ERROR_CHARS)


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _kind_name(kind: str | None) -> str:
    return "(no profile)" if kind is None else KIND_NAMES.get(kind, kind)


@dataclass
class Totals:
    """Files and rows over a set of files: the headline, or one source's line."""

    label: str
    key: str
    files: int = 0
    loaded: int = 0
    unreadable: int = 0
    rows_read: int = 0
    rows_accepted: int = 0
    rows_quarantined: int = 0
    not_reconciling: int = 0

    @property
    def share(self) -> float | None:
        return _share(self.rows_quarantined, self.rows_read)

    @property
    def reconciles(self) -> bool:
        return self.not_reconciling == 0

    def add(self, f: dict) -> None:
        self.files += 1
        self.loaded += f["status"] == "loaded"
        self.unreadable += f["status"] == "unreadable"
        self.rows_read += f["rows_read"]
        self.rows_accepted += f["rows_accepted"]
        self.rows_quarantined += f["rows_quarantined"]
        self.not_reconciling += not f["reconciles"]


def _files(con: duckdb.DuckDBPyConnection) -> list[dict]:
    files = query_sql_file(con, "reports/quality_files.sql")
    for f in files:
        f["kind_name"] = _kind_name(f["kind"])
        f["share"] = _share(f["rows_quarantined"], f["rows_read"])
        f["error_text"] = shown_error(f["error"])
    return files


def _sources(files: list[dict]) -> list[Totals]:
    kinds = sorted({f["kind"] for f in files}, key=lambda k: (k is None, k not in KIND_NAMES, k or ""))
    sources = []
    for kind in kinds:
        totals = Totals(_kind_name(kind), kind or "none")
        for f in files:
            if f["kind"] == kind:
                totals.add(f)
        sources.append(totals)
    return sources


def _trend_chart(con: duckdb.DuckDBPyConnection) -> charts.Chart | None:
    """Quarantined share per export date, one line per source kind, with the counts behind it."""
    points = query_sql_file(con, "reports/quality_trend.sql")
    if not points:
        return None
    dates = sorted({p["export_as_of"] for p in points})
    kinds = sorted({p["kind"] for p in points}, key=lambda k: (k not in KIND_NAMES, k))
    by_key = {(p["export_as_of"], p["kind"]): p for p in points}
    series = []
    for kind in kinds:
        values = []
        for d in dates:
            p = by_key.get((d, kind))
            values.append(None if p is None else _share(int(p["rows_quarantined"]), int(p["rows_read"])))
        series.append((_kind_name(kind), values))
    columns = ["Export date"]
    for kind in kinds:
        name = _kind_name(kind)
        columns += [f"{name} rows read", f"{name} quarantined", f"{name} share"]
    rows = []
    for d in dates:
        row = [d.isoformat()]
        for kind in kinds:
            p = by_key.get((d, kind))
            if p is None:
                row += ["\u2014", "\u2014", "\u2014"]
            else:
                read, quarantined = int(p["rows_read"]), int(p["rows_quarantined"])
                row += [render.fmt_count(read), render.fmt_count(quarantined),
                        render.fmt_pct(_share(quarantined, read), 2) or "\u2014"]
        rows.append(row)
    table = charts.Table(columns, rows, note="A dash: no readable file of that source for that export date. "
                                            "Files without an export date in their name are not in this chart.")
    chart = charts.line_chart(
        "quality-share-trend", "Quarantined share of rows, per export date",
        "Share of the rows read from each export that failed at least one check and were quarantined, per "
        "export date (the as-of date in the file name) and source. Gaps: no readable file of that source "
        "for that date.",
        [d.isoformat() for d in dates], series, axis_x="Export date", axis_y="Share of rows quarantined",
        # Shares here are usually well under 1%: whole-percent ticks would repeat (1%, 1%, 2%).
        percent=True, percent_digits=2, table=table,
    )
    return chart


def _reasons(con: duckdb.DuckDBPyConnection) -> list[dict]:
    reasons = query_sql_file(con, "reports/quality_reasons.sql", {"code_columns": code_columns()})
    for r in reasons:
        r["kind_name"] = _kind_name(r["kind"])
        example = quotable(r["kind"], r["column_name"], r["check_name"], r["example_value"])
        shows_value = (f"{r['kind']}.{r['column_name']}" in code_columns()
                       or r["check_name"] == "unparseable_timestamp")
        r["example_text"] = _clip(example, MAX_VALUE_CHARS) if example else ""
        # A code column's values that may not be quoted are counted instead; other columns say "not shown".
        r["example_count"] = (counted(int(r["distinct_values"]), int(r["rows_affected"]))
                              if shows_value and not example and r["distinct_values"] else "")
        del r["example_value"]
    return reasons


def _unknown_codes(con: duckdb.DuckDBPyConnection) -> list[dict]:
    """Unknown codes per column, profile and code; codes hidden or cut to the same text are merged."""
    found = query_sql_file(con, "reports/quality_unknown_codes.sql", {"code_columns": code_columns()})
    merged: dict[tuple, dict] = {}
    for r in found:
        shown = shown_value(r["code"])
        key = (r["kind"], r["column_name"], r["profile"], shown)
        entry = merged.get(key)
        if entry is None:
            merged[key] = {
                "kind": r["kind"], "kind_name": _kind_name(r["kind"]), "column_name": r["column_name"],
                "profile": r["profile"], "code_text": shown, "codes": 1, "rows": int(r["rows_affected"]),
                "file_ids": set(r["file_ids"]), "first_export": r["first_export"], "last_export": r["last_export"],
                "in_lookup": bool(r["in_lookup"]),
            }
            continue
        entry["codes"] += 1
        entry["rows"] += int(r["rows_affected"])   # one value per row and column: groups never share a row
        entry["file_ids"] |= set(r["file_ids"])
        entry["in_lookup"] = entry["in_lookup"] or bool(r["in_lookup"])
        for name, pick in (("first_export", min), ("last_export", max)):
            values = [v for v in (entry[name], r[name]) if v is not None]
            entry[name] = pick(values) if values else None
    codes = []
    for entry in merged.values():
        entry["files"] = len(entry.pop("file_ids"))
        codes.append(entry)
    return sorted(codes, key=lambda c: (-c["rows"], c["kind"], c["column_name"], c["profile"] or "", c["code_text"]))


def _data_range(files: list[dict], built_at: datetime) -> tuple[date, date]:
    """First and last export date of the files loaded (of every file if none loaded); the build day if none."""
    dates = [f["export_as_of"] for f in files if f["status"] == "loaded" and f["export_as_of"] is not None]
    dates = dates or [f["export_as_of"] for f in files if f["export_as_of"] is not None]
    if not dates:
        return built_at.date(), built_at.date()
    return min(dates), max(dates)


def build_quality_context(con: duckdb.DuckDBPyConnection, program: ProgramConfig | None = None) -> dict:
    """Everything the data-quality report shows, read from the audit and quarantine tables.

    With the program configuration, also what of it does not fit the data (pipeline/config_fit.py).
    """
    if not has_table(con, "audit", "load_audit"):
        files: list[dict] = []
    else:
        files = _files(con)
    has_quarantine = bool(files) and has_table(con, "quarantine", "rows")
    headline = Totals("All sources", "all")
    for f in files:
        headline.add(f)
    return {
        "files": files,
        "headline": headline,
        "sources": _sources(files),
        "not_reconciling": [f for f in files if not f["reconciles"]],
        "unreadable": [f for f in files if f["status"] == "unreadable"],
        "reasons": _reasons(con) if has_quarantine else [],
        "unknown_codes": _unknown_codes(con) if has_quarantine else [],
        "trend": _trend_chart(con) if files else None,
        "files_without_date": sum(1 for f in files if f["status"] == "loaded" and f["export_as_of"] is None),
        "max_value_chars": MAX_VALUE_CHARS,
        "config_fit": config_fit.check_fit(con, program) if program is not None and files else None,
        "no_heart_log": config_fit.NO_HEART_LOG,
    }


def write_quality_report(con: duckdb.DuckDBPyConnection, reports_dir: Path, built_at: datetime,
                         program: ProgramConfig | None = None) -> Path:
    """Write <reports_dir>/quality/data-quality.html; returns its path."""
    context = build_quality_context(con, program)
    if built_at.tzinfo is not None:
        # When each file was seen, in the report's (the program's) time zone rather than the session's.
        for f in context["files"]:
            if f["loaded_at"] is not None and f["loaded_at"].tzinfo is not None:
                f["loaded_at"] = f["loaded_at"].astimezone(built_at.tzinfo)
    data_from, data_to = _data_range(context["files"], built_at)
    meta = render.ReportMeta("quality", TITLE, data_from, data_to, built_at)
    return render.render_report(reports_dir, REPORT_FILE, "quality.html", meta, **context)
