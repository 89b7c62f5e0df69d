"""The whole asset graph, materialised through Dagster on a small fixture in a temp directory."""

from __future__ import annotations

from datetime import date

import dagster as dg

from conftest import DURHAM_SMALL, copy_into
from pipeline import warehouse
from pipeline.definitions import DATA_ASSETS, defs
from pipeline.defs.resources import resources_for
from pipeline.settings import Settings


def _materialize(tmp_path, max_share: float) -> tuple[dg.ExecuteInProcessResult, Settings]:
    settings = Settings(
        inbox=copy_into(tmp_path / "inbox", DURHAM_SMALL / "run1"),
        warehouse=tmp_path / "wh" / "heart.duckdb",
        reports=tmp_path / "reports",
        max_quarantine_share=max_share,
    )
    result = dg.materialize(DATA_ASSETS, resources=resources_for(settings), raise_on_error=False)
    return result, settings


def _checks(result) -> dict[str, bool]:
    return {
        f"{e.asset_check_evaluation_data.asset_key.to_user_string()}:{e.asset_check_evaluation_data.check_name}":
            e.asset_check_evaluation_data.passed
        for e in result.all_events
        if e.event_type_value == "ASSET_CHECK_EVALUATION"
    }


def test_definitions_load_with_groups_and_checks():
    graph = defs.resolve_asset_graph()
    groups = {key.to_user_string(): graph.get(key).group_name for key in graph.get_all_asset_keys()}
    assert groups == {
        "raw_cad_rows": "ingest", "raw_heart_rows": "ingest", "file_loads": "ingest",
        "staging_cad_rows": "validate", "quarantine_cad_failures": "validate",
        "staging_heart_rows": "validate", "quarantine_heart_failures": "validate",
        "cad_incidents": "validate", "cad_unit_assignments": "validate",
        "heart_responses": "validate", "load_audit": "validate",
        "program_config": "metrics",
        "marts/program_days": "metrics", "marts/cad_incidents": "metrics", "marts/heart_responses": "metrics",
        "marts/eligible_calls": "metrics", "marts/heart_handled_incidents": "metrics",
        "marts/police_time_by_call_type": "metrics", "marts/response_times": "metrics",
        "marts/impact_beat_week": "metrics", "marts/impact_hour_week": "metrics",
        "metrics/metric_values": "metrics", "metrics/metric_definitions": "metrics",
        "metrics/scenario_results": "metrics", "metrics/impact_estimates": "metrics",
        "reports/weekly_operations": "reports", "reports/council_dashboard": "reports",
        "reports/data_quality": "reports", "reports/index": "reports",
        "reports/data_dictionary": "reports", "reports/open_data": "reports",
        "warehouse/catalog_comments": "publish", "warehouse/published": "publish",
    }
    assert len(list(graph.asset_check_keys)) == 12  # 11, and warehouse/published:copy_matches_working


def test_whole_graph_materialises_and_checks_pass(tmp_path):
    # The fixture quarantines 6 of 16 CAD rows and 7 of 11 HEART rows on purpose.
    result, settings = _materialize(tmp_path, max_share=0.7)
    assert result.success
    assert _checks(result) == {
        "staging_cad_rows:cad_quarantine_share_within_limit": True,
        "staging_heart_rows:heart_quarantine_share_within_limit": True,
        "cad_incidents:meets_contract": True,
        "cad_unit_assignments:meets_contract": True,
        "heart_responses:meets_contract": True,
        "load_audit:every_file_reconciles": True,
        "metrics/metric_values:one_row_per_metric_period_breakdown": True,
        "metrics/metric_values:rates_have_numerator_denominator_interval": True,
        "metrics/metric_values:answered_plus_unmet_equals_eligible": True,
        "metrics/metric_values:every_metric_defined": True,
    }
    materialized = {e.asset_key.to_user_string() for e in result.get_asset_materialization_events()}
    assert {"heart_responses", "load_audit", "marts/eligible_calls", "metrics/metric_values"} <= materialized
    with warehouse.connect(settings.working) as con:
        assert con.execute("SELECT count(*) FROM staging.cad_incidents").fetchall() == [(8,)]
        assert con.execute("SELECT count(*) FROM staging.heart_responses").fetchall() == [(4,)]


def test_quarantine_share_past_the_limit_blocks_downstream(tmp_path):
    result, _ = _materialize(tmp_path, max_share=0.05)
    checks = _checks(result)
    assert checks["staging_cad_rows:cad_quarantine_share_within_limit"] is False
    assert checks["staging_heart_rows:heart_quarantine_share_within_limit"] is False
    materialized = {e.asset_key.to_user_string() for e in result.get_asset_materialization_events()}
    # Blocked: the canonical tables are not published from a bad batch.
    assert "cad_incidents" not in materialized
    assert "heart_responses" not in materialized
    # The audit still runs, so people can see why.
    assert "load_audit" in materialized


def test_report_partitions_are_the_weeks_with_data_not_the_calendar(tmp_path):
    """The weekly partitions are registered from the data: no week before the first or after the last day."""
    from conftest import METRICS_SMALL
    from pipeline.defs.reports import WEEKS_NAME, register_weeks, weekly_partitions
    from pipeline.program import load_program
    from pipeline.cli.run import run_pipeline

    assert isinstance(weekly_partitions(load_program(METRICS_SMALL / "program.toml")), dg.DynamicPartitionsDefinition)
    settings = Settings(
        inbox=copy_into(tmp_path / "inbox", METRICS_SMALL / "inbox"), warehouse=tmp_path / "wh" / "heart.duckdb",
        reports=tmp_path / "reports", program=METRICS_SMALL / "program.toml",
    )
    with dg.instance_for_test() as instance:
        # A stale week (say, a calendar week from an earlier version) is dropped; the data's are added.
        register_weeks(instance, [date(2026, 11, 23)])
        outcome = run_pipeline(settings, instance=instance)
        assert outcome.success, outcome.error
        keys = instance.get_dynamic_partitions(WEEKS_NAME)
    assert keys[0] == "2023-10-30" and keys[-1] == "2024-03-11"   # the data runs 2023-10-30 .. 2024-03-17
    assert "2026-11-23" not in keys and keys == sorted(keys)
    index_html = (settings.reports / "index.html").read_text(encoding="utf-8")
    assert '<meta name="heart-data-to" content="2024-03-17">' in index_html


def test_index_lists_no_week_without_data(tmp_path):
    """A weekly file of a week the data does not reach (left by an older run) is not listed."""
    from datetime import datetime, timezone

    from pipeline.reports import index, render

    reports = tmp_path / "reports"
    for week in (date(2024, 3, 11), date(2026, 11, 23)):
        meta = render.ReportMeta("weekly", f"Week {week}", week, week.replace(day=week.day + 6),
                                 datetime(2024, 3, 20, tzinfo=timezone.utc))
        render.render_report(reports, f"weekly/weekly-{week}.html", "index.html", meta, sections=[], total=0,
                             open_data=[])
    index.write_index(reports, datetime(2024, 3, 20, tzinfo=timezone.utc), weeks={date(2024, 3, 11)},
                      data_range=(date(2023, 10, 30), date(2024, 3, 17)))
    html = (reports / "index.html").read_text(encoding="utf-8")
    assert "weekly-2024-03-11.html" in html
    assert "weekly-2026-11-23.html" not in html
    assert '<meta name="heart-data-to" content="2024-03-17">' in html


def test_heart_run_builds_every_report_and_the_index(tmp_path):
    from conftest import METRICS_SMALL
    from pipeline.reports.index import list_reports
    from pipeline.cli.run import run_pipeline

    settings = Settings(
        inbox=copy_into(tmp_path / "inbox", METRICS_SMALL / "inbox"), warehouse=tmp_path / "wh" / "heart.duckdb",
        reports=tmp_path / "reports", program=METRICS_SMALL / "program.toml",
    )
    outcome = run_pipeline(settings, weeks=[date(2024, 3, 4), date(2024, 3, 11)])
    assert outcome.success
    assert outcome.weeks == [date(2024, 3, 4), date(2024, 3, 11)]
    built = {p.relative_to(settings.reports).as_posix(): m.kind for p, m in list_reports(settings.reports)}
    assert built["weekly/weekly-2024-03-04.html"] == "weekly"
    assert built["weekly/weekly-2024-03-11.html"] == "weekly"
    assert built["quality/data-quality.html"] == "quality"
    assert "council/council-to-date.html" in built
    index_html = (settings.reports / "index.html").read_text(encoding="utf-8")
    assert '<a href="open-data/metric_values.csv">' in index_html
    assert '<a href="dictionary/data-dictionary.html">' in index_html
    assert (settings.reports / "assets" / "plotly.min.js").stat().st_size > 1_000_000
    # Latest full week by default: the data ends on Sunday 2024-03-17.
    again = run_pipeline(settings)
    assert again.success and again.weeks == [date(2024, 3, 11)]
