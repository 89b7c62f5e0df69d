"""Reading metric_values and metric_definitions for a report, and turning rows into metric cards.

Reports never recompute a metric: they look up the rows `metric_values`
already holds (one SQL definition per metric) and format them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb

from pipeline.reports import render
from pipeline.sqlfiles import query_sql_file

# Said on every report (and in the run summary) when no HEART log has been loaded: pipeline/config_fit.py.
NO_HEART_LOG = "No HEART response log has been loaded; figures that need it are not shown"


def heart_log_loaded(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether any HEART response is in the warehouse; without one the reports show the CAD side only."""
    from pipeline.warehouse import has_table

    return has_table(con, "staging", "heart_responses") and bool(
        query_sql_file(con, "reports/heart_log_loaded.sql")[0]["loaded"])


Key = tuple[str, str, str, str, date]   # metric_id, unit, dimension, dimension_value, period_start


@dataclass
class MetricValues:
    """metric_values rows of one grain, looked up by metric, unit, breakdown and period."""

    grain: str
    rows: dict[Key, dict]

    @classmethod
    def load(cls, con: duckdb.DuckDBPyConnection, grain: str, period_starts: list[date]) -> "MetricValues":
        found = query_sql_file(con, "reports/metric_values_for_periods.sql",
                               {"grain": grain, "period_starts": list(period_starts)})
        return cls(grain, {(r["metric_id"], r["unit"], r["dimension"], r["dimension_value"], r["period_start"]): r
                           for r in found})

    def row(self, metric_id: str, period: date, unit: str = "ALL", dimension: str = "ALL",
            dimension_value: str = "ALL") -> dict | None:
        return self.rows.get((metric_id, unit, dimension, dimension_value, period))

    def value(self, metric_id: str, period: date, unit: str = "ALL", dimension: str = "ALL",
              dimension_value: str = "ALL") -> float | None:
        row = self.row(metric_id, period, unit, dimension, dimension_value)
        return None if row is None else row["value"]

    def breakdown(self, metric_id: str, period: date, unit: str, dimension: str) -> dict[str, dict]:
        """dimension_value -> row, for one metric, unit, breakdown and period."""
        return {k[3]: r for k, r in self.rows.items()
                if k[0] == metric_id and k[1] == unit and k[2] == dimension and k[4] == period}


def load_definitions(con: duckdb.DuckDBPyConnection) -> dict[str, dict]:
    return {d["metric_id"]: d for d in query_sql_file(con, "reports/metric_definitions.sql")}


def periods(con: duckdb.DuckDBPyConnection, grain: str) -> list[tuple[date, date]]:
    """(start, end exclusive) of every period of the grain in metric_values, oldest first."""
    return [(r["period_start"], r["period_end"]) for r in query_sql_file(con, "reports/period_starts.sql",
                                                                         {"grain": grain})]


def data_range(con: duckdb.DuckDBPyConnection) -> tuple[date | None, date | None]:
    """The program days the warehouse covers: launch to the last day with data (None, None when empty)."""
    row = query_sql_file(con, "metrics/_data_range.sql")[0]
    return row["first_day"], row["last_day"]


def format_value(row: dict | None, definition: dict) -> str:
    """A metric's value as a reader sees it: 11.6%, 1,234, 13.9 min, 5,500 h; a dash when there is none."""
    if row is None or row["value"] is None:
        return "—"
    value, unit = row["value"], definition["value_unit"]
    if definition["kind"] == "rate":
        return render.fmt_pct(value)
    if unit == "minutes":
        return render.fmt_minutes(value)
    if unit == "hours":
        # A week's few diverted calls save a few hours: keep the decimal there.
        return f"{value:,.1f} h" if value < 100 else f"{value:,.0f} h"
    return render.fmt_count(value)


def interval_text(row: dict | None, definition: dict) -> str:
    """'95% interval 10.9–12.4%' for rates and quantiles; empty for counts."""
    if row is None or row.get("ci_low") is None or row.get("ci_high") is None:
        return ""
    if definition["kind"] == "rate":
        return f"95% interval {100 * row['ci_low']:.1f}–{100 * row['ci_high']:.1f}%"
    if definition["value_unit"] == "minutes":
        return f"95% interval {row['ci_low']:.1f}–{row['ci_high']:.1f} min"
    return ""


def counts_text(row: dict | None, definition: dict) -> str:
    """'804 of 6,932 eligible calls' for a rate; the number of events behind a median."""
    if row is None:
        return ""
    if definition["kind"] == "rate" and row["denominator"]:
        return f"{row['numerator']:,.0f} of {row['denominator']:,.0f}"
    if definition["kind"] in ("median", "p90") and row["denominator"]:
        return f"from {row['denominator']:,.0f} timed responses"
    return ""
