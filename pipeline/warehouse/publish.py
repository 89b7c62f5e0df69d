"""Publishing the working warehouse as the analysts' file, atomically.

Runs build into a working DuckDB file (settings.working), created in the
published storage format (STORAGE_VERSION, which DuckDB 1.x tools can open) so
that publishing is a file copy. At the end of a successful run the
`warehouse/published` asset calls `publish`: the working file is checkpointed
(so the .db file holds every committed change and no write-ahead log is left),
its bytes are copied to a temp file beside the published one and fsynced, the
copy is attached read-only and checked against the working file by the SQL check
sql/checks/published/copy_matches_working.sql (same schemas, tables, views,
columns, macros and comments; same row count per table), detached and renamed
onto the published path. The published file is the working file's size, free
blocks included: DuckDB reuses them but does not compact the file, so it runs
up to half again the size of a compacted copy after runs that rebuild tables.

A working file in another storage format (created by an earlier version, which
let DuckDB pick its newest format) is published the way every file used to be:
COPY FROM DATABASE into a temp file attached in STORAGE_VERSION (compacted),
then the same check. That takes ten to twenty times as long on a large
warehouse (10 s against 0.5 s for 2 million CAD rows), but is right for any
working file.

The rename is atomic on POSIX: a reader opens either the old file or the new
one, never a half-written one. An analyst's open read-only session keeps the
old file's inode, so it goes on reading the old data until it is reopened, and
it never blocks a run (no process but this rename ever writes the published
path). A failure anywhere before the rename removes the temp file and leaves
the published file untouched.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from pipeline.warehouse.sqlfiles import query_sql_file, quote_identifier, run_sql_file

# The on-disk format of the published file (and of every working file created since). DuckDB 2.0
# writes v2.0.0 by default, which DuckDB 1.x cannot open; v1.4.0 files open in DuckDB >= 1.4.0 (the
# 1.4 LTS line, the 1.5 CLI `duckdb-cli`, DBeaver's DuckDB JDBC driver >= 1.4.0) and in 2.x.
STORAGE_VERSION = "v1.4.0"
# The alias the temp file is attached under (fixed in sql/publish/*.sql and the published checks).
COPY_ALIAS = "published_copy"
# sql/checks/published/: run on the working file with the copy attached, before the rename.
CHECKS = "published"
# How the temp file was written (Published.method).
FILE_COPY = "file copy"
DATABASE_COPY = "COPY FROM DATABASE"


class PublishError(Exception):
    """The snapshot did not match the working file; nothing was published."""


@dataclass(frozen=True)
class Published:
    path: Path
    storage_version: str
    tables: int
    rows: int
    bytes: int
    # FILE_COPY, or DATABASE_COPY for a working file in another storage format (and why).
    method: str = FILE_COPY
    # sql/checks/published/ results, as pipeline.checks.run_checks gives them (all passed).
    checks: list = field(default_factory=list)     # of pipeline.checks.CheckOutcome


def staging_path(published: Path) -> Path:
    """The temp file a snapshot is written to: beside the published file, so the rename stays on one filesystem."""
    return published.with_name(f"{published.name}.publishing")


def wal_path(database: Path) -> Path:
    return database.with_name(f"{database.name}.wal")


def _remove(*paths: Path) -> None:
    for path in paths:
        path.unlink(missing_ok=True)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def has_published_format(tag: str | None) -> bool:
    """Whether DuckDB's storage_version tag ('v1.4.0+': readable from v1.4.0 on) names STORAGE_VERSION."""
    return tag is not None and tag.removesuffix("+") == STORAGE_VERSION


def create_working(working: Path) -> bool:
    """Create an empty working file in STORAGE_VERSION when there is none; returns whether it did.

    A file's storage format is fixed when it is created (duckdb.connect on a new path picks
    DuckDB's newest), so the working file must be created here before anything connects to it.
    Created under a temp name and renamed, so a run killed meanwhile leaves no broken file.
    """
    working = Path(working)
    if working.exists():
        return False
    working.parent.mkdir(parents=True, exist_ok=True)
    partial = working.with_name(f"{working.name}.creating")
    _remove(partial, wal_path(partial))
    try:
        with duckdb.connect() as con:
            run_sql_file(con, "publish/create_working.sql", {"path": str(partial), "storage_version": STORAGE_VERSION})
        os.replace(partial, working)
    finally:
        _remove(partial, wal_path(partial))
    return True


def _count_rows(con: duckdb.DuckDBPyConnection, database: str) -> None:
    for table in query_sql_file(con, "publish/tables.sql", {"database": database}):
        name = ".".join(quote_identifier(part) for part in (database, table["schema_name"], table["table_name"]))
        run_sql_file(con, "publish/count_rows.sql", {"database": database, "schema": table["schema_name"],
                                                     "table_name": table["table_name"], "table": name})


def _check_copy(con: duckdb.DuckDBPyConnection, source: str) -> tuple[list[dict], int, int]:
    """Run sql/checks/published/ on the working file `source` with the copy attached.

    Raises PublishError with the first failing check's example; else returns the results and
    the copy's table and row counts.
    """
    # Here, not at the top: pipeline.checks imports Dagster, which `heart sql` and `heart metrics`
    # (importing this module through pipeline.cli) do not need to load.
    from pipeline import checks

    run_sql_file(con, "publish/row_counts.sql")
    try:
        # A count(*) per table, as DuckDB counts the rows of a table named by a value one table at a
        # time (duckdb_tables().estimated_size still counts deleted rows); about 0.1 s in all for
        # the 35 tables and 10 million rows of a large warehouse.
        _count_rows(con, source)
        _count_rows(con, COPY_ALIAS)
        results = checks.run_checks(con, CHECKS)
        tables, rows = con.execute(
            "SELECT count(*), coalesce(sum(row_count), 0) FROM published_row_counts WHERE database_name = ?",
            [COPY_ALIAS]).fetchall()[0]
    finally:
        run_sql_file(con, "publish/drop_row_counts.sql")
    for result in results:
        if result.failures:
            differences = f"{result.failures} difference{'s' if result.failures != 1 else ''}"
            raise PublishError(f"the snapshot does not match the working file ({result.check.name}: "
                               f"{differences}), e.g. {result.figures.get('example')}")
    return results, tables, rows


def _file_to_copy(con: duckdb.DuckDBPyConnection, source: str) -> tuple[Path | None, str]:
    """The working file, checkpointed, when its bytes can be published as they are; else None and why not."""
    row = query_sql_file(con, "publish/storage_version.sql", {"database": source})[0]
    if row["path"] is None:
        return None, "the working database is not a file"
    if not has_published_format(row["storage_version"]):
        # A working file created before working files were created in STORAGE_VERSION: its bytes
        # are in a format DuckDB 1.x cannot read. Not migrated here: the working file is the
        # pipeline's persistent state and is open; COPY FROM DATABASE into the temp file gives
        # the same published file, only slower. (Removing the working file right after a run that
        # published makes the next `heart run` start it from the published file, in
        # STORAGE_VERSION: docs/operations.md.)
        return None, f"the working file is in storage format {row['storage_version']}, not {STORAGE_VERSION}"
    # Write every committed change into the .db file, so that its bytes are the whole database.
    con.execute(f"CHECKPOINT {quote_identifier(source)}")
    working = Path(row["path"])
    if wal_path(working).exists() and wal_path(working).stat().st_size > 0:
        return None, f"{wal_path(working).name} still holds changes after CHECKPOINT"
    return working, ""


def publish(con: duckdb.DuckDBPyConnection, published: Path) -> Published:
    """Copy the database `con` has open (the working file) onto `published`, atomically.

    The published file is only ever written by the rename at the end: on any
    error before it the temp file is removed and `published` is as it was.
    """
    published = Path(published).resolve()
    temp = staging_path(published)
    # A temp file left by a run that was killed mid-copy: never published, safe to drop.
    _remove(temp, wal_path(temp))
    source = con.execute("SELECT current_database()").fetchall()[0][0]
    attached = False
    try:
        working, why_not = _file_to_copy(con, source)
        if working is not None:
            method = FILE_COPY
            shutil.copyfile(working, temp)
            _fsync(temp)
            run_sql_file(con, "publish/attach_copy_read_only.sql", {"path": str(temp)})
            attached = True
        else:
            method = f"{DATABASE_COPY} ({why_not})"
            run_sql_file(con, "publish/attach_copy.sql", {"path": str(temp), "storage_version": STORAGE_VERSION})
            attached = True
            # COPY FROM DATABASE takes catalog names, which DuckDB cannot bind as parameters: the
            # source's is the working file's catalog (from its file name), so it is quoted here;
            # the target is the fixed alias attach_copy.sql gives the temp file.
            # It copies schemas, tables, views, macros, sequences and their comments; temp objects
            # (TEMP macros and tables of this session) live in another catalog and stay behind.
            con.execute(f"COPY FROM DATABASE {quote_identifier(source)} TO {COPY_ALIAS}")
        results, tables, rows = _check_copy(con, source)
        run_sql_file(con, "publish/detach_copy.sql")
        attached = False
        if wal_path(temp).exists():
            raise PublishError(f"{temp.name} kept a write-ahead log after it was closed")
        if method != FILE_COPY:
            _fsync(temp)
        # A .wal beside the published file can only be left by an old single-file warehouse
        # written in place; DuckDB would replay it onto the new file, so it goes first.
        _remove(wal_path(published))
        os.replace(temp, published)
        _fsync(published.parent)
    except BaseException:
        if attached:
            try:
                run_sql_file(con, "publish/detach_copy.sql")
            except duckdb.Error:
                pass
        _remove(temp, wal_path(temp))
        raise
    return Published(path=published, storage_version=STORAGE_VERSION, tables=tables, rows=rows,
                     bytes=published.stat().st_size, method=method, checks=results)


def start_working_from_published(published: Path, working: Path) -> bool:
    """Begin the working file: as a copy of an existing warehouse, so nothing is ingested again, or empty.

    For a department whose warehouse predates the working/published split (one
    file, written in place) or whose working file was removed: when `working`
    does not exist and `published` does, copy it (with its write-ahead log, if
    an old in-place writer left one). Returns whether it copied. When neither
    exists, the working file is created empty in STORAGE_VERSION (create_working),
    so that it can be published by copying its bytes.
    """
    if working.exists():
        return False
    if not published.is_file():
        create_working(working)
        return False
    working.parent.mkdir(parents=True, exist_ok=True)
    partial = working.with_name(f"{working.name}.starting")
    try:
        shutil.copyfile(published, partial)
        if wal_path(published).is_file():
            shutil.copyfile(wal_path(published), wal_path(working))
        os.replace(partial, working)
    finally:
        _remove(partial)
    return True
