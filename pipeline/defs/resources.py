"""Resources: the DuckDB warehouse and the run settings.

The `duckdb` resource is the WORKING file (settings.working): every asset reads
and writes it, and it persists between runs (ingest is incremental by file
hash). Analysts never open it; they open the published snapshot
(HeartSettings.warehouse), which only the `warehouse/published` asset writes,
by atomic rename.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
import duckdb
from dagster_duckdb import DuckDBResource
from pydantic import field_validator

from pipeline.warehouse import lock, publish
from pipeline import settings as defaults
from pipeline.ingest.profiles import Profile, load_profiles
from pipeline.ingest.pseudonym import load_key
from pipeline.progress import report
from pipeline.program import ProgramConfig, load_program
from pipeline.settings import Settings
from pipeline.warehouse import prepare


class HeartSettings(dg.ConfigurableResource):
    """Where the inbox, profiles and reports are, and the limits a run enforces."""

    inbox: str = str(defaults.DEFAULT_INBOX)
    # The analysts' published snapshot: written only by the publish asset, never opened for writing.
    warehouse: str = str(defaults.DEFAULT_WAREHOUSE)
    reports: str = str(defaults.DEFAULT_REPORTS)
    profiles: str = str(defaults.DEFAULT_PROFILES)
    program: str = str(defaults.DEFAULT_PROGRAM)
    scenarios: str = str(defaults.DEFAULT_SCENARIOS)
    max_quarantine_share: float = defaults.DEFAULT_MAX_QUARANTINE_SHARE
    suppression_threshold: int = defaults.DEFAULT_SUPPRESSION_THRESHOLD
    # The key file person keys are hashed with (pipeline/ingest/pseudonym.py); "": beside `warehouse`.
    pseudonym_key_file: str = ""

    @field_validator("max_quarantine_share")
    @classmethod
    def _share_is_a_share(cls, value: float) -> float:
        if not 0 <= value <= 1:
            raise ValueError(f"max_quarantine_share {value}: expected a share from 0 to 1, e.g. 0.05 for 5%")
        return value

    @field_validator("suppression_threshold")
    @classmethod
    def _threshold_is_sensible(cls, value: int) -> int:
        if not 2 <= value <= defaults.MAX_SUPPRESSION_THRESHOLD:
            raise ValueError(f"suppression_threshold {value}: expected a whole number from 2 to "
                             f"{defaults.MAX_SUPPRESSION_THRESHOLD}")
        return value

    def pseudonym_key(self) -> str:
        """The secret HEART person keys are hashed with: HEART_PSEUDONYM_KEY, else the key file's."""
        path = Path(self.pseudonym_key_file) if self.pseudonym_key_file else (
            Path(self.warehouse).parent / defaults.PSEUDONYM_KEY_FILE_NAME)
        return load_key(path)

    def load_profiles(self) -> list[Profile]:
        return load_profiles(Path(self.profiles))

    def load_program(self) -> ProgramConfig:
        return load_program(Path(self.program))


class WarehouseResource(DuckDBResource):
    """The working file, held for the whole run: one run at a time (pipeline/warehouse/lock.py).

    Dagster sets a resource up once per run (every run executes in one process), before the
    first step that uses it reads anything; a second run fails there at once, naming the run
    that holds the lock, and the first run is not disturbed.
    """

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        run = getattr(context, "run", None)
        command = f"dagster run {run.run_id} of {run.job_name}" if run is not None else None
        try:
            lock.acquire(Path(self.database), command=command)
        except lock.RunLocked as exc:
            raise dg.Failure(str(exc)) from None
        # A first run creates the working file in the published storage format, so publishing
        # it is a file copy (pipeline/warehouse/publish.py); an existing file is left as it is.
        try:
            publish.create_working(Path(self.database))
        except BaseException:
            lock.release(Path(self.database))
            raise

    def teardown_after_execution(self, context: dg.InitResourceContext) -> None:
        lock.release(Path(self.database))


def warehouse_resource(path: Path) -> DuckDBResource:
    path.parent.mkdir(parents=True, exist_ok=True)
    return WarehouseResource(database=str(path))


@contextmanager
def warehouse(resource: DuckDBResource) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection from the resource with the pipeline's session settings applied.

    (TimeZone cannot go in DuckDBResource's connection_config: DuckDB rejects it
    before its built-in ICU extension is loaded.)
    """
    with connection(resource) as con:
        yield prepare(con)


@contextmanager
def connection(resource: DuckDBResource) -> Iterator[duckdb.DuckDBPyConnection]:
    """The resource's connection, closed however the step ends.

    DuckDBResource.get_connection closes its connection only when the step returns normally
    (`yield conn; conn.close()`, no try/finally). A step that raised would leave the working file
    open in this process with Dagster's configuration, and the next connection with another
    configuration (the run summary's) would fail with "Can't open a connection to same database
    file with a different configuration", hiding the step's own error.
    """
    with resource.get_connection() as con:
        try:
            yield con
        finally:
            con.close()


def resources_for(settings: Settings) -> dict:
    return {
        "duckdb": warehouse_resource(settings.working),
        "heart_settings": HeartSettings(
            inbox=str(settings.inbox),
            warehouse=str(settings.warehouse),
            reports=str(settings.reports),
            profiles=str(settings.profiles),
            program=str(settings.program),
            scenarios=str(settings.scenarios),
            max_quarantine_share=settings.max_quarantine_share,
            suppression_threshold=settings.suppression_threshold,
            pseudonym_key_file=str(settings.pseudonym_key_file),
        ),
    }


def progress_to_log(context: dg.AssetExecutionContext):
    """A progress callback for an asset: each line goes to the Dagster log and to the terminal
    (when `heart run` listens). Shared by the ingest and validate assets."""

    def _say(message: str) -> None:
        context.log.info(message)
        report(message)

    return _say
