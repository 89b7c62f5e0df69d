"""The metrics stage: every headline figure, defined once per SQL file, computed and read back.

    definitions.py  the machine-read header of each sql/metrics/<metric_id>.sql (what a metric is)
    compute.py      metrics.metric_values for the standard periods; any window on demand
    values.py       the read side: metric_values rows by grain and period, definitions, data range

Reports, open data and the CLI read metrics through values.py; nothing recomputes a metric.
"""

from pipeline.metrics.compute import build_metric_values, compute_window
from pipeline.metrics.definitions import (
    GRAINS,
    HEADLINE_ORDER,
    KINDS,
    METRICS_DIR,
    UNIT_ORDER,
    MetricDefinition,
    MetricDefinitionError,
    definitions_table,
    load_definitions,
    parse_header,
)

__all__ = [
    "GRAINS", "HEADLINE_ORDER", "KINDS", "METRICS_DIR", "UNIT_ORDER", "MetricDefinition", "MetricDefinitionError",
    "build_metric_values", "compute_window", "definitions_table", "load_definitions",
    "parse_header",
]
