"""A file is known by the SHA-256 of its bytes, and a run reads the bytes only of files it has not hashed
as they are now (audit.file_hashes: path, size, modification and status-change times).

The durham_small files of run1 are copied into a fresh inbox; SETTLED_NS is set to 0
where a test needs a hash remembered right after the copy (by default a file changed
less than two seconds before it was hashed is hashed again on the next run).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import DURHAM_SMALL, copy_into, rows

from pipeline.ingest import inbox as inbox_module
from pipeline.ingest import ingest_inbox
from pipeline.ingest.profiles import load_profiles
from pipeline.settings import DEFAULT_PROFILES

CAD_B = "durham_cad_2023-11-13.csv"


@pytest.fixture
def hashed(monkeypatch) -> list[str]:
    """The names of the files whose bytes were hashed, in order."""
    names: list[str] = []
    real = inbox_module.file_sha256

    def counting(path: Path) -> str:
        names.append(path.name)
        return real(path)

    monkeypatch.setattr(inbox_module, "file_sha256", counting)
    return names


def ingest(con, inbox: Path):
    return ingest_inbox(con, inbox, load_profiles(DEFAULT_PROFILES), "America/New_York")


def test_a_rerun_reads_no_file_it_has_hashed(con, tmp_path, hashed, monkeypatch):
    monkeypatch.setattr(inbox_module, "SETTLED_NS", 0)
    inbox = copy_into(tmp_path / "inbox", DURHAM_SMALL / "run1")
    ingest(con, inbox)
    assert len(hashed) == 3
    stored = rows(con, "SELECT file_path, file_id FROM audit.file_hashes ORDER BY 1")
    assert [Path(p).name for p, _ in stored] == sorted(p.name for p in inbox.iterdir())
    assert {f for _, f in stored} == {f for (f,) in rows(con, "SELECT file_id FROM audit.file_loads")}
    hashed.clear()
    summary = ingest(con, inbox)
    assert hashed == []
    assert [f.status for f in summary.files] == ["already_loaded"] * 3


def test_a_file_replaced_in_place_is_hashed_again_and_loaded(con, tmp_path, hashed, monkeypatch):
    monkeypatch.setattr(inbox_module, "SETTLED_NS", 0)
    inbox = copy_into(tmp_path / "inbox", DURHAM_SMALL / "run1" / CAD_B)
    ingest(con, inbox)
    path = inbox / CAD_B
    before = path.stat()
    # Other bytes of the same length, with the old modification time put back (as `cp -p` or
    # `touch -r` would): the status-change time still moves, so the file is hashed again.
    text = path.read_bytes()
    changed = text.replace(b"100 BLOCK MAIN ST", b"200 BLOCK MAIN ST")
    assert changed != text and len(changed) == len(text)
    path.write_bytes(changed)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    hashed.clear()
    summary = ingest(con, inbox)
    assert hashed == [CAD_B]
    assert [f.status for f in summary.files] == ["loaded"]
    assert rows(con, "SELECT count(*), count(DISTINCT file_id) FROM audit.file_loads") == [(2, 2)]
    # One row per path: the new hash replaced the old one.
    assert rows(con, "SELECT count(*) FROM audit.file_hashes") == [(1,)]


def test_a_file_hashed_just_after_it_changed_is_hashed_again_next_run(con, tmp_path, hashed):
    # Copied a moment ago: it may still be being written, so its hash is not remembered.
    inbox = copy_into(tmp_path / "inbox", DURHAM_SMALL / "run1" / CAD_B)
    ingest(con, inbox)
    assert rows(con, "SELECT count(*) FROM audit.file_hashes") == [(0,)]
    hashed.clear()
    assert [f.status for f in ingest(con, inbox).files] == ["already_loaded"]
    assert hashed == [CAD_B]
