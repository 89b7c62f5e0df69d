"""Computing the metrics: one SQL file per metric under sql/metrics/, its definition in its header.

Each file `sql/metrics/<metric_id>.sql` starts with a comment header (read by
pipeline/metrics/definitions.py), then one statement that builds the TEMP table `metric_result` for every period in
the TEMP table `metric_periods`. The same file serves both uses:

* build_metric_values: the standard periods (week, month, fiscal year, all)
  into metrics.metric_values, with metrics.metric_definitions beside it;
* compute_window: one period the user names (`heart metrics --start --end`),
  computed on demand from the marts, read-only.

Files whose names start with `_` are the machinery (periods, macros, collect).
"""

from __future__ import annotations

from datetime import date

import duckdb

from pipeline.metrics.definitions import HEADLINE_ORDER, UNIT_ORDER, MetricDefinition, definitions_table, load_definitions
from pipeline.warehouse.sqlfiles import query_sql_file, run_sql_file


def _compute(con: duckdb.DuckDBPyConnection, definitions: list[MetricDefinition]) -> None:
    """Run every metric over the periods in TEMP metric_periods into TEMP metric_results_all."""
    run_sql_file(con, "metrics/_macros.sql")
    run_sql_file(con, "metrics/_results.sql")
    for d in definitions:
        run_sql_file(con, f"metrics/{d.metric_id}.sql")
        run_sql_file(con, "metrics/_collect.sql", {"metric_id": d.metric_id, "kind": d.kind, "units": list(d.units)})


def build_metric_values(con: duckdb.DuckDBPyConnection, fy_start_month: int) -> int:
    """Compute every metric for the standard periods; publish metric_values and metric_definitions."""
    definitions = load_definitions()
    run_sql_file(con, "marts/create_schemas.sql")
    run_sql_file(con, "metrics/_periods.sql", {"fy_start_month": fy_start_month})
    _compute(con, definitions)
    con.register("metric_definitions_input", definitions_table(definitions))
    try:
        run_sql_file(con, "metrics/_publish.sql")
    finally:
        con.unregister("metric_definitions_input")
    return con.table("metrics.metric_values").aggregate("count(*)").fetchall()[0][0]


def compute_window(con: duckdb.DuckDBPyConnection, start: date, end: date, unit: str | None = None) -> list[dict]:
    """Every headline metric for local dates [start, end), from the marts, without writing.

    Headline rows are each metric's headline breakdowns (mostly ALL; the reasons
    for unmet calls, the outcomes). Returns dicts in HEADLINE_ORDER, units in
    UNIT_ORDER.
    """
    definitions = load_definitions()
    run_sql_file(con, "metrics/_custom_period.sql", {"period_start": start, "period_end": end})
    _compute(con, definitions)
    rows = query_sql_file(con, "metrics/_window_rows.sql")
    order = {metric_id: i for i, metric_id in enumerate(HEADLINE_ORDER)}
    headline = {d.metric_id: set(d.headline_dimensions) for d in definitions}
    by_id = {d.metric_id: d for d in definitions}
    picked = [
        {**row, "name": by_id[row["metric_id"]].name, "kind": by_id[row["metric_id"]].kind,
         "value_unit": by_id[row["metric_id"]].value_unit}
        for row in rows
        if row["dimension"] in headline[row["metric_id"]] and (unit is None or row["unit"] == unit)
    ]
    return sorted(
        picked,
        key=lambda r: (order.get(r["metric_id"], len(order)), r["metric_id"],
                       UNIT_ORDER.index(r["unit"]) if r["unit"] in UNIT_ORDER else len(UNIT_ORDER),
                       r["dimension"] != "ALL", r["dimension"], r["dimension_value"]),
    )
