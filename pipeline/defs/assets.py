"""Assets of the ingest and validate groups. Each is a call into pipeline/ plus metadata.

No `from __future__ import annotations` here: Dagster inspects the context
parameter's annotation at definition time and needs the real class.
"""


from pathlib import Path

import dagster as dg
from dagster_duckdb import DuckDBResource

from pipeline import ingest, validate
from pipeline.validate import contract_checks
from pipeline.defs.keys import INGEST, VALIDATE
from pipeline.defs.resources import HeartSettings, warehouse
from pipeline.progress import report



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
    # One clock: the program's time zone, unless a profile overrides it for its source.
    program_timezone = heart_settings.load_program().timezone
    with warehouse(duckdb) as con:
        summary = ingest.ingest_inbox(
            con, Path(heart_settings.inbox), profiles, program_timezone, progress=_progress(context)
        )
    for change in summary.revalidations:
        context.log.info(f"{change.file_name}: profile {change.profile} changed ({', '.join(change.changed)}): "
                         f"{change.action}")
    for result in summary.files:
        if result.status == "unreadable":
            context.log.warning(f"{result.file_name}: unreadable: {result.reason}")
    loaded = [f for f in summary.files if f.status == "loaded"]
    # New to this run: loaded or refused. When there were some and none loaded, `heart run` exits 1.
    new = [f for f in summary.files if f.status != "already_loaded"]
    refused = [f for f in new if f.status == "unreadable"]
    if new and len(refused) == len(new):
        context.log.warning(f"Every new file was refused ({len(refused)}): nothing new was loaded")
    meta = {
        "files_new": summary.count("loaded"),
        "files_already_loaded": summary.count("already_loaded"),
        "files_unreadable": summary.count("unreadable"),
        "every_new_file_refused": bool(new) and len(refused) == len(new),
        "files_refused": ", ".join(f.file_name for f in refused) or "none",
        "files_revalidated": len(summary.revalidations),
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
    check_specs=[
        dg.AssetCheckSpec("cad_quarantine_share_within_limit", asset="staging_cad_rows", blocking=True,
                          description="Quarantined share of CAD rows is within the configured limit."),
        dg.AssetCheckSpec("heart_quarantine_share_within_limit", asset="staging_heart_rows", blocking=True,
                          description="Quarantined share of HEART rows is within the configured limit."),
        dg.AssetCheckSpec("every_file_reconciles", asset="load_audit",
                          description="Per file: rows read = accepted + quarantined."),
    ],
)
def validated_rows(context: dg.AssetExecutionContext, duckdb: DuckDBResource, heart_settings: HeartSettings):
    """Type and check every row of both sources, then reconcile per file.

    One step on purpose: the load audit is written even when a blocking
    quarantine check then stops the canonical tables from being published, so
    people can see why.
    """
    say = _progress(context)
    with warehouse(duckdb) as con:
        say("Validating CAD rows ...")
        validate.build_cad(con)
        say("Validating HEART rows ...")
        validate.build_heart(con)
        validate.build_load_audit(con)
        audit = validate.load_audit_rows(con)
        shares = [
            _share_check(con, kind, heart_settings.max_quarantine_share, f"staging_{kind}_rows")
            for kind in ("cad", "heart")
        ]
    for check in shares:
        yield dg.MaterializeResult(asset_key=check.asset_key, metadata=dict(check.metadata))
    yield dg.MaterializeResult(asset_key="quarantine_cad_failures")
    yield dg.MaterializeResult(asset_key="quarantine_heart_failures")
    broken = [r["file_name"] for r in audit if not r["reconciles"]]
    yield dg.MaterializeResult(
        asset_key="load_audit", metadata={"files": len(audit), "not_reconciling": len(broken)}
    )
    yield dg.AssetCheckResult(
        asset_key="load_audit",
        check_name="every_file_reconciles",
        passed=not broken,
        metadata={"files_not_reconciling": ", ".join(broken) or "none"},
    )
    yield from shares


def _contract_check(con, table: str, asset_key: str) -> dg.AssetCheckResult:
    failures = contract_checks.contract_failures(con, table)
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
