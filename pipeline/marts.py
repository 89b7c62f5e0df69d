"""Build the marts: the analyst-facing tables between staging and the metrics.

Each mart is one file under sql/marts/, run in dependency order. The program
configuration is loaded into staging first, because eligibility, coverage and
capacity are all read from it by date.
"""

from __future__ import annotations

import duckdb

from pipeline.program import ProgramConfig, write_program_tables
from pipeline.warehouse.sqlfiles import run_sql_file

# In dependency order: each file reads only tables built before it.
MART_MODELS = (
    "program_days",
    "cad_incidents",
    "heart_responses",
    "eligible_calls",
    "heart_handled_incidents",
    "police_time_by_call_type",
    "response_times",
)


def load_program_config(con: duckdb.DuckDBPyConnection, program: ProgramConfig) -> None:
    """staging.program_* from the configuration file; creates the marts and metrics schemas."""
    run_sql_file(con, "marts/create_schemas.sql")
    write_program_tables(con, program)


def build_mart(con: duckdb.DuckDBPyConnection, model: str, program: ProgramConfig) -> int:
    """Rebuild one mart from its SQL file; returns its row count."""
    if model not in MART_MODELS:
        raise KeyError(f"no mart named {model!r}")
    run_sql_file(con, f"marts/{model}.sql", {"tz": program.timezone})
    return con.table(f"marts.{model}").aggregate("count(*)").fetchall()[0][0]


def build_marts(con: duckdb.DuckDBPyConnection, program: ProgramConfig) -> dict[str, int]:
    """Load the program configuration, rebuild every mart; returns rows per mart."""
    load_program_config(con, program)
    return {model: build_mart(con, model, program) for model in MART_MODELS}
