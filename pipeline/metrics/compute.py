"""Computing the metrics: one SQL file per metric under sql/metrics/, its definition in its header.

Each file `sql/metrics/<metric_id>.sql` starts with a comment header (read by
pipeline/metrics/definitions.py), then one statement that builds the TEMP table `metric_result` for every period in
the TEMP table `metric_periods`, each event joined to its periods through their days (`metric_period_days`,
_period_days.sql). The same file serves both uses:

* build_metric_values: the standard periods (week, month, fiscal year, all)
  into metrics.metric_values, with metrics.metric_definitions beside it;
* compute_window: one period the user names (`heart metrics --start --end`),
  computed on demand from the marts, read-only.

Files whose names start with `_` are the machinery (periods, macros, collect, derive).

How build_metric_values gets there without computing every period from every
row each run:

* The metrics in SUMMED_BY_DAY count events, each placed in a period by one
  local date, so their numerators and denominators add up over days: their
  files are run once per local day (periods of grain `day`) into
  metrics.metric_days, and every standard period is the sum of its days. A
  count or rate that does not add up (distinct people) and the medians and
  percentiles are computed for each period from the marts, as `heart metrics`
  does; tests/test_incremental_marts.py checks that both ways agree.
* A metric whose file reads a mart summarising all the data (GLOBAL_MARTS:
  the mean officer time per call type moves whenever data is added) is
  recomputed for every period on every build.
* The rest is incremental when it can be (see _plan): only the days in
  metrics.changed_dates (the local dates of the mart rows the marts' builds since
  the last one changed), the days the data's range gained or lost, and the
  periods holding them, or whose clipped end moved, are recomputed; their rows
  are deleted and inserted again. A full build recomputes everything, as when
  the marts were rebuilt in full or a metric file changed (metrics.build_state
  keeps a hash of the metric files).
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import date

import duckdb

from pipeline.metrics.definitions import (
    HEADLINE_ORDER, METRICS_DIR, UNIT_ORDER, MetricDefinition, definitions_table, load_definitions,
)
from pipeline.warehouse.session import has_table
from pipeline.warehouse.sqlfiles import query_sql_file, registered, run_sql_file

log = logging.getLogger(__name__)

# Metrics whose every row counts events each placed in its period by one local date, so that a
# period's numerator and denominator are the sums of its days' (and a breakdown value or a
# zero-filled row is in a period exactly when it is in one of its days). Not here: people_reached
# (a person reached on two days is one person in the week), the medians and percentiles, and
# officer_hours_saved (its DECIMAL sum would not give the same double summed by day).
SUMMED_BY_DAY = frozenset({
    "care_nav_followup_48h_rate", "diversion_rate", "eligible_answered_rate", "eligible_calls",
    "eligible_in_coverage", "felt_safe_rate", "outcome_share", "police_backup_rate",
    "resolved_without_in_person_rate", "responses", "unmet_eligible_calls",
})
# Marts with one row per value over all the data, whose rows move whenever data is added: a metric
# reading one is recomputed for every period.
GLOBAL_MARTS = ("marts.police_time_by_call_type",)
# Raise to force one full rebuild of metric_values when the machinery changes what it writes.
BUILD_VERSION = 1


@dataclass(frozen=True)
class MetricPlan:
    full: bool
    reason: str
    config_hash: str
    marts_build_seq: int     # the marts build these values are of (0: none recorded)
    consumed_seq: int        # the marts build the previous values were of


def _prepare(con: duckdb.DuckDBPyConnection, definitions: list[MetricDefinition]) -> None:
    """The macros, the empty result table and the kinds table every computation needs."""
    run_sql_file(con, "metrics/_macros.sql")
    run_sql_file(con, "metrics/_results.sql", {
        "metric_ids": [d.metric_id for d in definitions], "kinds": [d.kind for d in definitions],
        "units": [list(d.units) for d in definitions],
    })


def _run_metrics(con: duckdb.DuckDBPyConnection, definitions: list[MetricDefinition], into: str) -> None:
    """Run each metric's file over TEMP metric_periods, appending its rows to `into` (a _collect target)."""
    run_sql_file(con, "metrics/_period_days.sql")
    for d in definitions:
        run_sql_file(con, f"metrics/{d.metric_id}.sql")
        run_sql_file(con, f"metrics/_collect_{into}.sql", {"metric_id": d.metric_id})


def _compute(con: duckdb.DuckDBPyConnection, definitions: list[MetricDefinition]) -> None:
    """Run every metric over the periods in TEMP metric_periods into TEMP metric_results_final."""
    _prepare(con, definitions)
    _run_metrics(con, definitions, "periods")
    run_sql_file(con, "metrics/_targets.sql", {"metric_ids": [d.metric_id for d in definitions]})
    run_sql_file(con, "metrics/_derive.sql")


def is_global(definition: MetricDefinition) -> bool:
    """Whether the metric reads a mart summarising all the data (recomputed for every period)."""
    text = (METRICS_DIR / f"{definition.metric_id}.sql").read_text(encoding="utf-8")
    return any(mart in text for mart in GLOBAL_MARTS)


def metrics_hash(definitions: list[MetricDefinition], fy_start_month: int) -> str:
    """What metric_values depends on besides the marts: the metric files, the machinery, the fiscal year."""
    digest = hashlib.sha256(f"{BUILD_VERSION}|{fy_start_month}|{sorted(SUMMED_BY_DAY)}|{GLOBAL_MARTS}".encode())
    for path in sorted(METRICS_DIR.glob("*.sql")):
        digest.update(f"|{path.name}:".encode() + path.read_bytes())
    return digest.hexdigest()


def _plan(con: duckdb.DuckDBPyConnection, digest: str, full: bool) -> MetricPlan:
    states = dict(((stage, (seq, full_seq, of_seq, config))
                   for stage, seq, full_seq, of_seq, config in con.execute(
                       "SELECT stage, build_seq, full_build_seq, marts_build_seq, config_hash FROM metrics.build_state"
                   ).fetchall()))
    marts_seq, marts_full_seq = states.get("marts", (0, 0, 0, ""))[:2]

    def plan(reason: str | None, consumed: int = 0) -> MetricPlan:
        return MetricPlan(reason is not None, reason or "incremental", digest, marts_seq, consumed)

    if full:
        return plan("full build asked for")
    if not marts_seq:
        return plan("no record of the marts' builds")
    if "metric_values" not in states or not all(has_table(con, "metrics", t) for t in ("metric_values", "metric_days")):
        return plan("metric_values has not been built yet")
    consumed, config = states["metric_values"][2], states["metric_values"][3]
    if config != digest:
        return plan("a metric file or the fiscal year changed since the last build")
    if marts_full_seq > consumed or consumed > marts_seq:
        return plan("the marts were rebuilt in full since the last build")
    return plan(None, consumed)


def build_metric_values(con: duckdb.DuckDBPyConnection, fy_start_month: int, full: bool = False) -> int:
    """Compute every metric for the standard periods; publish metric_values and metric_definitions.

    Incremental when it can be (see the module's docstring), in one transaction.
    """
    definitions = load_definitions()
    con.begin()
    try:
        run_sql_file(con, "marts/create_schemas.sql")
        plan = _plan(con, metrics_hash(definitions, fy_start_month), full)
        log.info("metric_values: %s", plan.reason)
        _build(con, definitions, fy_start_month, plan)
        with registered(con, {"metric_definitions_input": definitions_table(definitions)}):
            run_sql_file(con, "metrics/_publish.sql")
        run_sql_file(con, "metrics/_build_state.sql", {
            "config_hash": plan.config_hash, "marts_build_seq": plan.marts_build_seq, "full": plan.full,
            "reason": plan.reason})
        count = con.table("metrics.metric_values").aggregate("count(*)").fetchall()[0][0]
        con.commit()
    except BaseException:
        con.rollback()
        raise
    return count


def _build(con: duckdb.DuckDBPyConnection, definitions: list[MetricDefinition], fy_start_month: int,
           plan: MetricPlan) -> None:
    """metric_results_final: the rows to publish; metrics.metric_days brought up to date."""
    by_day = [d for d in definitions if d.metric_id in SUMMED_BY_DAY]
    global_ = [d for d in definitions if d.metric_id not in SUMMED_BY_DAY and is_global(d)]
    direct = [d for d in definitions if d.metric_id not in SUMMED_BY_DAY and not is_global(d)]
    run_sql_file(con, "metrics/_periods.sql", {"fy_start_month": fy_start_month})
    if plan.full:
        con.execute("DROP TABLE IF EXISTS metrics.metric_values")
        con.execute("DROP TABLE IF EXISTS metrics.metric_days")
        run_sql_file(con, "metrics/_changes_full.sql")
    else:
        run_sql_file(con, "metrics/_changes.sql", {"full": False, "consumed_seq": plan.consumed_seq})
    _prepare(con, definitions)
    # The summed-by-day metrics, for the days that changed (every day on a full build).
    run_sql_file(con, "metrics/_use_periods.sql", {"periods": "days"})
    _run_metrics(con, by_day, "days")
    run_sql_file(con, "metrics/_days_publish.sql")
    # Every period that changed: by-day metrics summed from their days, the others from the marts.
    run_sql_file(con, "metrics/_use_periods.sql", {"periods": "changed"})
    run_sql_file(con, "metrics/_sum_days.sql", {"metric_ids": [d.metric_id for d in by_day]})
    _run_metrics(con, direct, "periods")
    run_sql_file(con, "metrics/_targets.sql", {"metric_ids": [d.metric_id for d in by_day + direct]})
    # Metrics reading a mart over all the data: every period.
    run_sql_file(con, "metrics/_use_periods.sql", {"periods": "standard"})
    _run_metrics(con, global_, "periods")
    run_sql_file(con, "metrics/_targets.sql", {"metric_ids": [d.metric_id for d in global_]})
    run_sql_file(con, "metrics/_derive.sql")


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


def direct_values(con: duckdb.DuckDBPyConnection, fy_start_month: int) -> None:
    """Every metric computed straight from the marts for every standard period, into TEMP metric_results_final.

    How metric_values was computed before days were summed: the tests compare the two.
    """
    run_sql_file(con, "metrics/_periods.sql", {"fy_start_month": fy_start_month})
    _compute(con, load_definitions())

