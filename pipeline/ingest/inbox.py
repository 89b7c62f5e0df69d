"""The inbox: which files a run reads, and how a file is known again (the SHA-256 of its bytes).

A file seen before (under any name) is skipped, so re-running on the same inbox
changes nothing. The inbox sensor (pipeline/defs/automation.py) wakes on a
narrower rule of its own (CSV names, size and mtime): it only asks for a run,
and the run reads the inbox through inbox_files.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

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
