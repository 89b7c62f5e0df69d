"""Assets of the ingest and validate groups. Each is a call into pipeline/ plus metadata.

No `from __future__ import annotations` here: Dagster inspects the context
parameter's annotation at definition time and needs the real class.
"""


from pathlib import Path

import dagster as dg
from dagster_duckdb import DuckDBResource

from pipeline import ingest, schemas, validate
from pipeline.progress import report
from pipeline.defs.resources import HeartSettings, warehouse

INGEST = "ingest"
VALIDATE = "validate"


def _progress(context):
    """Send a progress line to the Dagster log and to the terminal (when `heart run` listens)."""

    def _say(message: str) -> None:
        context.log.info(message)
        report(message)

    return _say


@dg.multi_asset(
    specs=[
        dg.AssetSpec("raw_cad_rows", group_name=INGEST, description="CAD rows as read, mapped onto the contract."),
        dg.AssetSpec("raw_heart_rows", group_name=INGEST, description="HEART log rows as read."),
        dg.AssetSpec("file_loads", group_name=INGEST, description="One audit row per input file (by content hash)."),
    ],
)
def inbox_files(context: dg.AssetExecutionContext, duckdb: DuckDBResource, heart_settings: HeartSettings):
    """Read every new file in the inbox once, through its source profile."""
    profiles = heart_settings.load_profiles()
    with warehouse(duckdb) as con:
        summary = ingest.ingest_inbox(
            con, Path(heart_settings.inbox), profiles, heart_settings.timezone, progress=_progress(context)
        )
    for result in summary.files:
        if result.status == "unreadable":
            context.log.warning(f"{result.file_name}: unreadable: {result.reason}")
    loaded = [f for f in summary.files if f.status == "loaded"]
    meta = {
        "files_new": summary.count("loaded"),
        "files_already_loaded": summary.count("already_loaded"),
        "files_unreadable": summary.count("unreadable"),
    }
    yield dg.MaterializeResult(
        asset_key="raw_cad_rows",
        metadata={**meta, "rows_new": sum(f.rows_read for f in loaded if f.kind == "cad")},
    )
    yield dg.MaterializeResult(
        asset_key="raw_heart_rows",
        metadata={**meta, "rows_new": sum(f.rows_read for f in loaded if f.kind == "heart")},
    )
    yield dg.MaterializeResult(asset_key="file_loads", metadata=meta)


def _share_check(con, kind: str, limit: float, asset_key: str) -> dg.AssetCheckResult:
    share = validate.quarantine_share(con, kind)
    return dg.AssetCheckResult(
        asset_key=asset_key,
        check_name=f"{kind}_quarantine_share_within_limit",
        passed=share.share <= limit,
        severity=dg.AssetCheckSeverity.ERROR,
        metadata={
            "rows_read": share.rows_read,
            "rows_quarantined": share.rows_quarantined,
            "quarantined_share": round(share.share, 5),
            "limit": limit,
        },
        description=f"{share.rows_quarantined} of {share.rows_read} {kind} rows quarantined",
    )


def _validated(kind: str):
    """A multi-asset typing and checking one source kind; blocks downstream past the quarantine limit."""
    rows_key, failures_key = f"staging_{kind}_rows", f"quarantine_{kind}_failures"
    build = validate.build_cad if kind == "cad" else validate.build_heart

    @dg.multi_asset(
        name=f"validated_{kind}",
        specs=[
            dg.AssetSpec(rows_key, group_name=VALIDATE, deps=[f"raw_{kind}_rows", "file_loads"],
                         description=f"Accepted {kind} rows: typed, every check passed, with lineage."),
            dg.AssetSpec(failures_key, group_name=VALIDATE, deps=[f"raw_{kind}_rows", "file_loads"],
                         description=f"One row per failed check on a {kind} row: file, row, column, check, value."),
        ],
        check_specs=[
            dg.AssetCheckSpec(f"{kind}_quarantine_share_within_limit", asset=rows_key, blocking=True,
                              description="Quarantined share of rows is within the configured limit."),
        ],
    )
    def _asset(context: dg.AssetExecutionContext, duckdb: DuckDBResource, heart_settings: HeartSettings):
        _progress(context)(f"Validating {kind} rows ...")
        with warehouse(duckdb) as con:
            build(con)
            check = _share_check(con, kind, heart_settings.max_quarantine_share, rows_key)
        yield dg.MaterializeResult(asset_key=rows_key, metadata=dict(check.metadata))
        yield dg.MaterializeResult(asset_key=failures_key)
        yield check

    return _asset


validated_cad = _validated("cad")
validated_heart = _validated("heart")


def _contract_check(con, table: str, asset_key: str) -> dg.AssetCheckResult:
    failures = schemas.contract_failures(con, table)
    return dg.AssetCheckResult(
        asset_key=asset_key,
        check_name="meets_contract",
        passed=not failures,
        metadata={"failures": "\n".join(failures) or "none"},
    )


@dg.multi_asset(
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
def cad_canonical(duckdb: DuckDBResource):
    """Canonical CAD tables (built by validate.build_cad; here they are published and checked)."""
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
    """One row per HEART response, newest export winning, linked to its CAD incident where present."""
    with warehouse(duckdb) as con:
        validate.build_heart_responses(con)
        linked, unlinked = con.execute(
            "SELECT count(*) FILTER (cad_linked), count(*) FILTER (NOT cad_linked) FROM staging.heart_responses"
        ).fetchall()[0]
        check = _contract_check(con, "staging.heart_responses", "heart_responses")
    yield dg.MaterializeResult(metadata={"linked_to_cad": linked, "unlinked": unlinked})
    yield check


@dg.asset(
    group_name=VALIDATE,
    deps=["quarantine_cad_failures", "quarantine_heart_failures"],
    check_specs=[dg.AssetCheckSpec("every_file_reconciles", asset="load_audit",
                                   description="Per file: rows read = accepted + quarantined.")],
)
def load_audit(duckdb: DuckDBResource):
    """Per-file reconciliation of rows read, accepted and quarantined."""
    with warehouse(duckdb) as con:
        validate.build_load_audit(con)
        rows = validate.load_audit_rows(con)
    broken = [r["file_name"] for r in rows if not r["reconciles"]]
    yield dg.MaterializeResult(metadata={"files": len(rows), "not_reconciling": len(broken)})
    yield dg.AssetCheckResult(
        check_name="every_file_reconciles",
        passed=not broken,
        metadata={"files_not_reconciling": ", ".join(broken) or "none"},
    )
