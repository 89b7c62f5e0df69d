"""The sample city reproduces the published first-quarter figures when the metrics compute them.

Durham reported, for 2022-06-27 to 2022-09-26: 805 responses across three units
out of 6,902 eligible calls; over three-quarters of Community Response calls with
no police; almost half of Crisis Call Diversion calls resolved without in-person
contact; responders felt safe in 99% of in-person interactions. Nothing here is
stored: the first 14 weekly exports are loaded and every figure is computed.
"""

from __future__ import annotations

from datetime import date

import pytest

from conftest import build, copy_into
from pipeline import warehouse
from pipeline.marts import build_marts
from pipeline.metrics import compute_window
from pipeline.program import load_program
from pipeline.settings import DEFAULT_INBOX, DEFAULT_PROGRAM

# The exports dated 2022-07-04 .. 2022-10-03 hold every day of the window.
FIRST_QUARTER_EXPORTS = [
    p for p in sorted(DEFAULT_INBOX.glob("durham_*.csv.gz")) if "2022-07-04" <= p.name[-17:-7] <= "2022-10-03"
]


@pytest.fixture(scope="module")
def first_quarter(tmp_path_factory):
    assert len(FIRST_QUARTER_EXPORTS) == 28
    tmp = tmp_path_factory.mktemp("calibration")
    inbox = tmp / "inbox"
    for path in FIRST_QUARTER_EXPORTS:
        copy_into(inbox, path)
    with warehouse.connect(tmp / "h.duckdb") as con:
        build(con, inbox)
        build_marts(con, load_program(DEFAULT_PROGRAM))
        rows = compute_window(con, date(2022, 6, 27), date(2022, 9, 27))
    return {(r["metric_id"], r["unit"], r["dimension_value"]): r for r in rows}


def test_responses_and_eligible_calls_within_two_percent_of_published(first_quarter):
    assert first_quarter[("responses", "ALL", "ALL")]["value"] == pytest.approx(805, rel=0.02)
    assert first_quarter[("eligible_calls", "ALL", "ALL")]["value"] == pytest.approx(6902, rel=0.02)
    assert first_quarter[("eligible_answered_rate", "ALL", "ALL")]["value"] == pytest.approx(0.117, abs=0.005)


def test_community_response_diversion_over_three_quarters(first_quarter):
    assert first_quarter[("diversion_rate", "CR", "ALL")]["value"] > 0.75


def test_crisis_call_diversion_resolved_by_phone_near_half(first_quarter):
    assert first_quarter[("resolved_without_in_person_rate", "CCD", "ALL")]["value"] == pytest.approx(0.5, abs=0.05)


def test_felt_safe_near_99_percent(first_quarter):
    assert first_quarter[("felt_safe_rate", "ALL", "ALL")]["value"] == pytest.approx(0.99, abs=0.01)


def test_no_unmet_reason_is_missing_and_they_add_up(first_quarter):
    reasons = {k[2]: r["value"] for k, r in first_quarter.items() if k[0] == "unmet_eligible_calls" and k[2] != "ALL"}
    assert set(reasons) == {"outside_service_hours", "outside_service_area", "no_team_free", "not_routed"}
    unmet = first_quarter[("unmet_eligible_calls", "ALL", "ALL")]["value"]
    answered = first_quarter[("eligible_answered_rate", "ALL", "ALL")]["numerator"]
    assert sum(reasons.values()) == unmet
    assert unmet + answered == first_quarter[("eligible_calls", "ALL", "ALL")]["value"]
