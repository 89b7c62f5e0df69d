"""The inbox: which files a run reads, and how a file is known again (the SHA-256 of its bytes).

A file seen before (under any name) is skipped, so re-running on the same inbox
changes nothing. The inbox sensor (pipeline/defs/automation.py) wakes on a
narrower rule of its own (CSV names, size and mtime): it only asks for a run,
and the run reads the inbox through inbox_files.

Hashing every file on every run would read the whole inbox each time, files loaded
long ago included. So the SHA-256 of each file is remembered (audit.file_hashes)
with its path, size, modification time and status-change time, and a file is
hashed again only when one of them is new. Writing into a file changes its
modification time; replacing it (a rename or copy over it, even one that keeps the
old modification time) changes its status-change time; so different bytes under
an old path are still noticed. A file that changed less than SETTLED_NS before it
was hashed is not remembered (it may still be being written, or be rewritten within
one tick of the file system's clock): it is hashed again next time.
"""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

import duckdb

from pipeline.warehouse.sqlfiles import query_sql_file, run_sql_file

# Files in the inbox that are documentation, not data.
IGNORED_SUFFIXES = {".md", ".txt", ".toml"}
# A copy still in progress (browsers, rsync, Office lock files): not a file to read yet.
IN_PROGRESS_SUFFIXES = {".part", ".partial", ".tmp", ".crdownload"}


def inbox_files(inbox: Path) -> list[Path]:
    """Candidate data files in the inbox (not hidden files, not documentation)."""
    if not inbox.is_dir():
        raise FileNotFoundError(f"inbox folder not found: {inbox}")
    return sorted(
        p
        for p in inbox.iterdir()
        if p.is_file() and not p.name.startswith((".", "~"))
        and p.suffix.lower() not in IGNORED_SUFFIXES | IN_PROGRESS_SUFFIXES
    )


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# How long a file must have been left alone before it was hashed for its hash to be remembered.
SETTLED_NS = 2_000_000_000


def file_ids(con: duckdb.DuckDBPyConnection, paths: list[Path]) -> dict[Path, str]:
    """The SHA-256 of each file, read from audit.file_hashes where the file's path, size and
    times are those it had when it was hashed, else hashed now (and remembered)."""
    stats = {path: path.stat() for path in paths}
    where = {path: str(path.resolve()) for path in paths}
    known = {
        (r["file_path"], r["file_bytes"], r["modified_ns"], r["changed_ns"]): r["file_id"]
        for r in query_sql_file(con, "raw/known_file_hashes.sql", {"paths": list(where.values())})
    }
    ids: dict[Path, str] = {}
    hashed: dict[str, dict] = {}  # by path: two names that resolve to one file are one row
    for path in paths:
        before = stats[path]
        key = (where[path], before.st_size, before.st_mtime_ns, before.st_ctime_ns)
        if key in known:
            ids[path] = known[key]
            continue
        started = time.time_ns()
        ids[path] = file_sha256(path)
        after = path.stat()
        unchanged = (after.st_size, after.st_mtime_ns, after.st_ctime_ns) == key[1:]
        if unchanged and max(before.st_mtime_ns, before.st_ctime_ns) < started - SETTLED_NS:
            hashed[key[0]] = {"file_path": key[0], "file_bytes": key[1], "modified_ns": key[2], "changed_ns": key[3],
                              "file_id": ids[path]}
    if hashed:
        con.execute("BEGIN TRANSACTION")
        try:
            run_sql_file(con, "raw/remember_file_hashes.sql", {"hashes": list(hashed.values())})
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
    return ids
