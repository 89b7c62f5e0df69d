"""One run at a time: an exclusive lock on a file beside the working warehouse.

Every run that writes the warehouse takes it before it reads anything: `heart run`
(pipeline/cli/) first thing, and a run Dagster launches (`dg dev`: schedule,
sensor, the UI) when it sets up the `duckdb` resource (pipeline/defs/resources.py).
A second run finds it held and stops at once, naming the run that holds it.

The lock is `fcntl.flock` on `<working stem>.lock` (warehouse/heart.work.lock). The
kernel releases it when the holding process exits, however it exits, so a run that
was killed leaves no stale lock: the file stays, with the dead run's details, but
nobody holds it. The file holds the holder's pid, host, start time and command,
for the message the second run prints.

Within one process the lock is re-entrant: `heart run` holds it and the Dagster
runs it executes in-process take it again without waiting on themselves.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path


class RunLocked(Exception):
    """Another run holds the lock; the message says which (pid, host, start time, command)."""


def lock_path(working: Path) -> Path:
    """warehouse/heart.work.duckdb -> warehouse/heart.work.lock"""
    return Path(working).with_name(f"{Path(working).stem}.lock")


# path -> (file descriptor, depth) for the locks this process holds.
_held: dict[str, tuple[int, int]] = {}
_guard = threading.Lock()


def holder(path: Path) -> dict:
    """What the lock file says about the run that took it last ({} when unreadable)."""
    try:
        return json.loads(Path(path).read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):
        return {}


def _holder_once_written(path: Path, wait_s: float = 1.0) -> dict:
    """The holder's details, waiting briefly for them: a run that has just taken the lock writes
    them a moment after its flock succeeds, so a run started in the same instant may find the
    file still empty (or holding the previous run's details, which name a process now gone)."""
    deadline = time.monotonic() + wait_s
    while True:
        info = holder(path)
        if (info and _alive(info.get("pid"))) or time.monotonic() >= deadline:
            return info
        time.sleep(0.05)


def _alive(pid) -> bool:
    try:
        os.kill(int(pid), 0)
    except (TypeError, ValueError, ProcessLookupError):
        return False
    except PermissionError:
        return True
    return True


def describe(info: dict) -> str:
    if not info:
        return "a run whose details could not be read"
    return (f"pid {info.get('pid', '?')} on {info.get('host', '?')}, started {info.get('started', '?')}"
            f" ({info.get('command', '?')})")


def acquire(working: Path, command: str | None = None) -> None:
    """Take the run lock for `working` or raise RunLocked at once (never waits)."""
    path = lock_path(working)
    key = str(path.resolve())
    with _guard:
        if key in _held:
            fd, depth = _held[key]
            _held[key] = (fd, depth + 1)
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise RunLocked(f"another run is using the warehouse {working}: {describe(_holder_once_written(path))}; "
                            f"try again when it has finished (lock file {path})") from None
        except BaseException:
            os.close(fd)
            raise
        info = {
            "pid": os.getpid(), "host": socket.gethostname(),
            "started": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "command": command or " ".join([Path(sys.argv[0]).name, *sys.argv[1:]]),
        }
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(info).encode(), 0)
        _held[key] = (fd, 1)


def release(working: Path) -> None:
    key = str(lock_path(working).resolve())
    with _guard:
        if key not in _held:
            return
        fd, depth = _held[key]
        if depth > 1:
            _held[key] = (fd, depth - 1)
            return
        del _held[key]
        try:
            fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)


@contextmanager
def run_lock(working: Path, command: str | None = None) -> Iterator[None]:
    acquire(working, command)
    try:
        yield
    finally:
        release(working)
