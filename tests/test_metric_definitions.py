"""Every metric is defined once, in its own SQL file, with the words a reader needs."""

from __future__ import annotations

import pytest

from pipeline.metrics import HEADLINE_ORDER, KINDS, MetricDefinitionError, load_definitions, parse_header

# The metrics the program's public record and the metrics issue ask for.
REQUIRED_IDS = {
    "eligible_calls", "eligible_in_coverage", "responses", "eligible_answered_rate", "diversion_rate",
    "resolved_without_in_person_rate", "felt_safe_rate", "police_backup_rate", "people_reached",
    "care_nav_followup_48h_rate", "unmet_eligible_calls", "heart_response_time_median", "heart_response_time_p90",
    "police_response_time_median", "police_response_time_p90", "officer_hours_saved", "outcome_share",
}


def test_every_required_metric_has_exactly_one_file():
    ids = [d.metric_id for d in load_definitions()]
    assert len(ids) == len(set(ids))
    assert set(ids) == REQUIRED_IDS


def test_headline_order_lists_every_metric_once():
    assert sorted(HEADLINE_ORDER) == sorted(d.metric_id for d in load_definitions())


@pytest.mark.parametrize("definition", load_definitions(), ids=lambda d: d.metric_id)
def test_header_says_what_is_counted(definition):
    assert definition.kind in KINDS
    assert definition.definition.endswith(".")
    assert len(definition.numerator) > 20 and len(definition.denominator) > 10
    assert definition.units and definition.dimensions and definition.headline_dimensions
    assert set(definition.headline_dimensions) <= set(definition.dimensions)
    if definition.kind == "rate":
        assert not definition.denominator.startswith("none"), "a rate needs a written denominator"


HEADER = (
    "-- metric_id: demo_rate\n-- name: Demo\n-- kind: rate\n-- value_unit: share\n-- units: ALL\n"
    "-- dimensions: ALL\n-- headline_dimension: ALL\n-- period_by: received date\n"
    "-- definition: First line\n--   and its continuation.\n-- numerator: n\n-- denominator: d\n"
    "-- caveats: none\nSELECT 1;\n"
)


def test_header_continuation_lines_join(tmp_path):
    path = tmp_path / "demo_rate.sql"
    path.write_text(HEADER)
    assert parse_header(path).definition == "First line and its continuation."


def test_header_missing_denominator_is_named(tmp_path):
    path = tmp_path / "demo_rate.sql"
    path.write_text("-- metric_id: demo_rate\n-- name: Demo\n-- kind: rate\nSELECT 1;\n")
    with pytest.raises(MetricDefinitionError, match="demo_rate.sql: header lacks value_unit, units, .*denominator"):
        parse_header(path)


def test_header_id_must_match_file_name(tmp_path):
    path = tmp_path / "other.sql"
    path.write_text(HEADER)
    with pytest.raises(MetricDefinitionError, match="other.sql: metric_id 'demo_rate' differs from the file name"):
        parse_header(path)


def test_docs_metrics_md_is_generated_from_the_headers():
    from pipeline.metrics_doc import render_markdown
    from pipeline.settings import REPO_ROOT

    assert (REPO_ROOT / "docs" / "metrics.md").read_text(encoding="utf-8") == render_markdown(), (
        "docs/metrics.md is stale: run `python -m pipeline.metrics_doc > docs/metrics.md`"
    )
