"""The open-data tables as Arrow tables (values blanked where the plan hides them), and their summary.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.disclosure.suppression import is_small
from pipeline.metrics import values
from pipeline.open_data.plan import OpenData
from pipeline.open_data.policy import COMPLEMENT, HOURS_DECIMALS, SMALL, TABLES


METRIC_SCHEMA = pa.schema([
    ("metric_id", pa.string()), ("grain", pa.string()), ("period_start", pa.date32()), ("period_end", pa.date32()),
    ("unit", pa.string()), ("dimension", pa.string()), ("dimension_value", pa.string()),
    ("numerator", pa.float64()), ("denominator", pa.int64()), ("value", pa.float64()),
    ("ci_low", pa.float64()), ("ci_high", pa.float64()), ("suppressed", pa.string()),
])
MONTHLY_SCHEMA = pa.schema([
    ("period_start", pa.date32()), ("period_end", pa.date32()), ("call_type", pa.string()), ("status", pa.string()),
    ("calls", pa.int64()), ("suppressed", pa.string()),
])
POLICE_SCHEMA = pa.schema([
    ("call_type", pa.string()), ("comparable_incidents", pa.int64()), ("mean_police_unit_hours", pa.float64()),
    ("median_police_unit_hours", pa.float64()), ("mean_police_units", pa.float64()), ("suppressed", pa.string()),
])


def _int(value) -> int | None:
    return None if value is None else int(round(value))


def metric_table(od: OpenData) -> pa.Table:
    """metric_values as published: hidden counts and everything computed from them blank, with why."""
    out = []
    for row in od.metric_rows:
        r, cells = dict(row.data), row.cells
        hidden = {col for col, key in cells.items() if key in od.hidden}
        if "numerator" in hidden:
            r["numerator"] = None
        if "denominator" in hidden:
            r["denominator"] = None
        if hidden:   # a value (rate, count, sum, median) and its interval need every count behind them
            r["value"] = r["ci_low"] = r["ci_high"] = None
        if row.data["metric_id"] == "officer_hours_saved":
            for col in ("numerator", "value"):
                r[col] = None if r[col] is None else round(r[col], HOURS_DECIMALS)
        r["denominator"] = _int(r["denominator"])
        r["suppressed"] = od.why(*cells.values())
        out.append(r)
    return pa.Table.from_pylist(out, schema=METRIC_SCHEMA)


def monthly_table(od: OpenData) -> pa.Table:
    out = []
    for row in od.monthly_rows:
        key = row.cells["calls"]
        calls = None if key in od.hidden else int(row.data["calls"])
        out.append({**row.data, "calls": calls, "suppressed": od.why(key)})
    return pa.Table.from_pylist(out, schema=MONTHLY_SCHEMA)


def police_table(od: OpenData) -> pa.Table:
    """police_time_by_call_type: no total is published, so only the small counts (and their hours) are blank."""
    out = []
    for r in od.police_rows:
        if is_small(r["comparable_incidents"], od.threshold):
            r = {"call_type": r["call_type"], "suppressed": SMALL}
        out.append(r)
    return pa.Table.from_pylist(out, schema=POLICE_SCHEMA)


def summary(od: OpenData, tables: dict[str, pa.Table] | None = None) -> dict:
    """Rows and rows with hidden values, per table (for the README)."""
    return _counts(tables or {"metric_values": metric_table(od), "eligible_calls_monthly": monthly_table(od),
                              "police_time_by_call_type": police_table(od)})


def read_summary(out_dir: Path) -> dict:
    """The same, read back from the Parquet files of an open-data folder (for the asset's metadata)."""
    return _counts({name: pq.read_table(Path(out_dir) / f"{name}.parquet") for name in TABLES})


def _counts(tables: dict[str, pa.Table]) -> dict:
    result = {}
    for name, table in tables.items():
        reasons = table.column("suppressed").to_pylist()
        result[name] = {"rows": table.num_rows, "small count": reasons.count(SMALL),
                        "complementary": reasons.count(COMPLEMENT)}
    return result
