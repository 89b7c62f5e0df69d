"""Run settings: where inputs, the warehouse and reports live, and the limits a run enforces.

Defaults point at the repository's sample data so `heart run` works out of the
box; the CLI and the Dagster resource override them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from pipeline.suppression import DEFAULT_THRESHOLD

REPO_ROOT = Path(__file__).resolve().parent.parent
SQL_DIR = REPO_ROOT / "sql"

DEFAULT_INBOX = REPO_ROOT / "data_samples"
DEFAULT_WAREHOUSE = REPO_ROOT / "warehouse" / "heart.duckdb"
DEFAULT_REPORTS = REPO_ROOT / "reports"
DEFAULT_PROFILES = REPO_ROOT / "profiles"
# Dated program facts (eligible call types, service area and hours, capacity).
DEFAULT_PROGRAM = REPO_ROOT / "config" / "program.toml"
# The 911 center's local civil time, used when a profile names no time zone.
DEFAULT_TIMEZONE = "America/New_York"
# A table whose quarantined share of rows passes this blocks downstream assets:
# at that point the problem is the export, not a few bad rows.
DEFAULT_MAX_QUARANTINE_SHARE = 0.05
# Public outputs show counts from 1 to this minus one as "<N"; the default lives with the rule.
DEFAULT_SUPPRESSION_THRESHOLD = DEFAULT_THRESHOLD


@dataclass(frozen=True)
class Settings:
    inbox: Path = DEFAULT_INBOX
    warehouse: Path = DEFAULT_WAREHOUSE
    reports: Path = DEFAULT_REPORTS
    profiles: Path = DEFAULT_PROFILES
    program: Path = DEFAULT_PROGRAM
    timezone: str = DEFAULT_TIMEZONE
    max_quarantine_share: float = DEFAULT_MAX_QUARANTINE_SHARE
    suppression_threshold: int = DEFAULT_SUPPRESSION_THRESHOLD

    def with_paths(self, **paths) -> "Settings":
        return replace(self, **{k: Path(v) for k, v in paths.items() if v is not None})
