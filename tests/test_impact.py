"""The impact estimator on synthetic outcome marts with a known effect (tests/impact_panels.py), the
plausibility bound on hand-worked numbers, the 'not estimable' rows, the tables and `heart impact`.

The cities are drawn here with fixed seeds; bench/impact_coverage.py runs the same checks over many
seeds and docs/impact.md reports the coverage it measured.
"""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from impact_panels import beat_week, hour_week, write_marts
from pipeline.impact import estimate, verdict
from pipeline.impact.panel import (DESIGNS, OUTCOMES, PLACEBO_SHIFT_WEEKS, NotEstimable, load_panel,
                                   placebo_end, prepare)
from pipeline.impact.results import (ESTIMATE_COLUMNS, EVENT_COLUMNS, Results, estimate_one, fingerprint, run_all,
                                     up_to_date, write_results)

BEATS, HOURS = DESIGNS
ARRESTS, _, POLICE_HANDLED, _, _ = OUTCOMES


def _panel(frame: pd.DataFrame, design=BEATS):
    con = duckdb.connect()
    write_marts(con, beats=frame if design is BEATS else None, hours=frame if design is HOURS else None)
    return load_panel(con, design)


@pytest.fixture(scope="module")
def effect_panel():
    """40 beats, 12 served from week 78, the rest from week 146, 180 weeks; arrest rate cut by 30% when served."""
    return _panel(beat_week(seed=7, tau=-0.30))


def test_the_interval_covers_the_true_effect_and_the_checks_pass(effect_panel):
    sample = prepare(effect_panel, ARRESTS, BEATS)
    # With no never-served beat, the weeks from the second group's start (146) go: it is the comparison.
    assert (sample.n_units, sample.n_treated_units, sample.n_clusters) == (40, 12, 40)
    assert sample.last_week == pd.Timestamp("2021-01-04").date() + pd.Timedelta(weeks=145)
    fit = estimate.effect(sample, BEATS)
    assert fit.ci_low <= -0.30 <= fit.ci_high
    assert fit.ci_high < 0
    study = estimate.event_study(sample, BEATS)
    assert study.pretrend_p > 0.05
    placebo = estimate.effect(prepare(effect_panel, ARRESTS, BEATS, shift_weeks=PLACEBO_SHIFT_WEEKS,
                                      end=placebo_end(effect_panel)), BEATS)
    assert placebo.ci_low <= 0 <= placebo.ci_high
    # The event study: the reference period is 0 by construction, every period has the 12 served beats.
    reference = study.coefficients.set_index("event_time").loc[-1]
    assert reference["estimate"] == 0 and reference["n_units"] == 12


def test_with_no_effect_the_interval_covers_zero():
    panel = _panel(beat_week(seed=8, tau=0.0))
    fit = estimate.effect(prepare(panel, ARRESTS, BEATS), BEATS)
    assert fit.ci_low <= 0 <= fit.ci_high


def test_a_pre_trend_is_caught_and_the_row_is_no_finding():
    # The served-first beats' arrest rate climbs 80% over the 78 weeks before their start.
    panel = _panel(beat_week(seed=9, tau=-0.30, pretrend=0.8))
    row, _ = estimate_one(panel, ARRESTS, BEATS)
    assert row["pretrend_p"] < 0.01
    assert row["verdict"] == "not estimable"
    assert "drifted apart before service began" in row["reason"]


def test_the_served_hours_design_recovers_the_effect():
    # Smaller city for speed: 20 beats, 6 served from week 50, the rest from week 100; hours 8-18 served.
    panel = _panel(hour_week(seed=3, tau=-0.30, beats=20, treated=6, weeks=120, first_start=50,
                             second_start=100), HOURS)
    sample = prepare(panel, ARRESTS, HOURS)
    # Beat-hours: 20 x 24 units, of which 20 x 11 are served; nights (never served) are the comparison.
    assert (sample.n_units, sample.n_treated_units, sample.n_clusters) == (480, 220, 20)
    fit = estimate.effect(sample, HOURS)
    assert fit.ci_low <= -0.30 <= fit.ci_high and fit.ci_high < 0


def test_plausibility_on_hand_worked_numbers():
    # 800 police-handled calls observed in the served beat-weeks; the estimate is -40% (95% interval -55% to
    # -25%). Counterfactual: 800 / 0.6 = 1,333.3, so the estimate implies a fall of 533.3 calls; the
    # interval's end nearest no change implies 800 / 0.75 - 800 = 266.7. HEART answered 200 calls there.
    assert verdict.smallest_fall(800, -0.25) == pytest.approx(266.667, abs=1e-3)
    judged = verdict.decide("police-handled calls", "beat", -0.40, -0.55, -0.25, 800, 200, 200, 0.5, (-0.1, 0.1))
    assert (judged.plausible, judged.verdict) == (False, "implausible")
    assert "a fall of 533 (at least 267)" in judged.reason and "at most 200" in judged.reason
    # HEART answered 300: the interval reaches within what it could cause, so a finding, with a note.
    judged = verdict.decide("police-handled calls", "beat", -0.40, -0.55, -0.25, 800, 300, 300, 0.5, (-0.1, 0.1))
    assert (judged.plausible, judged.verdict) == (True, "finding")
    assert "fall (533) is above what HEART's 300 answered calls could cause" in judged.reason
    # Unit-hours: the bound is the calls HEART answered times the hours a police-handled call took before.
    assert verdict.bound("police_unit_hours", 300, 1.5) == 450
    assert verdict.bound("arrests", 300, 1.5) == 300


def test_plausibility_fires_end_to_end_when_police_calls_fall_more_than_heart_answered():
    # HEART takes 30% of impact calls in served beat-weeks, but its log records only a tenth of them.
    frame = beat_week(seed=11, tau=0.0, heart_share=0.3)
    frame["heart_answered_calls"] //= 10
    row, _ = estimate_one(_panel(frame), POLICE_HANDLED, BEATS)
    assert row["estimate"] < -0.2
    assert (row["plausible"], row["verdict"]) == (False, "implausible")
    assert -row["implied_change"] > row["heart_answered_in_treated"]


def test_rows_that_cannot_be_estimated_say_why():
    con = duckdb.connect()
    results = run_all(con)
    assert list(results.estimates.columns) == ESTIMATE_COLUMNS and len(results.estimates) == 10
    assert set(results.estimates["verdict"]) == {"not estimable"}
    assert results.estimates["reason"].str.contains("is not in the warehouse").all()
    # Data from launch only (today's sample city): the pilot beats have no weeks before their start.
    launch_only = beat_week(seed=1, weeks=100, first_start=0, second_start=68)
    with pytest.raises(NotEstimable, match="no comparison|before its service started"):
        prepare(_panel(launch_only), ARRESTS, BEATS)
    # A profile with no outcome classes: the mart's arrests column is NULL.
    no_classes = beat_week(seed=1, weeks=20, first_start=10, second_start=15).assign(arrests=None, police_only_arrests=None)
    with pytest.raises(NotEstimable, match=r"maps no code to this outcome"):
        prepare(_panel(no_classes), ARRESTS, BEATS)
    # Everyone starts the same week and nobody is left unserved: no comparison.
    same_week = beat_week(seed=1, weeks=20, first_start=10, second_start=10)
    with pytest.raises(NotEstimable, match="no comparison"):
        prepare(_panel(same_week), ARRESTS, BEATS)


def test_tables_fingerprint_and_heart_impact(tmp_path, capsys):
    from pipeline import warehouse
    from pipeline.cli import main

    path = tmp_path / "heart.duckdb"
    row = dict.fromkeys(ESTIMATE_COLUMNS)
    row.update(outcome="arrests", design="staggered_beats", scale="rate per police-handled call", estimate=-0.3,
               ci_low=-0.4, ci_high=-0.2, pretrend_p=0.6, placebo_estimate=0.01, placebo_ci_low=-0.1,
               placebo_ci_high=0.12, implied_change=-50.0, heart_answered_in_treated=1234.0, plausible=True,
               verdict="finding", reason="arrests per police-handled call changed by -30%",
               first_week=pd.Timestamp("2021-01-04").date(), last_week=pd.Timestamp("2023-10-16").date())
    with warehouse.connect(path) as con:
        write_marts(con, beats=beat_week(seed=1, weeks=10, first_start=5, second_start=8))
        current = fingerprint(con)
        assert not up_to_date(con, current)
        estimates = pd.DataFrame([row], columns=ESTIMATE_COLUMNS).assign(inputs_fingerprint=current)
        write_results(con, Results(estimates, pd.DataFrame(columns=EVENT_COLUMNS)))
        assert up_to_date(con, current)
        con.execute("UPDATE marts.impact_beat_week SET arrests = arrests + 1 WHERE beat = '100' AND week_start = "
                    "DATE '2021-01-04'")
        assert not up_to_date(con, fingerprint(con))
    assert main(["impact", "--warehouse", str(path)]) == 0
    out = capsys.readouterr().out
    assert "arrests  served beats vs beats not yet served    -30%  -40% to -20%" in out
    assert "+1% (-10% to +12%)  within HEART's 1,234 calls  finding" in out
    assert main(["impact", "--warehouse", str(tmp_path / "missing.duckdb")]) == 2
    assert "no warehouse at" in capsys.readouterr().err
