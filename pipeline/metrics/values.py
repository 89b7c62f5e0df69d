"""The metrics' read side: metric_values rows by grain and period, the definitions, the data's range.

Reports, open data, the run summary and the CLI never recompute a metric: they
look up the rows `metric_values` already holds (one SQL definition per metric)
through this module; pipeline/reports/metric_text.py formats them for a page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb

from pipeline.warehouse.sqlfiles import query_sql_file

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
