"""Whether anything a run reads has changed since the last successful run, so a re-run can skip.

A run's outputs (the working and published warehouses, the reports) are a function of
its inputs: the inbox's files, the source profiles, the program configuration, the scenario files, the run's
settings and the pipeline's own code and SQL. After a run that published, `record` writes
a fingerprint of those inputs beside the working file (`<working>.last-run.json`); the
next `heart run` computes the fingerprint again before it opens anything, and when the
two match and the outputs are still where the last run left them, there is nothing to do:
it says so and exits 0 without touching the warehouse or the reports.

The fingerprint is cheap on purpose (a weekly re-run should cost nothing): inbox files
by name, size and modification time (not their bytes, which ingest hashes only when they
are new); profiles, program file, scenario files and code by their bytes (small files). Anything else
that changes an output is a change of one of these, with one exception written down in
docs/operations.md: a time that was in the future at the last run (`future_time`) is
judged again only when something else changes, or with `heart run --force`.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from pipeline.ingest.inbox import inbox_files
from pipeline.settings import REPO_ROOT, Settings

# The pipeline's code and SQL: an upgrade re-runs everything once.
CODE_FOLDERS = (REPO_ROOT / "pipeline", REPO_ROOT / "sql")


def state_path(working: Path) -> Path:
    return working.with_name(f"{working.name}.last-run.json")


def _file_digest(paths: list[Path], root: Path | None = None) -> str:
    digest = hashlib.sha256()
    for path in paths:
        name = path.relative_to(root).as_posix() if root else str(path)
        digest.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _tree(folder: Path, pattern: str = "*") -> list[Path]:
    return sorted(p for p in folder.rglob(pattern) if p.is_file() and "__pycache__" not in p.parts)


def _stat(path: Path) -> list | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns]


@dataclass(frozen=True)
class RunInputs:
    """What a run reads, fingerprinted; `files` is the inbox's file count, for the message."""

    fingerprint: str
    files: int


def run_inputs(settings: Settings, weeks: list | None, all_weeks: bool) -> RunInputs:
    inbox = [[p.name, *(_stat(p) or [])] for p in inbox_files(settings.inbox)]
    parts = {
        "inbox": inbox,
        "profiles": _file_digest(_tree(settings.profiles), settings.profiles),
        "program": _file_digest([settings.program]),
        "scenarios": _file_digest(_tree(settings.scenarios, "*.toml"), settings.scenarios),
        "code": _file_digest([p for folder in CODE_FOLDERS for p in _tree(folder) if p.suffix in (".py", ".sql",
                                                                                                   ".j2", ".html",
                                                                                                   ".css", ".js")],
                             REPO_ROOT),
        "settings": [str(settings.inbox.resolve()), str(settings.warehouse.resolve()),
                     str(settings.working.resolve()), str(settings.reports.resolve()),
                     settings.max_quarantine_share, settings.suppression_threshold,
                     sorted(str(w) for w in weeks or []), all_weeks],
    }
    text = json.dumps(parts, sort_keys=True, default=str)
    return RunInputs(hashlib.sha256(text.encode()).hexdigest(), len(inbox))


def _outputs(settings: Settings) -> dict:
    """The files a run leaves, by size and modification time: a changed or missing one means re-run."""
    return {"warehouse": _stat(settings.warehouse), "index": _stat(settings.reports / "index.html")}


def unchanged_since(settings: Settings, inputs: RunInputs) -> str | None:
    """When the last successful run read the same inputs and its outputs are intact, its time; else None."""
    try:
        last = json.loads(state_path(settings.working).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(last, dict) or last.get("fingerprint") != inputs.fingerprint:
        return None
    outputs = _outputs(settings)
    if any(v is None for v in outputs.values()) or last.get("outputs") != outputs:
        return None
    return str(last.get("finished_at", "?"))


def forget(settings: Settings) -> None:
    """Before a run that does work: a run that then fails must not leave an old 'nothing changed' behind."""
    state_path(settings.working).unlink(missing_ok=True)


def record(settings: Settings, inputs: RunInputs) -> None:
    """After a run that published: its inputs' fingerprint and the outputs it left."""
    path = state_path(settings.working)
    state = {"fingerprint": inputs.fingerprint, "outputs": _outputs(settings),
             "finished_at": datetime.now(timezone.utc).astimezone().isoformat(timespec="seconds")}
    partial = path.with_name(f"{path.name}.partial")
    partial.write_text(json.dumps(state, indent=1) + "\n", encoding="utf-8")
    os.replace(partial, path)
