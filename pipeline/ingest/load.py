"""Loading one file: its rows and its audit row in one transaction, so a crash never leaves half a file.

A file that cannot be read is recorded with the reason (status 'unreadable') and
the other files still load.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from pipeline.ingest.mapping import has_row_extras
from pipeline.ingest.profiles import Profile
from pipeline.ingest.read import UnreadableFile, as_of_from_rows, read_file
from pipeline.warehouse.sqlfiles import run_sql_file
from pipeline.warehouse import has_table


@dataclass
class FileResult:
    file_name: str
    status: str  # loaded | unreadable | already_loaded
    profile: str | None = None
    kind: str | None = None
    rows_read: int = 0
    reason: str | None = None

    @property
    def refused(self) -> bool:
        """True when none of the file's rows were taken (status 'unreadable'; reason says why).

        A file with malformed rows is not refused: those rows are quarantined
        (check malformed_row) and the rest of the file loads.
        """
        return self.status == "unreadable"


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    run_sql_file(con, "raw/create_tables.sql")


def _load_one(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    file_id: str,
    profile: Profile | UnreadableFile,
    default_timezone: str,
    load_seq: int,
    profile_version: str | None = None,
    replace: bool = False,
    pseudonym_key: str | None = None,
) -> FileResult:
    """Read one file and record it; `replace`: it was loaded before, and its old rows and audit row go.

    `pseudonym_key`: the secret HEART person keys are hashed with (pipeline/ingest/pseudonym.py)."""
    audit = {
        "file_id": file_id,
        "file_name": path.name,
        "file_path": str(path.resolve()),
        "file_bytes": path.stat().st_size,
        "profile": None,
        "kind": None,
        "timezone": None,
        "export_as_of": None,
        "load_seq": load_seq,
        "status": "loaded",
        "error": None,
        "rows_read": 0,
        "columns_read": None,
        "columns_unused": None,
        "profile_version": profile_version,
    }
    try:
        if isinstance(profile, UnreadableFile):
            raise profile
        audit.update(
            profile=profile.name,
            kind=profile.kind,
            timezone=profile.timezone or default_timezone,
            export_as_of=profile.export_as_of(path.name),
        )
        # Staged outside the transaction: rowids of a table created inside one
        # are transaction-local and would not number the rows from 0.
        rows, columns, unused = read_file(con, path, profile, pseudonym_key=pseudonym_key)
        audit.update(rows_read=rows, columns_read=len(columns), columns_unused=unused)
        if profile.as_of_field:
            audit.update(export_as_of=as_of_from_rows(con, profile))
    except UnreadableFile as exc:
        audit.update(status="unreadable", error=str(exc), rows_read=0)
    # The file's rows and its audit row land together or not at all.
    con.execute("BEGIN TRANSACTION")
    try:
        if replace:
            run_sql_file(con, "raw/forget_file.sql", {"file_id": file_id})
            if has_table(con, "raw", "row_checks") and has_table(con, "raw", "code_labels"):
                run_sql_file(con, "raw/forget_file_extras.sql", {"file_id": file_id})
        if audit["status"] == "loaded":
            lineage = {"file_id": file_id, "source_file": path.name, "profile": audit["profile"]}
            run_sql_file(con, f"raw/insert_{audit['kind']}_rows.sql", lineage)
            run_sql_file(con, "raw/insert_malformed_rows.sql", {**lineage, "kind": audit["kind"]})
            if has_row_extras(profile):  # else two more scans of the file's rows would find nothing
                run_sql_file(con, "raw/insert_row_extras.sql", {**lineage, "kind": audit["kind"]})
        run_sql_file(con, "raw/record_file_load.sql", audit)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    finally:
        run_sql_file(con, "raw/drop_mapped_file.sql")
    return FileResult(
        path.name,
        audit["status"],
        profile=audit["profile"],
        kind=audit["kind"],
        rows_read=audit["rows_read"],
        reason=audit["error"],
    )
