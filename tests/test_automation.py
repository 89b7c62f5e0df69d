"""Jobs, the Monday schedule and the inbox sensor, with Dagster's test contexts."""

from __future__ import annotations

import gzip
import os
import shutil
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import dagster as dg
import pytest

from conftest import METRICS_SMALL, copy_into
from pipeline.definitions import all_assets, build_definitions
from pipeline.defs import automation, reports as report_assets
from pipeline.defs.automation import (
    INBOX_SENSOR, REFRESH_JOB, WEEKLY_JOB, WEEKLY_SCHEDULE, InboxCursor, InboxFile, build_automation,
    decide_inbox, file_sha256, file_token, run_key_for, scan_inbox, week_just_ended,
)
from pipeline.defs.resources import HeartSettings, resources_for
from pipeline.settings import REPO_ROOT, Settings

NY = ZoneInfo("America/New_York")
# A Wednesday: the week just ended is the one starting Monday 2024-03-11.
NOW = datetime(2024, 3, 20, 12, 0, tzinfo=NY).timestamp()
TICK = automation.SENSOR_INTERVAL_SECONDS
FIXTURE_SETTINGS = Settings(program=METRICS_SMALL / "program.toml")


@pytest.fixture(scope="module")
def defs() -> dg.Definitions:
    return build_definitions(FIXTURE_SETTINGS)


def _selected(defs: dg.Definitions, job_name: str) -> set[str]:
    return {key.to_user_string() for key in defs.resolve_job_def(job_name).asset_layer.selected_asset_keys}


# --- Jobs --------------------------------------------------------------------------------------


def test_refresh_job_is_every_unpartitioned_asset_and_the_weekly_job_adds_the_weekly_report(defs):
    everything = {key.to_user_string() for key in defs.resolve_all_asset_keys()}
    weekly = report_assets.WEEKLY_KEY.to_user_string()
    assert _selected(defs, REFRESH_JOB) == everything - {weekly}
    assert _selected(defs, WEEKLY_JOB) == everything
    assert report_assets.INDEX_KEY.to_user_string() in _selected(defs, REFRESH_JOB)
    assert defs.resolve_job_def(REFRESH_JOB).partitions_def is None
    weekly_job = defs.resolve_job_def(WEEKLY_JOB)
    # The weeks with data, registered by runs: not a calendar from the launch week on.
    assert weekly_job.partitions_def == dg.DynamicPartitionsDefinition(name=report_assets.WEEKS_NAME)
    # One writer: every run's steps run one after another in one process.
    assert weekly_job.executor_def.name == "in_process"
    assert defs.resolve_job_def(REFRESH_JOB).executor_def.name == "in_process"


def test_jobs_take_in_assets_added_later():
    @dg.asset(key=["reports", "extra_unpartitioned"], deps=[report_assets.INDEX_KEY])
    def extra_unpartitioned() -> None: ...

    @dg.asset(key=["extra_daily"], partitions_def=dg.DailyPartitionsDefinition(start_date="2024-01-01"))
    def extra_daily() -> None: ...

    assets = [*all_assets(FIXTURE_SETTINGS), extra_unpartitioned, extra_daily]
    auto = build_automation(assets)
    defs = dg.Definitions(assets=assets, jobs=auto.jobs, schedules=auto.schedules, sensors=auto.sensors,
                          resources=resources_for(FIXTURE_SETTINGS))
    assert "reports/extra_unpartitioned" in _selected(defs, REFRESH_JOB)
    assert "reports/extra_unpartitioned" in _selected(defs, WEEKLY_JOB)
    # A differently partitioned asset is in neither job (it would make the weekly job invalid).
    assert "extra_daily" not in _selected(defs, REFRESH_JOB) | _selected(defs, WEEKLY_JOB)


# --- Schedule ----------------------------------------------------------------------------------


WEEKS = ["2023-10-30", "2023-11-06", "2024-03-04", "2024-03-11"]


def _scheduled(defs: dg.Definitions, when: datetime, weeks=WEEKS):
    schedule = defs.resolve_schedule_def(WEEKLY_SCHEDULE)
    with dg.instance_for_test() as instance:
        if weeks:
            instance.add_dynamic_partitions(report_assets.WEEKS_NAME, weeks)
        with dg.build_schedule_context(scheduled_execution_time=when, instance=instance) as context:
            return schedule(context)


def test_schedule_is_monday_six_local_in_the_program_time_zone(defs):
    schedule = defs.resolve_schedule_def(WEEKLY_SCHEDULE)
    assert schedule.cron_schedule == "0 6 * * 1"
    assert schedule.execution_timezone == "America/New_York"
    assert schedule.job_name == WEEKLY_JOB
    assert schedule.default_status == dg.DefaultScheduleStatus.RUNNING


@pytest.mark.parametrize("monday, week", [
    (datetime(2024, 3, 18, 6, 0), "2024-03-11"),   # an ordinary week
    (datetime(2024, 3, 11, 6, 0), "2024-03-04"),   # clocks went forward on Sunday 10 March: a 167-hour week
    (datetime(2023, 11, 6, 6, 0), "2023-10-30"),   # clocks went back on Sunday 5 November: a 169-hour week
    (datetime(2024, 1, 8, 6, 0), "2023-11-06"),    # no data since: the latest week WITH data, not the calendar's
    (datetime(2026, 11, 30, 6, 0), "2024-03-11"),  # years later: still the data's last week
])
def test_schedule_builds_the_latest_week_with_data_that_has_ended(defs, monday, week):
    request = _scheduled(defs, monday.replace(tzinfo=NY))
    assert isinstance(request, dg.RunRequest)
    assert request.job_name == WEEKLY_JOB
    assert request.partition_key == week
    # The sensor picks the same week at the same moment.
    assert week_just_ended(WEEKS, monday.replace(tzinfo=NY), "America/New_York") == week


def test_schedule_skips_while_no_week_with_data_has_ended(defs):
    assert isinstance(_scheduled(defs, datetime(2024, 3, 18, 6, 0, tzinfo=NY), weeks=[]), dg.SkipReason)


def test_week_just_ended_is_none_before_the_first_week_with_data_has_ended():
    assert week_just_ended(WEEKS, datetime(2023, 11, 5, 23, 59, tzinfo=NY)) is None
    assert week_just_ended(WEEKS, datetime(2023, 11, 6, 0, 0, tzinfo=NY)) == "2023-10-30"
    assert week_just_ended([], datetime(2030, 1, 1, tzinfo=NY)) is None


# --- Sensor: the plain functions ---------------------------------------------------------------


def _drop(inbox: Path, name: str, text: str, age_seconds: float = 600, now: float = NOW) -> Path:
    """Write a file into the inbox as if it had finished arriving `age_seconds` before `now`."""
    inbox.mkdir(parents=True, exist_ok=True)
    path = inbox / name
    path.write_text(text)
    os.utime(path, (now - age_seconds, now - age_seconds))
    return path


def test_candidates_are_csv_and_csv_gz_exports_only():
    assert automation.is_candidate("durham_cad_2024-03-18.csv")
    assert automation.is_candidate("durham_cad_2024-03-18.CSV.GZ")
    for name in ("README.md", "notes.txt", ".durham_cad.csv", "~$durham_cad.csv", "durham_cad.csv.part",
                 "durham_cad.csv.crdownload", "durham_cad.xlsx", "durham_cad.csv.tmp"):
        assert not automation.is_candidate(name), name


def test_scan_waits_until_a_file_has_stopped_changing(tmp_path):
    inbox = tmp_path / "inbox"
    path = _drop(inbox, "durham_cad_2024-03-18.csv", "a,b\n1,2\n", age_seconds=5)
    first = scan_inbox(inbox, InboxCursor(), NOW)
    assert (first.ready, first.waiting) == ([], ["durham_cad_2024-03-18.csv"])
    # Same size and time at the next check, but modified only 5 s before it: not yet.
    os.utime(path, (NOW + TICK - 5, NOW + TICK - 5))
    second = scan_inbox(inbox, scan_inbox(inbox, first.cursor, NOW + TICK - 5).cursor, NOW + TICK)
    assert second.ready == []
    # Still growing: not yet.
    with path.open("a") as handle:
        handle.write("3,4\n")
    os.utime(path, (NOW - 600, NOW - 600))
    third = scan_inbox(inbox, second.cursor, NOW + 2 * TICK)
    assert (third.ready, third.waiting) == ([], ["durham_cad_2024-03-18.csv"])
    # Unchanged since the previous check and quiet for a minute: ready, with its hash.
    fourth = scan_inbox(inbox, third.cursor, NOW + 3 * TICK)
    assert fourth.ready == [InboxFile("durham_cad_2024-03-18.csv", path.stat().st_size, path.stat().st_mtime_ns,
                                      file_sha256(path))]
    assert fourth.waiting == []


def test_run_key_is_the_file_and_its_hash_and_stable_without_the_cursor(tmp_path):
    inbox = tmp_path / "inbox"
    path = _drop(inbox, "durham_cad_2024-03-18.csv", "a,b\n1,2\n")
    key = f"durham_cad_2024-03-18.csv@{file_sha256(path)[:12]}"

    def settle(cursor_json):
        first = decide_inbox(inbox, cursor_json, NOW, busy=list, week="2024-03-11")
        return decide_inbox(inbox, first.cursor, NOW + TICK, busy=list, week="2024-03-11")

    decision = settle(None)
    assert decision.run_key == key
    # Cursor lost (sensor reset): the same bytes give the same key, which Dagster will not run twice.
    assert settle(None).run_key == key
    assert settle("not json").run_key == key
    two = [InboxFile("b.csv", 1, 1, "b" * 64), InboxFile("a.csv", 1, 1, "a" * 64)]
    assert run_key_for(two) == run_key_for(list(reversed(two)))
    assert run_key_for(two).startswith("2 files@")


def test_a_missing_inbox_is_a_skip_not_an_error(tmp_path):
    decision = decide_inbox(tmp_path / "nowhere", None, NOW, busy=list, week=None)
    assert decision.run_key is None
    assert "Inbox folder not found" in decision.skip_reason


def test_cursor_stays_small_with_years_of_exports_and_forgets_removed_files(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for week in range(520):   # ten years of a CAD and a HEART export a week
        for kind in ("cad", "heart"):
            path = inbox / f"durham_{kind}_{week:04d}.csv.gz"
            path.write_bytes(b"x")
            os.utime(path, (NOW - 600, NOW - 600))
    first = scan_inbox(inbox, InboxCursor(), NOW)
    second = scan_inbox(inbox, first.cursor, NOW + TICK)
    assert len(second.ready) == 1040
    cursor = second.cursor_after_request()
    assert len(cursor.to_json()) < 10_500   # Dagster stores it with every tick
    assert InboxCursor.from_json(cursor.to_json()) == cursor
    for path in list(inbox.iterdir())[:40]:
        path.unlink()
    assert len(scan_inbox(inbox, cursor, NOW + 2 * TICK).cursor.done) == 1000


# --- Sensor: through Dagster's sensor context ---------------------------------------------------


class Clock:
    def __init__(self, now: float = NOW):
        self.now = now

    def __call__(self) -> float:
        return self.now

    def tick(self) -> None:
        self.now += TICK


@pytest.fixture
def sensor_setup(tmp_path):
    """The inbox sensor over an empty temp inbox, a clock the test moves, and an ephemeral instance."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    clock = Clock()
    (sensor,) = build_automation(all_assets(FIXTURE_SETTINGS), clock=clock).sensors
    with dg.DagsterInstance.ephemeral() as instance:
        instance.add_dynamic_partitions(report_assets.WEEKS_NAME, WEEKS)
        # The latest week's report has been built: these tests are about files landing.
        instance.add_run(dg.DagsterRun(job_name=WEEKLY_JOB, status=dg.DagsterRunStatus.SUCCESS,
                                       tags={"dagster/partition": WEEKS[-1]}))

        def tick(cursor: str | None) -> dg.SensorResult:
            context = dg.build_sensor_context(
                cursor=cursor, instance=instance, resources={"heart_settings": HeartSettings(inbox=str(inbox))})
            result = sensor(context)
            clock.tick()
            return result

        yield inbox, clock, instance, tick


def _settled(tick, cursor: str | None) -> dg.SensorResult:
    """Two checks: the first sees the files, the second finds them unchanged."""
    first = tick(cursor)
    assert first.run_requests in (None, [])
    return tick(first.cursor)


def test_sensor_definition(defs):
    sensor = defs.resolve_sensor_def(INBOX_SENSOR)
    assert sensor.minimum_interval_seconds == 60
    assert sensor.default_status == dg.DefaultSensorStatus.RUNNING
    assert {job.name for job in sensor.jobs} == {REFRESH_JOB, WEEKLY_JOB}


def test_sensor_empty_inbox_skips(sensor_setup):
    inbox, _, _, tick = sensor_setup
    (inbox / "README.md").write_text("not an export")
    result = tick(None)
    assert not result.run_requests
    assert result.skip_reason.skip_message == "No new or changed files in the inbox"


def test_sensor_requests_one_run_per_new_file_and_never_twice(sensor_setup):
    inbox, _, _, tick = sensor_setup
    path = _drop(inbox, "durham_cad_2024-03-18.csv", "a,b\n1,2\n")
    first = tick(None)
    assert not first.run_requests
    assert "Waiting for 1 new or changed file(s) to stay unchanged" in first.skip_reason.skip_message
    second = tick(first.cursor)
    (request,) = second.run_requests
    assert request.run_key == f"durham_cad_2024-03-18.csv@{file_sha256(path)[:12]}"
    assert request.job_name == WEEKLY_JOB
    assert request.partition_key == "2024-03-11"
    assert request.tags["heart/files"] == "durham_cad_2024-03-18.csv"
    stat = path.stat()
    assert InboxCursor.from_json(second.cursor) == InboxCursor(
        done={file_token(path.name, stat.st_size, stat.st_mtime_ns)}, pending={})
    # The next check with the new cursor: nothing to do.
    third = tick(second.cursor)
    assert not third.run_requests
    assert third.skip_reason.skip_message == "No new or changed files in the inbox"
    assert third.cursor == second.cursor


def test_sensor_files_landing_together_start_one_run(sensor_setup):
    inbox, _, _, tick = sensor_setup
    _drop(inbox, "durham_cad_2024-03-18.csv", "a\n1\n")
    heart = inbox / "durham_heart_2024-03-18.csv.gz"
    heart.write_bytes(gzip.compress(b"b\n2\n"))
    os.utime(heart, (NOW - 600, NOW - 600))
    (request,) = _settled(tick, None).run_requests
    assert request.run_key.startswith("2 files@")
    assert request.tags["heart/files"] == "durham_cad_2024-03-18.csv, durham_heart_2024-03-18.csv.gz"


def test_sensor_a_file_still_being_written_waits(sensor_setup):
    inbox, clock, _, tick = sensor_setup
    path = _drop(inbox, "durham_cad_2024-03-18.csv", "a,b\n1,2\n", age_seconds=1)
    cursor = None
    for _ in range(3):
        # Each check finds it a little longer, just written.
        with path.open("a") as handle:
            handle.write("3,4\n")
        os.utime(path, (clock.now - 1, clock.now - 1))
        result = tick(cursor)
        assert not result.run_requests
        assert result.skip_reason.skip_message.endswith("for a minute: durham_cad_2024-03-18.csv")
        cursor = result.cursor
    # The copy finished a minute ago: the next check sees it unchanged and requests the run.
    assert tick(cursor).run_requests[0].run_key.startswith("durham_cad_2024-03-18.csv@")


def test_sensor_a_changed_file_gets_a_new_run_key_a_touched_one_does_not(sensor_setup):
    inbox, clock, _, tick = sensor_setup
    path = _drop(inbox, "durham_cad_2024-03-18.csv", "a,b\n1,2\n")
    first = _settled(tick, None)
    (first_request,) = first.run_requests
    # Touched (newer time, same bytes): the same run key, which Dagster does not run a second time.
    os.utime(path, (clock.now - 300, clock.now - 300))
    touched = _settled(tick, first.cursor)
    assert [r.run_key for r in touched.run_requests] == [first_request.run_key]
    # A corrected export under the same name: a new run with a new key.
    _drop(inbox, path.name, "a,b\n1,2\n5,6\n", now=clock.now)
    changed = _settled(tick, touched.cursor)
    (second_request,) = changed.run_requests
    assert second_request.run_key == f"{path.name}@{file_sha256(path)[:12]}"
    assert second_request.run_key != first_request.run_key


def test_sensor_waits_while_a_run_is_queued_or_in_progress(sensor_setup):
    inbox, _, instance, tick = sensor_setup
    _drop(inbox, "durham_cad_2024-03-11.csv", "a\n1\n")
    first = _settled(tick, None)
    assert first.run_requests
    # That run has been created, then starts; meanwhile a second export lands.
    # (Queued runs count too; a QUEUED run cannot be made without a code location, so NOT_STARTED here.)
    assert dg.DagsterRunStatus.QUEUED in automation.UNFINISHED_STATUSES
    run = instance.add_run(dg.DagsterRun(job_name=WEEKLY_JOB, status=dg.DagsterRunStatus.NOT_STARTED))
    _drop(inbox, "durham_cad_2024-03-18.csv", "a\n2\n")
    waiting = _settled(tick, first.cursor)
    assert not waiting.run_requests
    assert f"wait for run {run.run_id[:8]} of {WEEKLY_JOB} (NOT_STARTED) to finish" in waiting.skip_reason.skip_message
    instance.delete_run(run.run_id)
    run = instance.add_run(dg.DagsterRun(job_name="__ASSET_JOB", status=dg.DagsterRunStatus.STARTED))
    waiting = tick(waiting.cursor)
    assert not waiting.run_requests
    assert "(STARTED)" in waiting.skip_reason.skip_message
    # The cursor did not move past the new file: it is still to be requested.
    assert "durham_cad_2024-03-18.csv" in InboxCursor.from_json(waiting.cursor).pending
    assert len(InboxCursor.from_json(waiting.cursor).done) == 1
    # Finished runs and other jobs' runs do not hold it back.
    instance.delete_run(run.run_id)
    instance.add_run(dg.DagsterRun(job_name=REFRESH_JOB, status=dg.DagsterRunStatus.FAILURE))
    instance.add_run(dg.DagsterRun(job_name="someone_elses_job", status=dg.DagsterRunStatus.STARTED))
    (request,) = tick(waiting.cursor).run_requests
    assert request.tags["heart/files"] == "durham_cad_2024-03-18.csv"


def test_sensor_before_the_first_week_has_ended_refreshes_without_a_weekly_report(sensor_setup):
    inbox, clock, _, tick = sensor_setup
    clock.now = datetime(2023, 11, 1, 9, 0, tzinfo=NY).timestamp()
    _drop(inbox, "durham_cad_2023-11-01.csv", "a\n1\n", now=clock.now)
    (request,) = _settled(tick, None).run_requests
    assert request.job_name == REFRESH_JOB
    assert request.partition_key is None


def test_sensor_without_weeks_with_data_refreshes_and_never_builds_a_calendar_week(sensor_setup):
    """A first run (nothing registered yet) is refresh_job, even years after launch: no all-dash week."""
    inbox, clock, instance, tick = sensor_setup
    for key in WEEKS:
        instance.delete_dynamic_partition(report_assets.WEEKS_NAME, key)
    clock.now = datetime(2026, 12, 2, 9, 0, tzinfo=NY).timestamp()
    _drop(inbox, "durham_cad_2024-03-18.csv", "a\n1\n", now=clock.now)
    (request,) = _settled(tick, None).run_requests
    assert (request.job_name, request.partition_key) == (REFRESH_JOB, None)


def test_sensor_builds_a_newly_registered_week_once(sensor_setup):
    """A run brought in a newer week: the next check requests that week's report, once."""
    inbox, clock, instance, tick = sensor_setup
    for run in instance.get_runs():
        instance.delete_run(run.run_id)
    for key in WEEKS[2:]:
        instance.delete_dynamic_partition(report_assets.WEEKS_NAME, key)
    _drop(inbox, "durham_cad_2024-03-18.csv", "a\n1\n")
    settled = _settled(tick, None)
    (request,) = settled.run_requests
    assert (request.job_name, request.partition_key) == (WEEKLY_JOB, "2023-11-06")
    instance.add_run(dg.DagsterRun(job_name=WEEKLY_JOB, status=dg.DagsterRunStatus.SUCCESS,
                                   tags={"dagster/partition": "2023-11-06"}))
    # That run registered the weeks up to 2024-03-11 (the index asset does, from the data).
    instance.add_dynamic_partitions(report_assets.WEEKS_NAME, WEEKS[2:])
    busy = instance.add_run(dg.DagsterRun(job_name=REFRESH_JOB, status=dg.DagsterRunStatus.STARTED))
    waiting = tick(settled.cursor)
    assert not waiting.run_requests
    assert "The report of week 2024-03-11 waits for run" in waiting.skip_reason.skip_message
    instance.delete_run(busy.run_id)
    (new_week,) = tick(waiting.cursor).run_requests
    assert (new_week.job_name, new_week.partition_key, new_week.run_key) == (WEEKLY_JOB, "2024-03-11", "week 2024-03-11")
    assert new_week.tags["heart/trigger"] == "new week"
    instance.add_run(dg.DagsterRun(job_name=WEEKLY_JOB, status=dg.DagsterRunStatus.SUCCESS,
                                   tags={"dagster/partition": "2024-03-11"}))
    later = tick(waiting.cursor)
    assert not later.run_requests
    assert later.skip_reason.skip_message == "No new or changed files in the inbox"


# --- Instance settings ------------------------------------------------------------------------


def test_shipped_dagster_yaml_runs_one_run_at_a_time(tmp_path):
    from dagster._core.instance.ref import InstanceRef

    # `dg dev` without DAGSTER_HOME: a temporary instance configured from the project folder.
    with dg.DagsterInstance.from_ref(InstanceRef.from_dir(str(tmp_path / "tmp_home"),
                                                          config_dir=str(REPO_ROOT))) as instance:
        assert instance.get_concurrency_config().run_queue_config.max_concurrent_runs == 1
        # The sensor's skipped checks (one a minute, each with its cursor) are kept a day.
        from dagster._core.definitions.run_request import InstigatorType
        from dagster._core.scheduler.instigation import TickStatus
        assert instance.get_tick_retention_settings(InstigatorType.SENSOR)[TickStatus.SKIPPED] == 1
    # With DAGSTER_HOME: the same file copied there, as docs/operations.md says.
    home = tmp_path / "dagster_home"
    home.mkdir()
    shutil.copy(REPO_ROOT / "dagster.yaml", home / "dagster.yaml")
    with dg.DagsterInstance.from_ref(InstanceRef.from_dir(str(home))) as instance:
        assert instance.get_concurrency_config().run_queue_config.max_concurrent_runs == 1


def test_dg_dev_takes_the_department_folders_from_the_environment(tmp_path):
    from pipeline.definitions import settings_from_environment

    assert settings_from_environment({}) == Settings()
    settings = settings_from_environment({
        "HEART_INBOX": str(tmp_path / "inbox"), "HEART_REPORTS": "shared/reports", "HEART_WAREHOUSE": "",
    })
    assert settings.inbox == tmp_path / "inbox"
    assert settings.reports == Path("shared/reports")
    assert settings.warehouse == Settings().warehouse


# --- End to end ------------------------------------------------------------------------------


def test_a_file_landing_runs_the_weekly_job_end_to_end(tmp_path):
    """The sensor sees the fixture's exports: a refresh (no week with data yet) registers the weeks with
    data, then the sensor requests the latest ended week's report, which builds every report."""
    settings = Settings(
        inbox=copy_into(tmp_path / "inbox", METRICS_SMALL / "inbox"), warehouse=tmp_path / "wh" / "heart.duckdb",
        reports=tmp_path / "reports", program=METRICS_SMALL / "program.toml",
    )
    for path in settings.inbox.iterdir():
        os.utime(path, (NOW - 600, NOW - 600))
    auto = build_automation(all_assets(settings), clock=Clock())
    defs = dg.Definitions(assets=all_assets(settings), jobs=auto.jobs, sensors=auto.sensors,
                          resources=resources_for(settings), executor=dg.in_process_executor)
    sensor = defs.resolve_sensor_def(INBOX_SENSOR)
    resources = {"heart_settings": resources_for(settings)["heart_settings"]}
    quiet = {"loggers": {"console": {"config": {"log_level": "CRITICAL"}}}}
    with dg.instance_for_test() as instance:
        cursor = None
        for _ in range(2):
            result = sensor(dg.build_sensor_context(cursor=cursor, instance=instance, resources=resources))
            cursor = result.cursor
        (request,) = result.run_requests
        assert request.job_name == REFRESH_JOB and request.partition_key is None
        refresh = defs.resolve_job_def(request.job_name).execute_in_process(
            tags=request.tags, instance=instance, raise_on_error=False, run_config=quiet)
        assert refresh.success
        # The run registered the weeks with data; the weekly partitions are exactly those.
        assert instance.get_dynamic_partitions(report_assets.WEEKS_NAME)[:2] == ["2023-10-30", "2023-11-06"]
        assert instance.get_dynamic_partitions(report_assets.WEEKS_NAME)[-1] == "2024-03-11"
        result = sensor(dg.build_sensor_context(cursor=cursor, instance=instance, resources=resources))
        (request,) = result.run_requests
        assert request.job_name == WEEKLY_JOB and request.partition_key == "2024-03-11"
        run = defs.resolve_job_def(request.job_name).execute_in_process(
            partition_key=request.partition_key, tags=request.tags, instance=instance, raise_on_error=False,
            run_config=quiet,
        )
    assert run.success
    materialized = {(e.asset_key.to_user_string(), e.partition) for e in run.get_asset_materialization_events()}
    assert ("reports/weekly_operations", "2024-03-11") in materialized
    assert {("raw_cad_rows", None), ("metrics/metric_values", None), ("reports/council_dashboard", None),
            ("reports/data_quality", None), ("reports/index", None), ("reports/open_data", None),
            ("warehouse/catalog_comments", None), ("warehouse/published", None)} <= materialized
    checks = [e for e in run.all_events if e.event_type_value == "ASSET_CHECK_EVALUATION"]
    # 11, and warehouse/published:copy_matches_working
    assert len(checks) == 12 and all(e.asset_check_evaluation_data.passed for e in checks)
    assert settings.warehouse.is_file()   # the analysts' file was published by the scheduled-style run
    built = {p.relative_to(settings.reports).as_posix() for p in settings.reports.rglob("*.html")}
    assert {"index.html", "weekly/weekly-2024-03-11.html", "quality/data-quality.html",
            "council/council-to-date.html"} <= built
