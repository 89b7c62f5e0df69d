"""The sample city's pre-launch history and its true arrest effect (issue 16), on small slices.

History: a city of 5% volume from 2022-05-30 (four pre-launch weeks) to the launch week 2022-06-27. Effect: the
pilot's first weeks at 30% volume. Each property is checked on the files the generator writes, and the truth
against counts worked out from those files.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from pipeline.samples.effect import first_served, impact_types, served_cells
from pipeline.samples.generate import DEFAULT_CONFIG, Program, generate

LAUNCH = date(2022, 6, 27)
HISTORY = date(2022, 5, 30)
EFFECT_END = date(2022, 7, 25)   # five weeks from launch, all before the second team (2022-08-01)


def _cad(folder: Path) -> dict[str, pd.DataFrame]:
    return {p.name[11:21]: pd.read_csv(p, dtype=str, keep_default_na=False)
            for p in sorted(folder.glob("durham_cad_*.csv.gz"))}


@pytest.fixture(scope="module")
def history(tmp_path_factory):
    out = tmp_path_factory.mktemp("history")
    written = generate(out, start=LAUNCH, end=LAUNCH, scale=0.05, history_start=HISTORY)
    return out, written


@pytest.fixture(scope="module")
def effects(tmp_path_factory):
    """The same small city with tau 0, -0.3 and -1: only the thinning stream's threshold differs."""
    runs = {}
    for tau in (0.0, -0.3, -1.0):
        out = tmp_path_factory.mktemp(f"tau{tau}")
        written = generate(out, start=LAUNCH, end=EFFECT_END, scale=1.0, history_start=None, arrest_effect=tau)
        runs[tau] = (written, _cad(out))
    return runs


def test_history_is_cad_only_and_named_like_every_export(history):
    out, written = history
    names = sorted(p.name for p in out.iterdir())
    # Four history weeks (exports dated 2022-06-06 .. 2022-06-27), then the launch week's pair.
    assert names == ["durham_cad_2022-06-06.csv.gz", "durham_cad_2022-06-13.csv.gz", "durham_cad_2022-06-20.csv.gz",
                     "durham_cad_2022-06-27.csv.gz", "durham_cad_2022-07-04.csv.gz", "durham_heart_2022-07-04.csv.gz"]
    assert written.history_weeks == 4 and written.history_note is None


def test_the_seam_has_no_gap_and_no_call_twice(history):
    out, _ = history
    cad = _cad(out)
    calls = {k: f.drop_duplicates("IncidentNumber") for k, f in cad.items()}
    # Every day from the Sunday before the first history week to the last day of the launch week has calls.
    days = pd.to_datetime(pd.concat(calls.values())["CallDate"], format="%m/%d/%Y").dt.date
    assert set(pd.date_range("2022-05-29", "2022-07-03").date) == set(days)
    # The history's last export ends with the Sunday before launch, the same rows as the launch week's export.
    last, first = cad["2022-06-27"], cad["2022-07-04"]
    seam = "06/26/2022"
    assert seam in set(last["CallDate"]) and seam in set(first["CallDate"])
    assert last[last["CallDate"] == seam].reset_index(drop=True).equals(first[first["CallDate"] == seam].reset_index(drop=True))
    # No incident number belongs to two different calls (the Sunday repeats carry the same call time).
    every = pd.concat(cad.values()).drop_duplicates(["IncidentNumber", "CallDate", "CallTime"])
    assert not every["IncidentNumber"].duplicated().any()


def test_history_numbers_stay_below_the_post_launch_sequence(history):
    out, _ = history
    cad = _cad(out)
    history_rows = pd.concat([f for k, f in cad.items() if k <= "2022-06-27"])
    history_rows = history_rows[history_rows["CallDate"] != "06/26/2022"]   # the launch stream's Sunday
    launch = cad["2022-07-04"]
    # By hand: the launch stream's 2022 numbers start after int(176 days x 348.6 calls a day x 0.05) = 3067.
    assert launch["IncidentNumber"].str[3:].astype(int).min() == 3068
    assert history_rows["IncidentNumber"].str[3:].astype(int).max() <= 3067
    # The history starts on 2022-05-29: int(148 x 348.6 x 0.05) = 2579, so its numbers start at 2580.
    assert history_rows["IncidentNumber"].str[3:].astype(int).min() == 2580


def test_no_heart_and_no_served_cell_before_launch(history):
    out, _ = history
    program = Program.load(DEFAULT_CONFIG)
    assert program.plan(date(2022, 6, 26)) is None
    # Before launch nothing is served, so the effect cannot touch the history.
    local = np.array(["2022-06-24T10:00:00", "2022-06-27T10:00:00"], dtype="datetime64[s]")
    assert served_cells(program, local, np.array(["111", "111"], dtype=object)).tolist() == [False, True]


def test_history_keeps_the_deliberate_flaws(history):
    out, _ = history
    rows = pd.concat(f for k, f in _cad(out).items() if k <= "2022-06-27")
    assert (rows["InitialNature"] == "XFER").any() and (rows["UnitType"] == "K9").any()
    assert (rows[["Dispatched", "Enroute", "Arrived", "Cleared"]] == "TBD").any().any() \
        or rows[["Dispatched", "Enroute", "Arrived", "Cleared"]].apply(lambda c: c.str.contains("24:61|-02-30")).any().any()


def test_history_after_launch_is_refused_in_words(tmp_path):
    written = generate(tmp_path, start=date(2022, 10, 31), end=date(2022, 10, 31), scale=0.05)
    assert written.history_weeks == 0 and "after the launch" in written.history_note
    assert sorted(p.name for p in tmp_path.iterdir()) == ["durham_cad_2022-11-07.csv.gz", "durham_heart_2022-11-07.csv.gz"]


def test_same_arguments_same_bytes_history_included(tmp_path):
    a = generate(tmp_path / "a", start=LAUNCH, end=LAUNCH, scale=0.05, history_start=date(2022, 6, 13))
    b = generate(tmp_path / "b", start=LAUNCH, end=LAUNCH, scale=0.05, history_start=date(2022, 6, 13))
    assert [p.name for p in a] == [p.name for p in b] and len(a) == 4
    assert all(pa.read_bytes() == pb.read_bytes() for pa, pb in zip(a, b))


def _incidents(cad: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """One row per incident as first exported (a deliberate re-export redraws its disposition), with police or not."""
    rows = pd.concat([f.assign(export=k) for k, f in cad.items()])
    # K9 is the deliberate unknown code written over a police unit's row: still police.
    police = set(rows.loc[rows["UnitType"].isin(["LAW", "K9"]), "IncidentNumber"])
    calls = rows.sort_values("export", kind="stable").drop_duplicates("IncidentNumber", keep="first")
    return calls.set_index("IncidentNumber").assign(police=lambda c: c.index.isin(police))


def _served(calls: pd.DataFrame) -> pd.Series:
    """Served cell, worked out from the config's plain entries for these weeks: pilot beats, and weekdays 8-17
    until 2022-07-31 (the second team's 7 days 8-19 starts 2022-08-01, after EFFECT_END)."""
    program = Program.load(DEFAULT_CONFIG)
    pilot = set(program.config["service_area"][0]["beats"])
    when = pd.to_datetime(calls["CallDate"] + " " + calls["CallTime"], format="%m/%d/%Y %H:%M:%S", errors="coerce")
    return calls["Beat"].isin(pilot) & (when.dt.day_of_week < 5) & (when.dt.hour >= 8) & (when.dt.hour < 17) \
        & (when.dt.date >= LAUNCH)


def test_no_effect_changes_nothing_and_its_truth_is_zero(effects):
    written, cad = effects[0.0]
    assert written.truth.served_hours.arrests_after == written.truth.served_hours.arrests_before > 0
    assert written.truth.served_hours.effect == 0.0 and written.truth.served_beats.effect == 0.0


def test_tau_minus_one_removes_every_served_arrest_and_nothing_else(effects):
    none, full = _incidents(effects[0.0][1]), _incidents(effects[-1.0][1])
    types = impact_types(Program.load(DEFAULT_CONFIG))
    target = none["InitialNature"].isin(types) & none["police"] & _served(none)
    changed = none["Disposition"] != full["Disposition"].reindex(none.index)
    # Every arrest on a police-handled impact-type call in a served cell became NRPT...
    assert (none.loc[target, "Disposition"] == "ARR").sum() > 0
    assert (full.loc[target, "Disposition"] == "ARR").sum() == 0
    assert (full.loc[changed, "Disposition"] == "NRPT").all() and (none.loc[changed, "Disposition"] == "ARR").all()
    # ...and no other call changed: unserved hours and beats, other types, HEART-handled calls keep theirs.
    assert not (changed & ~target).any()
    truth = effects[-1.0][0].truth
    assert truth.served_hours.effect == -1.0 and truth.served_hours.arrests_after == 0
    assert truth.served_hours.arrests_before == (none.loc[target, "Disposition"] == "ARR").sum()


def test_the_truth_counts_what_the_files_show(effects):
    none, thinned = _incidents(effects[0.0][1]), _incidents(effects[-0.3][1])
    types = impact_types(Program.load(DEFAULT_CONFIG))
    # A deliberate flaw hides an incident's type (XFER) or time (24:61:00) from the files but not from the
    # generator: those incidents are left out here, and may be in the truth.
    hidden = (none["InitialNature"] == "XFER") | (none["CallTime"] == "24:61:00")
    target = none["InitialNature"].isin(types) & none["police"] & _served(none)
    truth = effects[-0.3][0].truth.served_hours
    assert 0 <= truth.calls - target.sum() <= hidden.sum() <= 5
    before, after = (none.loc[target, "Disposition"] == "ARR").sum(), (thinned.loc[target, "Disposition"] == "ARR").sum()
    assert 0 <= truth.arrests_before - before <= hidden.sum() and 0 <= truth.arrests_after - after <= hidden.sum()
    assert truth.arrests_before > truth.arrests_after
    assert truth.effect == pytest.approx((truth.arrests_after - truth.arrests_before) / truth.arrests_before)
    # Served beats, every hour, from each pilot beat's first served day (launch): more calls than served hours,
    # and the same arrests removed (only served hours are thinned).
    program = Program.load(DEFAULT_CONFIG)
    assert first_served(program)["111"] == LAUNCH and first_served(program)["321"] == date(2023, 10, 23)
    # The first export also holds the Sunday before launch: not yet served.
    since_launch = pd.to_datetime(none["CallDate"], format="%m/%d/%Y").dt.date >= LAUNCH
    pilot = none["InitialNature"].isin(types) & none["police"] & since_launch \
        & none["Beat"].isin(program.config["service_area"][0]["beats"])
    beats = effects[-0.3][0].truth.served_beats
    assert 0 <= beats.calls - pilot.sum() <= hidden.sum() and beats.calls > truth.calls
    assert beats.arrests_before - beats.arrests_after == truth.arrests_before - truth.arrests_after


def test_an_effect_outside_minus_one_to_zero_is_refused(tmp_path):
    with pytest.raises(ValueError, match="between -1 and 0"):
        generate(tmp_path, start=LAUNCH, end=LAUNCH, scale=0.05, history_start=None, arrest_effect=0.2)


def _calls(days: list[str]):
    from pipeline.samples.calls import Calls
    local = np.array(days, dtype="datetime64[s]")
    n = len(local)
    return Calls(t=np.arange(n), local=local, nature=np.full(n, "INFO", dtype=object), crisis=np.zeros(n, bool),
                 beat=np.full(n, "111", dtype=object), priority=np.full(n, 5), number=np.full(n, "", dtype=object))


def test_history_numbers_skip_the_heart_logs_numbers_and_drop_what_does_not_fit():
    from pipeline.samples.history import _below_post_launch_numbers
    # By hand, at scale 0.01 (3.486 calls a day): a history from 2022-01-02 starts after int(1 x 3.486) = 3,
    # the post-launch stream from 2022-01-04 after int(3 x 3.486) = 10. Free: 4..10 except the HEART log's 5.
    first, seam, taken = date(2022, 1, 2), date(2022, 1, 4), {"22-0000005"}
    calls, dropped = _below_post_launch_numbers(_calls(["2022-01-02T01:00", "2022-01-02T02:00", "2022-01-03T09:00"]),
                                                first, seam, 0.01, taken, np.random.default_rng(1))
    assert dropped == 0 and calls.number.tolist() == ["22-0000004", "22-0000006", "22-0000007"]
    # Eight calls for six free numbers: two dropped, the six left numbered 4, 6..10 in received order.
    eight = _calls([f"2022-01-03T{h:02d}:00" for h in range(8)])
    calls, dropped = _below_post_launch_numbers(eight, first, seam, 0.01, taken, np.random.default_rng(1))
    assert dropped == 2 and len(calls) == 6
    assert calls.number.tolist() == ["22-0000004", "22-0000006", "22-0000007", "22-0000008", "22-0000009", "22-0000010"]
    assert (np.diff(calls.t) > 0).all()
