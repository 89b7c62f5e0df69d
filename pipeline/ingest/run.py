"""ingest_inbox: read every new file in the inbox once, through its source profile, into raw tables.

The orchestration only: which files are new (inbox.py; only files whose path, size or
times are new are hashed), bringing files loaded under an older profile version up to
date (versions.py), then each new file in as-of order (load.py), one transaction each,
and one checkpoint at the end.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from pipeline.ingest import versions as profile_versions
from pipeline.ingest.inbox import file_ids, inbox_files
from pipeline.ingest.load import FileResult, _load_one, ensure_schema
from pipeline.ingest.mapping import refresh_profile_codes
from pipeline.ingest.profiles import Profile
from pipeline.ingest.pseudonym import key_for_connection
from pipeline.ingest.read import UnreadableFile, match_profile
from pipeline.warehouse.sqlfiles import run_sql_file

Progress = Callable[[str], None]

# DuckDB checkpoints whenever its WAL passes checkpoint_threshold (16 MiB by default),
# and a commit bigger than that is written straight into the database file. A week's
# export is bigger, so at the default every file's commit was a checkpoint of its own
# (about half of ingest's time). While ingest loads, the WAL may grow this far; one
# checkpoint at the end then writes every file's rows. Each file is still its own
# transaction (load.py): a file that fails leaves no rows, however the WAL is flushed.
INGEST_CHECKPOINT_THRESHOLD = "1GiB"


@contextmanager
def _one_checkpoint(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """Checkpoint once after ingest instead of after every file; the setting is put back."""
    before = con.execute("SELECT current_setting('checkpoint_threshold')").fetchall()[0][0]
    run_sql_file(con, "raw/checkpoint_threshold.sql", {"threshold": INGEST_CHECKPOINT_THRESHOLD})
    try:
        yield
    finally:
        run_sql_file(con, "raw/checkpoint_threshold.sql", {"threshold": before})
    con.execute("CHECKPOINT")


@dataclass
class IngestSummary:
    files: list[FileResult] = field(default_factory=list)
    # Files loaded before under an older version of their profile, and what this run did to them.
    revalidations: list[profile_versions.Revalidation] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for f in self.files if f.status == status)

    @property
    def new_files(self) -> list[FileResult]:
        """Files seen for the first time in this run (loaded or refused; not already_loaded)."""
        return [f for f in self.files if f.status != "already_loaded"]

    @property
    def every_new_file_refused(self) -> bool:
        """True when this run had new files and every one of them was refused."""
        new = self.new_files
        return bool(new) and all(f.refused for f in new)


def ingest_inbox(
    con: duckdb.DuckDBPyConnection,
    inbox: Path,
    profiles: list[Profile],
    default_timezone: str,
    progress: Progress = lambda message: None,
    pseudonym_key: str | None = None,
) -> IngestSummary:
    """Load every file not seen before; return what happened to each file in the inbox.

    `default_timezone` is the program's (config/program.toml): the zone a profile's
    times are read in unless the profile overrides it. Files loaded under an older
    version of their profile are brought up to date first (pipeline/ingest/versions.py).
    HEART person keys are stored as keyed hashes (pipeline/ingest/pseudonym.py) with
    `pseudonym_key`, by default the secret of the key file beside the connection's database.
    """
    key = pseudonym_key if pseudonym_key is not None else key_for_connection(con)
    with _one_checkpoint(con):
        return _ingest(con, inbox, profiles, default_timezone, progress, key)


def _ingest(
    con: duckdb.DuckDBPyConnection,
    inbox: Path,
    profiles: list[Profile],
    default_timezone: str,
    progress: Progress,
    key: str,
) -> IngestSummary:
    ensure_schema(con)
    refresh_profile_codes(con, profiles)
    hashes = file_ids(con, inbox_files(inbox))
    versions = {p.name: profile_versions.version(p, default_timezone) for p in profiles}

    def reread(path: Path, file_id: str, profile: Profile, load_seq: int, version: str) -> str:
        progress(f"re-reading {path.name} (profile {profile.name} changed)")
        result = _load_one(con, path, file_id, profile, default_timezone, load_seq, version, replace=True,
                           pseudonym_key=key)
        return result.status

    summary = IngestSummary()
    summary.revalidations = profile_versions.bring_up_to_date(
        con, profiles, default_timezone, {file_id: path for path, file_id in hashes.items()}, reread
    )
    known = {row[0] for row in con.execute("SELECT file_id FROM audit.file_loads").fetchall()}
    next_seq = con.execute("SELECT coalesce(max(load_seq), 0) + 1 FROM audit.file_loads").fetchall()[0][0]
    # Each new file with its profile (or why none fits), matched once.
    pending: list[tuple[str, str, Path, Profile | UnreadableFile]] = []
    for path, file_id in hashes.items():
        if file_id in known:
            summary.files.append(FileResult(path.name, "already_loaded"))
            continue
        known.add(file_id)
        try:
            profile: Profile | UnreadableFile = match_profile(path, profiles)
            as_of = profile.export_as_of(path.name) or ""
        except UnreadableFile as exc:
            profile, as_of = exc, ""
        pending.append((as_of, file_id, path, profile))
    # Load the exports in as-of order so load order agrees with export age.
    pending.sort(key=lambda item: (item[0], item[2].name))
    for number, (_, file_id, path, profile) in enumerate(pending, start=1):
        progress(f"[{number}/{len(pending)}] {path.name}")
        version = versions.get(profile.name) if isinstance(profile, Profile) else None
        summary.files.append(_load_one(con, path, file_id, profile, default_timezone, next_seq, version,
                                        pseudonym_key=key))
        next_seq += 1
    return summary
