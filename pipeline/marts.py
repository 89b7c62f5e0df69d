"""Build the marts: the analyst-facing tables between staging and the metrics.

Each mart is one file under sql/marts/, run in dependency order: a query for the
per-incident marts (INCREMENTAL; this module creates the table from it, or
inserts its rows for a scope), a CREATE OR REPLACE statement for the two
rebuilt whole every time. The program
configuration is loaded into staging first, because eligibility, coverage and
capacity are all read from it by date.

A build is full (every mart rebuilt from all of staging, as CREATE OR REPLACE)
or incremental: when the validate stage has said which incidents and responses
its run changed (staging.changed_incidents, staging.changed_responses), the
marts were built before, and neither the program configuration nor the marts'
SQL has changed since (metrics.build_state keeps a hash of both), only the rows
those changes can reach are deleted and inserted again in the per-incident
marts. Which rows that is, mart by mart (the scopes, TEMP tables):

    mart_scope_incidents  the changed incidents, and the incidents the changed
                          responses name (before and after): cad_incidents,
                          heart_handled_incidents
    mart_scope_responses  the changed responses, and every response naming an
                          incident in mart_scope_incidents: heart_responses
    mart_scope_eligible   mart_scope_incidents, and the unanswered eligible calls
                          received while a response in mart_scope_responses was
                          open (before or after): their teams_busy can move
    mart_scope_times      mart_scope_incidents and mart_scope_eligible: response_times

program_days, police_time_by_call_type and the two impact marts (impact_beat_week,
impact_hour_week: beats x weeks, from marts/_impact_base.sql) are rebuilt whole every
time: they are small, and a served share or a repeat call depends on more than one incident. The local dates of every row deleted or inserted go to metrics.changed_dates,
so that metric_values recomputes only the periods holding them
(pipeline/metrics/compute.py). A build runs in one transaction: it is applied
whole or not at all.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass

import duckdb

from pipeline.program import ProgramConfig, write_program_tables
from pipeline.settings import SQL_DIR
from pipeline.warehouse.session import has_table
from pipeline.warehouse.sqlfiles import query_sql_file, read_sql, run_sql, run_sql_file

log = logging.getLogger(__name__)

# In dependency order: each file reads only tables built before it.
MART_MODELS = (
    "program_days",
    "cad_incidents",
    "heart_responses",
    "eligible_calls",
    "heart_handled_incidents",
    "police_time_by_call_type",
    "response_times",
    "impact_beat_week",
    "impact_hour_week",
)
# The impact marts (issue 16), rebuilt whole from the TEMP tables of marts/_impact_base.sql.
IMPACT_MARTS = ("impact_beat_week", "impact_hour_week")
# A repeat call: an earlier impact call of the same type at the same block and beat at most this many days before.
REPEAT_WINDOW_DAYS = 30
# The per-incident marts: the column a row is keyed by, and the TEMP table listing the keys to rebuild.
INCREMENTAL = {
    "cad_incidents": ("incident_id", "mart_scope_incidents"),
    "heart_responses": ("response_id", "mart_scope_responses"),
    "eligible_calls": ("incident_id", "mart_scope_eligible"),
    "heart_handled_incidents": ("incident_id", "mart_scope_incidents"),
    "response_times": ("incident_id", "mart_scope_times"),
}
# What the validate stage leaves for the marts: every incident / response its run changed.
CHANGED_INCIDENTS = ("staging", "changed_incidents")
CHANGED_RESPONSES = ("staging", "changed_responses")
PROGRAM_TABLES = ("program", "program_units", "program_eligible_call_types", "program_service_area",
                  "program_service_hours", "program_capacity", "program_beats")
# Raise to force one full rebuild everywhere when what a mart row means changes outside sql/marts.
BUILD_VERSION = 1


@dataclass(frozen=True)
class MartPlan:
    full: bool
    reason: str          # why full, or "incremental"
    config_hash: str


def load_program_config(con: duckdb.DuckDBPyConnection, program: ProgramConfig) -> None:
    """staging.program_* from the configuration file; creates the marts and metrics schemas."""
    run_sql_file(con, "marts/create_schemas.sql", {})
    write_program_tables(con, program)


def config_hash(con: duckdb.DuckDBPyConnection, program: ProgramConfig) -> str:
    """What every mart row depends on besides the data: the program tables, the time zone, the marts' SQL."""
    digest = hashlib.sha256(f"{BUILD_VERSION}|{program.timezone}".encode())
    for table in PROGRAM_TABLES:
        rows = con.execute(f"SELECT * FROM staging.{table} ORDER BY ALL").fetchall()
        digest.update(f"|{table}:{rows!r}".encode())
    for path in sorted((SQL_DIR / "marts").glob("*.sql")):
        digest.update(f"|{path.name}:".encode() + path.read_bytes())
    return digest.hexdigest()


def plan_build(con: duckdb.DuckDBPyConnection, program: ProgramConfig, full: bool = False) -> MartPlan:
    """Decide full or incremental, and fill the TEMP scope tables the mart files read (empty when full)."""
    run_sql_file(con, "marts/create_schemas.sql", {})
    digest = config_hash(con, program)
    reason = "full build asked for" if full else _full_reason(con, digest)
    plan = MartPlan(full=reason is not None, reason=reason or "incremental", config_hash=digest)
    run_sql_file(con, "marts/_scopes.sql", {"full": plan.full})
    if not plan.full:
        run_sql_file(con, "marts/_scope_incidents.sql", {})
    return plan


def _full_reason(con: duckdb.DuckDBPyConnection, digest: str) -> str | None:
    if not (has_table(con, *CHANGED_INCIDENTS) and has_table(con, *CHANGED_RESPONSES)):
        return "no record of the validation run's changes (staging.changed_incidents, changed_responses)"
    if any(not has_table(con, "marts", m) for m in MART_MODELS):
        return "the marts have not been built yet"
    state = con.execute("SELECT config_hash FROM metrics.build_state WHERE stage = 'marts'").fetchall()
    if len(state) != 1 or state[0][0] != digest:
        return "the program configuration or the marts' SQL changed since the last build"
    return None


def build_mart(con: duckdb.DuckDBPyConnection, model: str, program: ProgramConfig) -> int:
    """Build one mart from its SQL file, whole or for the planned scope; returns its row count.

    Without a plan (no TEMP mart_plan on the connection) the mart is rebuilt whole.
    """
    if model not in MART_MODELS:
        raise KeyError(f"no mart named {model!r}")
    query = read_sql(f"marts/{model}.sql")
    params = {"tz": program.timezone, "full": True, "repeat_window_days": REPEAT_WINDOW_DAYS}
    planned = con.execute("SELECT count(*) FROM duckdb_tables() WHERE temporary AND table_name = 'mart_plan'")
    full = not planned.fetchone()[0] or con.execute("SELECT is_full FROM mart_plan").fetchone()[0]
    if model in IMPACT_MARTS:
        run_sql_file(con, "marts/_impact_base.sql", params)   # either impact mart can be built alone
    if model not in INCREMENTAL:
        run_sql(con, query, params, f"marts/{model}.sql")     # a whole-table statement: the mart is small, or sums up all the data
    elif full:
        run_sql(con, f"CREATE OR REPLACE TABLE marts.{model} AS\n{query}", params)
    else:
        _rebuild_scope(con, model, query, {**params, "full": False})
    return con.table(f"marts.{model}").aggregate("count(*)").fetchall()[0][0]


def _date_columns(con: duckdb.DuckDBPyConnection, model: str) -> list[str]:
    return [r[0] for r in con.execute(
        "SELECT column_name FROM duckdb_columns() WHERE database_name = current_database() AND schema_name = 'marts' "
        "AND table_name = ? AND data_type = 'DATE' ORDER BY column_index", [model]).fetchall()]


def _rebuild_scope(con: duckdb.DuckDBPyConnection, model: str, query: str, params: dict) -> None:
    """Delete the scope's rows of one mart and insert them again; note the local dates of both."""
    key, scope = INCREMENTAL[model]
    if model == "eligible_calls":
        run_sql_file(con, "marts/_scope_eligible.sql", {})
    elif model == "response_times":
        run_sql_file(con, "marts/_scope_times.sql", {})
    dates = _date_columns(con, model)
    run_sql(con, f"CREATE OR REPLACE TEMP TABLE mart_new AS\n{query}", params)
    if model == "heart_responses":
        # The old busy intervals, before the rows go: a call received in one may have had a team free since.
        con.execute("INSERT INTO mart_busy_changes SELECT busy_from, busy_until FROM marts.heart_responses "
                    f"WHERE response_id IN (SELECT response_id FROM {scope}) AND busy_until IS NOT NULL")
    if dates:
        unnested = f"unnest([{', '.join(dates)}])"
        con.execute(f"INSERT INTO mart_changed_dates SELECT DISTINCT {unnested} FROM marts.{model} "
                    f"WHERE {key} IN (SELECT {key} FROM {scope})")
        con.execute(f"INSERT INTO mart_changed_dates SELECT DISTINCT {unnested} FROM mart_new")
    con.execute(f"DELETE FROM marts.{model} WHERE {key} IN (SELECT {key} FROM {scope})")
    con.execute(f"INSERT INTO marts.{model} SELECT * FROM mart_new")
    if model == "heart_responses":
        con.execute("INSERT INTO mart_busy_changes SELECT busy_from, busy_until FROM mart_new WHERE busy_until IS NOT NULL")
    con.execute("DROP TABLE mart_new")


def record_build(con: duckdb.DuckDBPyConnection, plan: MartPlan) -> None:
    """The build in metrics.build_state; its changed dates in metrics.changed_dates (emptied by a full one)."""
    run_sql_file(con, "marts/_build_state.sql",
         {"config_hash": plan.config_hash, "full": plan.full, "reason": plan.reason})
    # The validate stage's changes are now in the marts: empty its record, in the build's transaction.
    # Validation adds to it until then, so changes of a run stopped before the marts are not lost.
    for schema, table in (CHANGED_INCIDENTS, CHANGED_RESPONSES):
        if has_table(con, schema, table):
            con.execute(f"DELETE FROM {schema}.{table}")


def consistent(con: duckdb.DuckDBPyConnection) -> bool:
    """After an incremental build: one mart row per staging incident and response, as a full build gives."""
    return con.execute(
        "SELECT (SELECT count(*) FROM marts.cad_incidents) = (SELECT count(*) FROM staging.cad_incidents) "
        "AND (SELECT count(*) FROM marts.heart_responses) = (SELECT count(*) FROM staging.heart_responses)"
    ).fetchone()[0]


def build_marts(con: duckdb.DuckDBPyConnection, program: ProgramConfig, full: bool = False) -> dict[str, int]:
    """Load the program configuration, build every mart (incrementally when it can); returns rows per mart."""
    load_program_config(con, program)
    counts: dict[str, int] = {}
    for _ in build_marts_steps(con, program, full, counts):
        pass
    return counts


def build_marts_steps(con: duckdb.DuckDBPyConnection, program: ProgramConfig, full: bool, counts: dict[str, int]):
    """Build the marts in one transaction, yielding each model's name as it is built (for Dagster's events).

    The transaction commits after the last mart and its record: a failure on the way
    leaves every mart as it was. An incremental build that leaves the marts inconsistent with
    staging (a validation run whose changes never reached the marts, say) is redone in full
    within the same transaction.
    """
    con.begin()
    try:
        plan = plan_build(con, program, full)
        log.info("marts: %s", plan.reason)
        for model in MART_MODELS:
            counts[model] = build_mart(con, model, program)
            yield model
        if not plan.full and not consistent(con):
            log.warning("marts: the incremental build disagrees with staging; rebuilding in full")
            plan = plan_build(con, program, full=True)
            for model in MART_MODELS:
                counts[model] = build_mart(con, model, program)
        record_build(con, plan)
        con.commit()
    except BaseException:
        con.rollback()
        raise


def impact_notes(con: duckdb.DuckDBPyConnection) -> list[str]:
    """What the impact marts could not count, one sentence each, for the run summary: outcome classes
    no profile of the impact calls maps (their counts NULL), and profiles whose repeat calls match
    on beat and call type only (no block mapped)."""
    if not has_table(con, "marts", "impact_beat_week") or not has_table(con, "raw", "profile_outcome_classes"):
        return []
    return [row["note"] for row in query_sql_file(con, "marts/impact_notes.sql")]
