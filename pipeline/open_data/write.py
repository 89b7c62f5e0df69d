"""Writing the open-data folder: each file whole to a temporary name, then moved into place.
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from pipeline.disclosure.redaction import neutralise_csv_cell
from pipeline.disclosure.suppression import DEFAULT_THRESHOLD
from pipeline.program import ProgramConfig
from pipeline.open_data.plan import OpenData, plan_open_data
from pipeline.open_data.readme import readme
from pipeline.open_data.tables import metric_table, monthly_table, police_table


def write_open_data(con: duckdb.DuckDBPyConnection, out_dir: Path, threshold: int = DEFAULT_THRESHOLD, *,
                    program: ProgramConfig | None = None) -> list[Path]:
    """Write the open-data folder (normally `<reports>/open-data`); returns the files written.

    `program` is the configuration the council dashboard is built with (its
    budgets add a total to the dashboard); by default config/program.toml.
    Every file is written whole to a temporary name and then moved into place,
    and the same warehouse gives byte-identical files.
    """
    return write_planned(plan_open_data(con, threshold, program), out_dir)


def write_planned(od: OpenData, out_dir: Path) -> list[Path]:
    """Write the files of a planned export (see write_open_data)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    tables = {"metric_values": metric_table(od), "eligible_calls_monthly": monthly_table(od),
              "police_time_by_call_type": police_table(od)}
    written = []
    for name, table in tables.items():
        written.append(_write(out_dir / f"{name}.csv", lambda tmp, t=table: pa_csv.write_csv(
            csv_safe(t), tmp, write_options=pa_csv.WriteOptions(quoting_style="needed"))))
        written.append(_write(out_dir / f"{name}.parquet", lambda tmp, t=table: pq.write_table(
            t, tmp, compression="zstd")))
    written.append(_write(out_dir / "README.md",
                          lambda tmp: Path(tmp).write_text(readme(od, tables), encoding="utf-8")))
    return written


def csv_safe(table: pa.Table) -> pa.Table:
    """The table with every text cell that a spreadsheet would run as a formula neutralised (a leading
    quote, pipeline/disclosure/redaction.py); numeric columns are left alone (-0.5 is a number)."""
    columns = []
    for field, column in zip(table.schema, table.columns):
        if pa.types.is_string(field.type) or pa.types.is_large_string(field.type):
            column = pa.array([neutralise_csv_cell(v) for v in column.to_pylist()], type=field.type)
        columns.append(column)
    return pa.Table.from_arrays(columns, schema=table.schema)


def _write(path: Path, write) -> Path:
    tmp = path.with_name(f".{path.name}.tmp")
    write(str(tmp))
    os.replace(tmp, path)
    return path
