"""Assets of the metrics group: program configuration, marts, metric_values.

Each asset is a call into pipeline.marts / pipeline.metrics plus metadata; the
SQL they run lives in sql/marts and sql/metrics. The marts are one multi-asset
(one asset key per mart): they are built together, in one transaction, so that
an incremental build (pipeline/marts.py) carries what changed from one mart to
the next.

No `from __future__ import annotations` here: Dagster inspects the context
parameter's annotation at definition time and needs the real class.
"""

import dagster as dg
from dagster_duckdb import DuckDBResource

from pipeline import checks, marts, metrics
from pipeline.defs.keys import METRICS
from pipeline.defs.resources import HeartSettings, warehouse
from pipeline.warehouse.sqlfiles import read_sql


# What each mart reads: staging assets, the program configuration, earlier marts.
MART_INPUTS = {
    "program_days": ["program_config", "cad_incidents", "heart_responses"],
    "cad_incidents": ["cad_incidents", "cad_unit_assignments", "heart_responses", ["marts", "program_days"]],
    "heart_responses": ["heart_responses", ["marts", "cad_incidents"]],
    "eligible_calls": [["marts", "cad_incidents"], ["marts", "heart_responses"], ["marts", "program_days"]],
    "heart_handled_incidents": [["marts", "cad_incidents"], ["marts", "heart_responses"]],
    "police_time_by_call_type": [["marts", "cad_incidents"]],
    "response_times": [["marts", "heart_responses"], ["marts", "eligible_calls"]],
    "impact_beat_week": ["program_config", "cad_incidents", ["marts", "cad_incidents"]],
    "impact_hour_week": ["program_config", "cad_incidents", ["marts", "cad_incidents"]],
}


@dg.asset(group_name=METRICS, description="config/program.toml as staging.program_* tables (dated program facts).")
def program_config(duckdb: DuckDBResource, heart_settings: HeartSettings) -> dg.MaterializeResult:
    program = heart_settings.load_program()
    with warehouse(duckdb) as con:
        marts.load_program_config(con, program)
    return dg.MaterializeResult(
        metadata={"config_file": program.path.name, "timezone": program.timezone,
                  "launch_date": program.launch_date.isoformat()}
    )


def _mart_spec(model: str) -> dg.AssetSpec:
    return dg.AssetSpec(["marts", model], group_name=METRICS, description=marts_sql_header(model) or f"marts.{model}",
                        deps=[dg.AssetKey(dep) for dep in MART_INPUTS[model]])


def marts_sql_header(model: str) -> str:
    """The opening comment of a mart's SQL file, as the asset's description."""
    lines = []
    for line in read_sql(f"marts/{model}.sql").splitlines():
        if not line.startswith("--"):
            break
        lines.append(line.removeprefix("--").strip())
    return "\n".join(lines)


@dg.multi_asset(specs=[_mart_spec(model) for model in marts.MART_MODELS], name="marts", group_name=METRICS)
def mart_tables(duckdb: DuckDBResource, heart_settings: HeartSettings):
    """Every mart, in one transaction: incrementally from the validate stage's record of what changed
    when it can (pipeline/marts.py), in full otherwise. Each mart's event is sent as it is built."""
    program = heart_settings.load_program()
    counts: dict[str, int] = {}
    with warehouse(duckdb) as con:
        for model in marts.build_marts_steps(con, program, False, counts):
            yield dg.MaterializeResult(asset_key=["marts", model],
                                       metadata={"rows": counts[model], "sql": f"sql/marts/{model}.sql"})


MART_ASSETS = [mart_tables]


@dg.multi_asset(
    specs=[
        dg.AssetSpec(["metrics", "metric_values"], group_name=METRICS,
                     deps=[dg.AssetKey(["marts", m]) for m in marts.MART_MODELS],
                     description="Every metric x period (week, month, fiscal year, all) x unit x breakdown."),
        dg.AssetSpec(["metrics", "metric_definitions"], group_name=METRICS,
                     description="Each metric's name, plain-language definition, numerator, denominator, caveats."),
    ],
    # sql/checks/metric_values/: blocking, so reports, open data and the analysts' file are not built from
    # inconsistent figures.
    check_specs=checks.check_specs("metric_values"),
)
def metric_values(duckdb: DuckDBResource, heart_settings: HeartSettings):
    """Compute every metric in sql/metrics/ for the standard periods and publish them."""
    program = heart_settings.load_program()
    with warehouse(duckdb) as con:
        count = metrics.build_metric_values(con, program.fiscal_year_start_month)
        results = checks.check_results(con, "metric_values")
    definitions = metrics.load_definitions()
    yield dg.MaterializeResult(asset_key=["metrics", "metric_values"], metadata={"rows": count})
    yield dg.MaterializeResult(asset_key=["metrics", "metric_definitions"], metadata={"metrics": len(definitions)})
    yield from results
