"""The metric definitions: the machine-read header of each sql/metrics/<metric_id>.sql.

A header is `-- key: value` lines (continued on lines indented after `--`)
giving the metric's name, kind, plain-language definition, numerator,
denominator and caveats. parse_header reads one, load_definitions all of them
(files whose names start with `_` are the machinery, not metrics), and
definitions_table turns them into the rows of metrics.metric_definitions.
docs/metrics.md is generated from them (pipeline/metrics_doc.py).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from pathlib import Path

import pyarrow as pa

from pipeline.ingest.contract import HEART_UNITS
from pipeline.settings import SQL_DIR
from pipeline.warehouse.sqlfiles import read_header

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


def definitions_table(definitions: list[MetricDefinition]) -> pa.Table:
    columns = {}
    for f in fields(MetricDefinition):
        values = [getattr(d, f.name) for d in definitions]
        columns[f.name] = [", ".join(v) if isinstance(v, tuple) else v for v in values]
    return pa.table(columns)
