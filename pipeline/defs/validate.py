"""Assets of the validate group: staging, quarantine and the load audit; the canonical CAD tables;
HEART responses. Each is a call into pipeline/ plus metadata, with the contract checks.

No `from __future__ import annotations` here: Dagster inspects the context
parameter's annotation at definition time and needs the real class.
"""

import dagster as dg
from dagster_duckdb import DuckDBResource

from pipeline import checks, validate
from pipeline.validate import contract_checks
from pipeline.defs.keys import VALIDATE
from pipeline.defs.resources import HeartSettings, progress_to_log, warehouse


def _validated_specs(kind: str) -> list[dg.AssetSpec]:
    return [
        dg.AssetSpec(f"staging_{kind}_rows", group_name=VALIDATE, deps=[f"raw_{kind}_rows", "file_loads"],
                     description=f"Accepted {kind} rows: typed, every check passed, with lineage."),
        dg.AssetSpec(f"quarantine_{kind}_failures", group_name=VALIDATE, deps=[f"raw_{kind}_rows", "file_loads"],
                     description=f"One row per failed check on a {kind} row: file, row, column, check, value."),
    ]


@dg.multi_asset(
    specs=[
        *_validated_specs("cad"),
        *_validated_specs("heart"),
        dg.AssetSpec("load_audit", group_name=VALIDATE, deps=["file_loads"],
                     description="Per file: rows read, accepted, quarantined; unreadable files with the reason."),
    ],
    # sql/checks/<asset>/: the quarantine shares block (the canonical tables are not built from a batch
    # with too many bad rows); the per-file reconciliation is reported, not blocking.
    check_specs=[*checks.check_specs("staging_cad_rows"), *checks.check_specs("staging_heart_rows"),
                 *checks.check_specs("load_audit")],
)
def validated_rows(context: dg.AssetExecutionContext, duckdb: DuckDBResource, heart_settings: HeartSettings):
    """Type and check the rows not validated before (every row on a full rebuild), then reconcile per file.

    One step on purpose: the load audit is written even when a blocking
    quarantine check then stops the canonical tables from being published, so
    people can see why. One transaction: staging, quarantine and the record of
    validated files change together.
    """
    say = progress_to_log(context)
    with warehouse(duckdb) as con:
        with validate.transaction(con):
            say("Validating CAD rows ...")
            validate.build_cad(con)
            say("Validating HEART rows ...")
            validate.build_heart(con)
            validate.build_load_audit(con)
        audit = validate.load_audit_rows(con)
        limit = {"limit": heart_settings.max_quarantine_share}
        shares = [*checks.run_checks(con, "staging_cad_rows", limit), *checks.run_checks(con, "staging_heart_rows", limit)]
        reconciled = checks.run_checks(con, "load_audit")
    for share in shares:
        yield dg.MaterializeResult(asset_key=share.check.asset_key, metadata=share.metadata)
    yield dg.MaterializeResult(asset_key="quarantine_cad_failures")
    yield dg.MaterializeResult(asset_key="quarantine_heart_failures")
    yield dg.MaterializeResult(
        asset_key="load_audit",
        metadata={"files": len(audit), "not_reconciling": sum(1 for r in audit if not r["reconciles"])},
    )
    yield from (outcome.result() for outcome in [*reconciled, *shares])


def _contract_check(con, table: str, asset_key: str) -> dg.AssetCheckResult:
    failures = contract_checks.contract_failures(con, table)
    return dg.AssetCheckResult(
        asset_key=asset_key,
        check_name="meets_contract",
        passed=not failures,
        metadata={"failures": "\n".join(failures) or "none"},
    )


@dg.multi_asset(
    name="cad_canonical",   # the op's name (its step key in runs) is pinned; the function says what it builds
    specs=[
        dg.AssetSpec("cad_incidents", group_name=VALIDATE, deps=["staging_cad_rows"],
                     description="One row per CAD incident, newest export winning."),
        dg.AssetSpec("cad_unit_assignments", group_name=VALIDATE, deps=["staging_cad_rows"],
                     description="Units assigned to each incident, from its winning export."),
    ],
    check_specs=[
        dg.AssetCheckSpec("meets_contract", asset="cad_incidents", description="pandera contract, run in DuckDB."),
        dg.AssetCheckSpec("meets_contract", asset="cad_unit_assignments",
                          description="pandera contract, run in DuckDB."),
    ],
)
def cad_incidents_and_assignments(duckdb: DuckDBResource):
    """The canonical CAD tables, cad_incidents and cad_unit_assignments: validate.build_cad builds them
    (in validated_rows); this asset (op `cad_canonical`) publishes them as assets and checks their contract."""
    with warehouse(duckdb) as con:
        count = con.execute("SELECT count(*) FROM staging.cad_incidents").fetchall()[0][0]
        checks = [
            _contract_check(con, "staging.cad_incidents", "cad_incidents"),
            _contract_check(con, "staging.cad_unit_assignments", "cad_unit_assignments"),
        ]
    yield dg.MaterializeResult(asset_key="cad_incidents", metadata={"incidents": count})
    yield dg.MaterializeResult(asset_key="cad_unit_assignments")
    yield from checks


@dg.asset(
    group_name=VALIDATE,
    deps=["staging_heart_rows", "cad_incidents"],
    check_specs=[dg.AssetCheckSpec("meets_contract", asset="heart_responses",
                                   description="pandera contract, run in DuckDB.")],
)
def heart_responses(duckdb: DuckDBResource):
    """One row per HEART response, newest export winning, linked to its CAD incident where present:
    validate.build_heart brings it up to date for the responses it touched (in validated_rows); this
    asset publishes it and checks its contract."""
    with warehouse(duckdb) as con:
        linked, unlinked = con.execute(
            "SELECT count(*) FILTER (cad_linked), count(*) FILTER (NOT cad_linked) FROM staging.heart_responses"
        ).fetchall()[0]
        check = _contract_check(con, "staging.heart_responses", "heart_responses")
    yield dg.MaterializeResult(metadata={"linked_to_cad": linked, "unlinked": unlinked})
    yield check
