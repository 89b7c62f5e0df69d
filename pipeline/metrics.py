"""The metrics: one SQL file per metric under sql/metrics/, its definition in its header.

Each file `sql/metrics/<metric_id>.sql` starts with a comment header
(`-- key: value`, continued on lines indented after `--`) giving the metric's
name, kind, plain-language definition, numerator, denominator and caveats, then
one statement that builds the TEMP table `metric_result` for every period in
the TEMP table `metric_periods`. The same file serves both uses:

* build_metric_values: the standard periods (week, month, fiscal year, all)
  into metrics.metric_values, with metrics.metric_definitions beside it;
* compute_window: one period the user names (`heart metrics --start --end`),
  computed on demand from the marts, read-only.

Files whose names start with `_` are the machinery (periods, macros, collect).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from pathlib import Path

import duckdb
import pyarrow as pa

from pipeline.contract import HEART_UNITS
from pipeline.settings import SQL_DIR
from pipeline.sqlfiles import query_sql_file, read_header, run_sql_file

METRICS_DIR = SQL_DIR / "metrics"
KINDS = ("count", "sum", "rate", "median", "p90")
GRAINS = ("week", "month", "fiscal_year", "all")
# The order a reader meets the headline figures: demand, what HEART did, how it
# went, what it saved, what it missed. A test keeps this list and the metric
# files in step.
HEADLINE_ORDER = (
    "eligible_calls", "eligible_in_coverage", "responses", "eligible_answered_rate", "unmet_eligible_calls",
    "diversion_rate", "officer_hours_saved", "resolved_without_in_person_rate", "heart_response_time_median",
    "heart_response_time_p90", "police_response_time_median", "police_response_time_p90", "felt_safe_rate",
    "police_backup_rate", "outcome_share", "people_reached", "care_nav_followup_48h_rate",
)
UNIT_ORDER = ("ALL", *HEART_UNITS)


class MetricDefinitionError(ValueError):
    """A metric file's header is incomplete or malformed."""


@dataclass(frozen=True)
class MetricDefinition:
    metric_id: str
    name: str
    kind: str
    value_unit: str
    units: tuple[str, ...]
    dimensions: tuple[str, ...]
    headline_dimensions: tuple[str, ...]
    period_by: str
    definition: str
    numerator: str
    denominator: str
    caveats: str
    sql_file: str


def parse_header(path: Path) -> MetricDefinition:
    """Read a metric file's comment header into a MetricDefinition."""
    values = read_header(path.read_text(encoding="utf-8"))
    required = ("metric_id", "name", "kind", "value_unit", "units", "dimensions", "headline_dimension",
                "period_by", "definition", "numerator", "denominator", "caveats")
    missing = [k for k in required if not values.get(k)]
    if missing:
        raise MetricDefinitionError(f"{path.name}: header lacks {', '.join(missing)}")
    if values["metric_id"] != path.stem:
        raise MetricDefinitionError(f"{path.name}: metric_id {values['metric_id']!r} differs from the file name")
    if values["kind"] not in KINDS:
        raise MetricDefinitionError(f"{path.name}: kind {values['kind']!r} is not one of {', '.join(KINDS)}")

    def listed(text: str) -> tuple[str, ...]:
        return tuple(item.strip() for item in text.split(",") if item.strip())

    return MetricDefinition(
        metric_id=values["metric_id"],
        name=values["name"],
        kind=values["kind"],
        value_unit=values["value_unit"],
        units=listed(values["units"]),
        dimensions=listed(values["dimensions"]),
        headline_dimensions=listed(values["headline_dimension"]),
        period_by=values["period_by"],
        definition=values["definition"],
        numerator=values["numerator"],
        denominator=values["denominator"],
        caveats=values["caveats"],
        sql_file=f"sql/metrics/{path.name}",
    )


def load_definitions(metrics_dir: Path = METRICS_DIR) -> list[MetricDefinition]:
    """Every metric, in file-name order; raises MetricDefinitionError on a bad header."""
    return [parse_header(p) for p in sorted(metrics_dir.glob("*.sql")) if not p.name.startswith("_")]


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


def definitions_table(definitions: list[MetricDefinition]) -> pa.Table:
    columns = {}
    for f in fields(MetricDefinition):
        values = [getattr(d, f.name) for d in definitions]
        columns[f.name] = [", ".join(v) if isinstance(v, tuple) else v for v in values]
    return pa.table(columns)


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


def check_metric_values(con: duckdb.DuckDBPyConnection) -> list[dict]:
    """The metric_values checks (sql/metrics/_checks.sql): check_name, failures, example."""
    return query_sql_file(con, "metrics/_checks.sql")
