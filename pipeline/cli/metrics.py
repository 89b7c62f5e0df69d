"""`heart metrics --start --end`: every headline metric for any window, computed on demand.

Reads the warehouse read-only and computes from the marts with the same SQL
files that build metric_values, so a grant report's figure for an odd window
and the dashboard's monthly figure come from one definition.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from pipeline import metrics, warehouse
from pipeline.cli import output
from pipeline.warehouse.sqlfiles import query_sql_file

JSON_FIELDS = ("metric_id", "name", "unit", "dimension", "dimension_value", "numerator", "denominator", "value",
               "ci_low", "ci_high", "period_start", "period_end")


class WindowError(ValueError):
    """The warehouse cannot answer for this window (not built yet, or bad dates)."""


def window_rows(
    warehouse_path: Path, start: date, end: date, unit: str | None
) -> tuple[list[dict], tuple[date, date] | None]:
    """The window's headline rows, and the local days the warehouse holds data for (one connection)."""
    if end <= start:
        raise WindowError(f"--end {end} must be after --start {start} (end is exclusive)")
    if not warehouse_path.is_file():
        raise WindowError(f"no warehouse at {warehouse_path}: run `heart run` first")
    with warehouse.connect(warehouse_path, read_only=True) as con:
        if not warehouse.has_table(con, "marts", "eligible_calls"):
            raise WindowError(f"{warehouse_path} has no marts yet: run `heart run` first")
        rows = metrics.compute_window(con, start, end, unit)
        span = query_sql_file(con, "metrics/_data_range.sql")[0]
    return rows, ((span["first_day"], span["last_day"]) if span["first_day"] else None)


def _number(value: float | None, kind: str, value_unit: str) -> str:
    if value is None:
        return ""
    if kind == "rate":
        return f"{100 * value:.1f}%"
    if value_unit in ("minutes", "hours") and kind != "count":
        return f"{value:,.1f}"
    return f"{value:,.0f}"


def _whole(value):
    """Counts are stored as DOUBLE (officer-hours share the column); print 805, not 805.0."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def machine_rows(rows: list[dict]) -> list[dict]:
    return [
        {k: _whole(r[k]) if k in ("numerator", "denominator") else r[k] for k in JSON_FIELDS} for r in rows
    ]


def render(rows: list[dict], fmt: str) -> str:
    if fmt == "json":
        return output.to_json(machine_rows(rows))
    if fmt == "csv":
        return output.to_csv(machine_rows(rows), JSON_FIELDS).rstrip("\n")
    table = []
    for r in rows:
        kind, value_unit = r["kind"], r["value_unit"]
        interval = ""
        if r["ci_low"] is not None:
            interval = f"{_number(r['ci_low'], kind, value_unit)} - {_number(r['ci_high'], kind, value_unit)}"
        count_kind = "count" if kind in ("rate", "count") else kind
        table.append([
            r["metric_id"], r["unit"], "" if r["dimension"] == "ALL" else r["dimension_value"],
            _number(r["numerator"], count_kind, value_unit), _number(r["denominator"], "count", value_unit),
            _number(r["value"], kind, value_unit) + ("" if kind == "rate" else f" {value_unit}"), interval,
        ])
    return output.to_table(
        table,
        ["metric", "unit", "breakdown", "numerator", "denominator", "value", "95% interval"],
        [False, False, False, True, True, True, True],
    )
