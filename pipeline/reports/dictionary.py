"""The data dictionary: every table and column in the warehouse, by layer, with its meaning.

One static page, <reports>/dictionary/data-dictionary.html, read from the
warehouse's catalog (pipeline/warehouse/catalog.py): per layer (raw -> staging ->
quarantine -> audit -> marts -> metrics) its description, and per table or
view its comment, row count, and every column with its type and comment. The
comments are set by the Dagster asset warehouse/catalog_comments from
sql/catalog/*.sql and pipeline/ingest/contract.py; a table or column without one is
flagged on the page.

Privacy: the page shows names, types, comments and row counts only. No row
is read and no value from the data is shown; the date range in the header is
the program's days (marts.program_days), as in the other reports.
docs/data-dictionary.md is the same without row counts.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import duckdb

from pipeline.warehouse import catalog
from pipeline.metrics import values
from pipeline.reports import render
from pipeline.warehouse import has_table

REPORT_FILE = "dictionary/data-dictionary.html"
TITLE = "Data dictionary: every table and column in the warehouse"


def _data_range(con: duckdb.DuckDBPyConnection, built_at: datetime) -> tuple[date, date]:
    """The program's days the warehouse covers (launch to last day with data); the build day if none."""
    if has_table(con, "marts", "program_days"):
        first, last = values.data_range(con)
        if first is not None:
            return first, last
    return built_at.date(), built_at.date()


def build_dictionary_context(con: duckdb.DuckDBPyConnection) -> dict:
    layers = catalog.read_dictionary(con, row_counts=True)
    tables = [t for layer in layers for t in layer.tables]
    return {
        "layers": layers,
        "tables": len(tables),
        "columns": sum(len(t.columns) for t in tables),
        "missing": catalog.missing_comments(con),
    }


def write_dictionary(con: duckdb.DuckDBPyConnection, reports_dir: Path, built_at: datetime) -> Path:
    """Write <reports_dir>/dictionary/data-dictionary.html; returns its path."""
    context = build_dictionary_context(con)
    data_from, data_to = _data_range(con, built_at)
    meta = render.ReportMeta("dictionary", TITLE, data_from, data_to, built_at)
    return render.render_report(reports_dir, REPORT_FILE, "dictionary.html", meta, **context)
