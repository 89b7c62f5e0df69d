"""Run settings: where inputs, the warehouse and reports live, and the limits a run enforces.

Defaults point at the repository's sample data so `heart run` works out of the
box; the CLI and the Dagster resource override them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from pipeline.disclosure.suppression import DEFAULT_THRESHOLD

REPO_ROOT = Path(__file__).resolve().parent.parent
SQL_DIR = REPO_ROOT / "sql"

DEFAULT_INBOX = REPO_ROOT / "data_samples"
# The analysts' file: a published snapshot, replaced whole after each successful run.
DEFAULT_WAREHOUSE = REPO_ROOT / "warehouse" / "heart.duckdb"
DEFAULT_REPORTS = REPO_ROOT / "reports"
DEFAULT_PROFILES = REPO_ROOT / "profiles"
# Dated program facts (eligible call types, service area and hours, capacity).
DEFAULT_PROGRAM = REPO_ROOT / "config" / "program.toml"
# The expansion scenarios staff edit (docs/scenarios.md); the council dashboard compares them.
DEFAULT_SCENARIOS = REPO_ROOT / "scenarios"
# A fallback for code that has no program file at hand (the automation's schedule); a run reads its
# times in the program's zone ([program].timezone in config/program.toml) unless a profile overrides it.
DEFAULT_TIMEZONE = "America/New_York"
# A table whose quarantined share of rows passes this blocks downstream assets:
# at that point the problem is the export, not a few bad rows.
DEFAULT_MAX_QUARANTINE_SHARE = 0.05
# Set (to 1) by `heart run --self-contained`: reports carry the chart library inline (pipeline/reports/render.py).
SELF_CONTAINED_ENV = "HEART_SELF_CONTAINED"
# Public outputs show counts from 1 to this minus one as "<N"; the default lives with the rule.
DEFAULT_SUPPRESSION_THRESHOLD = DEFAULT_THRESHOLD
# The secret HEART person keys are hashed with (pipeline/ingest/pseudonym.py), in the warehouse's folder
# unless HEART_PSEUDONYM_KEY is set: beside the DuckDB file, never inside it.
PSEUDONYM_KEY_FILE_NAME = "pseudonym.key"
# A threshold above this would hide nearly every monthly count of a city's program: a typo, not a policy.
MAX_SUPPRESSION_THRESHOLD = 100


def working_beside(published: Path) -> Path:
    """The run's own DuckDB file beside the published one: warehouse/heart.duckdb -> warehouse/heart.work.duckdb."""
    return published.with_name(f"{published.stem}.work.duckdb")


@dataclass(frozen=True)
class Settings:
    inbox: Path = DEFAULT_INBOX
    # The published snapshot analysts open read-only (`heart metrics`, `heart sql`, DBeaver).
    warehouse: Path = DEFAULT_WAREHOUSE
    # The file runs build into (the pipeline's persistent state); None: beside `warehouse`, see `working`.
    working_path: Path | None = None
    reports: Path = DEFAULT_REPORTS
    profiles: Path = DEFAULT_PROFILES
    program: Path = DEFAULT_PROGRAM
    scenarios: Path = DEFAULT_SCENARIOS
    max_quarantine_share: float = DEFAULT_MAX_QUARANTINE_SHARE
    suppression_threshold: int = DEFAULT_SUPPRESSION_THRESHOLD
    # The secret person keys are hashed with (pipeline/ingest/pseudonym.py); None: beside the warehouse.
    # Outside the DuckDB file on purpose: the warehouse must not hold what undoes its pseudonyms.
    pseudonym_key_path: Path | None = None

    @property
    def working(self) -> Path:
        """The working DuckDB file every asset reads and writes; published onto `warehouse` at the end of a run."""
        return self.working_path if self.working_path is not None else working_beside(self.warehouse)

    @property
    def pseudonym_key_file(self) -> Path:
        """The key file: `pseudonym_key_path`, else `pseudonym.key` in the warehouse's folder."""
        if self.pseudonym_key_path is not None:
            return self.pseudonym_key_path
        return self.warehouse.parent / PSEUDONYM_KEY_FILE_NAME

    def with_paths(self, **paths) -> "Settings":
        return replace(self, **{k: Path(v) for k, v in paths.items() if v is not None})
