"""On the shipped sample city, the impact estimates against the generator's planted arrest effect.

Reads the session's one `heart run` of data_samples/ (tests/conftest.py, sample_city_run): its
metrics.impact_estimates were written by the impact asset from the outcome marts. The truth is not
read from anywhere the pipeline wrote: the generator is run again with the shipped seed and its own
bookkeeping of the arrests it removed is the truth (pipeline/samples/effect.py; the files it writes
are the committed data_samples/, byte for byte). Each design is checked against its own estimand:
served hours for the served-hours design; the beats served before the last start, before that start,
for the staggered-beats design (after the last start no beat is left to compare with).
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from pipeline.samples import generate

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def arrests(sample_city_run):
    with duckdb.connect(str(sample_city_run / "heart.duckdb"), read_only=True) as con:
        rows = con.execute("SELECT * FROM metrics.impact_estimates WHERE outcome = 'arrests'").fetchall()
        names = [d[0] for d in con.description]
    return {r["design"]: r for r in (dict(zip(names, row)) for row in rows)}


@pytest.fixture(scope="module")
def truth(tmp_path_factory):
    # The truth is fixed before the pre-launch history is simulated (its own random streams), so the history,
    # a third of the generator's time, is left out: the same truth, 28 s instead of 46 s.
    return generate(tmp_path_factory.mktemp("regenerated"), config_path=ROOT / "config" / "program.toml",
                    history_start=None).truth


def test_the_planted_effect_is_the_documented_one(truth):
    # data_samples/README.md: tau -0.30; served hours 155 -> 104 arrests, pilot beats before the last start
    # 202 -> 173: (104 - 155) / 155 = -0.3290 and (173 - 202) / 202 = -0.1436.
    assert truth.tau == -0.30
    assert (truth.served_hours.arrests_before, truth.served_hours.arrests_after) == (155, 104)
    early = truth.served_beats_before_last_start
    assert (early.arrests_before, early.arrests_after) == (202, 173)


@pytest.mark.parametrize("design, estimand", [("served_hours", "served_hours"),
                                              ("staggered_beats", "served_beats_before_last_start")])
def test_each_design_covers_its_truth_with_a_null_placebo_and_no_pre_trend(arrests, truth, design, estimand):
    row = arrests[design]
    assert row["verdict"] in ("finding", "no clear change"), row["reason"]
    effect = getattr(truth, estimand).effect
    assert row["ci_low"] <= effect <= row["ci_high"], (design, row["ci_low"], row["ci_high"], effect)
    assert row["placebo_ci_low"] <= 0 <= row["placebo_ci_high"]
    assert row["pretrend_p"] > 0.05
    assert row["plausible"] is True
