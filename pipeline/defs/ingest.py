"""Assets of the ingest group: every new inbox file read once into raw (raw_cad_rows, raw_heart_rows,
file_loads). A call into pipeline/ingest.py plus metadata.

No `from __future__ import annotations` here: Dagster inspects the context
parameter's annotation at definition time and needs the real class.
"""

from pathlib import Path

import dagster as dg
from dagster_duckdb import DuckDBResource

from pipeline import ingest
from pipeline.defs.keys import INGEST
from pipeline.defs.resources import HeartSettings, progress_to_log, warehouse


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
            con, Path(heart_settings.inbox), profiles, program_timezone, progress=progress_to_log(context),
            pseudonym_key=heart_settings.pseudonym_key(),
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
