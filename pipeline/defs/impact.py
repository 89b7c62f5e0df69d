"""The impact estimates' asset: metrics.impact_estimates and metrics.impact_event_study (docs/impact.md).

Downstream of the two outcome marts it reads (marts/impact_beat_week, marts/impact_hour_week). A call into pipeline.impact.results, skipped when the
outcome marts and the estimator are as the last estimation had them (the fingerprint it stores), since
the estimation takes tens of seconds and a weekly run mostly changes nothing before the launch.

No `from __future__ import annotations` here: Dagster inspects the context
parameter's annotation at definition time and needs the real class.
"""

import dagster as dg
from dagster_duckdb import DuckDBResource

from pipeline.defs.keys import IMPACT_KEY, METRICS
from pipeline.defs.resources import warehouse
from pipeline.impact.results import fingerprint, run_all, up_to_date, write_results


@dg.asset(
    key=IMPACT_KEY, group_name=METRICS,
    deps=[dg.AssetKey(["marts", "impact_beat_week"]), dg.AssetKey(["marts", "impact_hour_week"])],
    description="Is it working? Impact estimates from the phased rollout (staggered beats, served hours) per outcome, "
                "with pre-trend test, placebo and plausibility; event studies in metrics.impact_event_study "
                "(docs/impact.md).",
)
def impact_estimates(duckdb: DuckDBResource) -> dg.MaterializeResult:
    with warehouse(duckdb) as con:
        current = fingerprint(con)
        if up_to_date(con, current):
            return dg.MaterializeResult(metadata={"estimated": "no: the outcome marts and the estimator are unchanged"})
        results = run_all(con)
        rows, events = write_results(con, results)
    verdicts = results.estimates["verdict"].value_counts().to_dict()
    return dg.MaterializeResult(metadata={"estimated": "yes", "rows": rows, "event_study_rows": events,
                                          "verdicts": {str(k): int(v) for k, v in verdicts.items()}})


IMPACT_ASSETS = [impact_estimates]
