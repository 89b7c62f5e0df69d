"""The expansion scenarios' asset: metrics.scenario_results (and metrics.scenario_backtests).

Runs after metric_values (the marts are complete then), before the catalog comments and the
council dashboard, which shows the comparison. A call into pipeline.scenarios.results; the
scenario files are the *.toml files of the run's scenarios folder (`heart run --scenarios`; default
scenarios/ at the repository root; docs/scenarios.md).

No `from __future__ import annotations` here: Dagster inspects the context
parameter's annotation at definition time and needs the real class.
"""

from pathlib import Path

import dagster as dg
from dagster_duckdb import DuckDBResource

from pipeline.defs.keys import METRIC_VALUES_KEY, METRICS, SCENARIOS_KEY
from pipeline.defs.resources import HeartSettings, warehouse
from pipeline.scenarios.results import run_all, write_results


@dg.asset(
    key=SCENARIOS_KEY, group_name=METRICS, deps=[METRIC_VALUES_KEY],
    description="Expansion scenarios (scenarios/*.toml) replayed over the latest year of eligible calls, 20 seeds, "
                "with staff and cost; back-tests in metrics.scenario_backtests (docs/scenarios.md).",
)
def scenario_results(duckdb: DuckDBResource, heart_settings: HeartSettings) -> dg.MaterializeResult:
    with warehouse(duckdb) as con:
        results = run_all(con, Path(heart_settings.scenarios))
        rows, tests = write_results(con, results)
    return dg.MaterializeResult(metadata={
        "rows": rows, "backtests": tests, "scenarios": [r.scenario.name for r in results.projections],
        "skipped": results.skipped or "none",
    })


SCENARIO_ASSETS = [scenario_results]
