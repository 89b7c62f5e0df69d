"""Expansion scenarios: the replay on tiny hand-made streams whose answers are worked out by hand,
scenario-file errors as one line, staffing and cost by hand, and determinism for a seed."""

from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path

import numpy as np
import pytest

from pipeline.scenarios.calibrate import calibrate
from pipeline.scenarios.config import ScenarioError, load_scenario, load_scenarios, parse_scenario
from pipeline.scenarios.costs import staffing
from pipeline.scenarios.engine import REASONS, Routing, replay
from pipeline.scenarios.project import Interval, interval
from pipeline.scenarios.stream import Stream

MONDAY = date(2024, 1, 1)       # a Monday
COSTS = {"hours_per_fte": 2080, "relief_factor": 1.07,
         "position_usd": {"clinician": 100000, "peer": 50000, "emt": 60000}}


def scenario(hours=("08:00", "17:00"), teams=(("CR", 1),), area=None, when_busy="unmet", queue=0, **extra):
    doc = {"scenario": {"name": "test"}, "area": area or {"citywide": True},
           "hours": [{"start": hours[0], "end": hours[1]}],
           "teams": [{"unit": u, "start": hours[0], "end": hours[1], "count": n} for u, n in teams],
           "routing": {"when_busy": when_busy, "queue_minutes": queue}, "costs": COSTS, **extra}
    return parse_scenario(doc, "test.toml", "test")


def stream(times: list[str], beats: list[str] | None = None, call_type="MENTAL") -> Stream:
    """Calls on Monday 2024-01-01 at local "HH:MM" times (the local clock is taken as UTC: no offset needed)."""
    n = len(times)
    t = np.array([datetime.combine(MONDAY, datetime.strptime(x, "%H:%M").time(), timezone.utc).timestamp()
                  for x in times])
    minute = np.array([int(x[:2]) * 60 + int(x[3:]) for x in times])
    false = np.zeros(n, dtype=bool)
    return Stream(t=t, day=np.full(n, np.datetime64(MONDAY)), minute_of_week=minute,
                  beat=np.array(beats or ["111"] * n), call_type=np.array([call_type] * n),
                  in_area=false, in_hours=false, answered=false, by_unit={u: false for u in ("CCD", "CR", "COR")},
                  unmet_reason=np.array([""] * n), first=MONDAY, last=MONDAY)


def routing(minutes=30.0, field=1.0, share_in=1.0, share_out=0.0) -> Routing:
    """Every call in coverage routed, sent to Community Response, which takes exactly `minutes`."""
    pool = np.array([minutes])
    return Routing(share_in=share_in, share_out=share_out, field_share={"MENTAL": field}, cor_share={},
                   service={("CR", ""): pool, ("CCD", ""): np.array([10.0]), ("COR", ""): pool})


def reasons(result) -> list[str]:
    return [REASONS[r] or "answered" for r in result.reason]


def test_one_team_calls_spaced_wider_than_the_service_time_are_all_answered():
    result = replay(stream(["09:00", "10:00", "11:00"]), scenario(), routing(minutes=30), seed=1)
    assert reasons(result) == ["answered"] * 3
    assert result.unit.tolist() == [2, 2, 2]          # Community Response
    assert result.wait_minutes.tolist() == [0, 0, 0]


def test_overlapping_calls_the_second_is_unmet_for_capacity():
    # The team is busy 10:00-10:30; the second call comes at 10:10.
    result = replay(stream(["10:00", "10:10", "10:40"]), scenario(), routing(minutes=30), seed=1)
    assert reasons(result) == ["answered", "no_team_free", "answered"]


def test_overlapping_call_waits_within_the_queue_limit_and_is_answered():
    calls = stream(["10:00", "10:10"])
    waited = replay(calls, scenario(when_busy="queue", queue=20), routing(minutes=30), seed=1)
    assert reasons(waited) == ["answered", "answered"]
    assert waited.wait_minutes.tolist() == [0, 20]     # free at 10:30, called at 10:10
    too_long = replay(calls, scenario(when_busy="queue", queue=19), routing(minutes=30), seed=1)
    assert reasons(too_long) == ["answered", "no_team_free"]


def test_a_busy_field_team_hands_the_call_to_a_free_phone_clinician():
    calls = stream(["10:00", "10:10"])
    result = replay(calls, scenario(teams=(("CR", 1), ("CCD", 1)), when_busy="phone"), routing(minutes=30), seed=1)
    assert result.unit.tolist() == [2, 1]              # CR, then CCD


def test_after_call_minutes_keep_a_team_unavailable_after_it_clears():
    # 30-minute calls at 10:00 and 10:40: the team clears at 10:30 and is free again at 10:45 with 15 after-call
    # minutes, so the 10:40 call finds no team; without them it is answered. The busy minutes include them.
    calls = stream(["10:00", "10:40"])
    assert reasons(replay(calls, scenario(), routing(minutes=30), seed=1)) == ["answered", "answered"]
    slow = Routing(**{**routing(minutes=30).__dict__, "after_call": {"CR": 15.0}})
    result = replay(calls, scenario(), slow, seed=1)
    assert reasons(result) == ["answered", "no_team_free"]
    assert result.busy_by_hour["CR"][10] == 45 and result.busy_by_hour["CR"].sum() == 45


def test_each_seed_refits_the_routing_share_for_its_after_call_factor():
    # 30 calls 20 minutes apart, every other one answered, one team whose calls take 10 minutes, 10 after-call
    # minutes scaled per seed within 0.5-1.5: a seed drawing under 1 keeps the team busy under 20 minutes, so
    # nothing routed is lost and the share is the observed 0.5; over 1, a routed call can find the team still
    # busy from the one before, so more must have been routed to answer the observed half.
    times = [f"{8 + i // 3:02d}:{(i % 3) * 20:02d}" for i in range(30)]
    calls = stream(times)
    answered = np.arange(30) % 2 == 0
    observed = Stream(**{**calls.__dict__, "in_area": np.ones(30, bool), "in_hours": np.ones(30, bool),
                         "answered": answered, "by_unit": {"CCD": np.zeros(30, bool), "CR": answered,
                                                           "COR": np.zeros(30, bool)}})
    pools = {("CR", ""): np.array([10.0]), ("CCD", ""): np.array([10.0]), ("ALL", ""): np.array([10.0])}
    rules = scenario(hours=("08:00", "18:00"), after_call={"CR": 10, "range": 0.5})
    assert rules.after_call == {"CR": 10.0} and rules.after_call_range == 0.5
    fitted = calibrate(observed, rules, pools, MONDAY, MONDAY)
    assert len(fitted.seed_fits) == 20
    scales = np.array([f.after_call_scale for f in fitted.seed_fits])
    shares = np.array([f.share_in for f in fitted.seed_fits])
    assert scales.min() >= 0.5 and scales.max() <= 1.5 and (scales < 1).any() and (scales > 1).any()
    assert shares[scales < 1] == pytest.approx(0.5)
    assert np.all(shares[scales > 1] > 0.5)
    # refit at 0.5 and 1.5 only, read off the line between them and the central fit: rising with the factor
    longer = scales > 1
    assert np.all(np.diff(shares[longer][np.argsort(scales[longer])]) > 0)
    none = calibrate(observed, scenario(hours=("08:00", "18:00")), pools, MONDAY, MONDAY)
    assert none.seed_fits == () and none.routing.share_in == pytest.approx(0.5)


def test_a_call_at_two_in_the_morning_under_day_hours_is_unmet_for_hours():
    result = replay(stream(["02:00", "09:00"]), scenario(hours=("08:00", "17:00")), routing(), seed=1)
    assert reasons(result) == ["outside_service_hours", "answered"]


def test_overnight_hours_run_past_midnight():
    result = replay(stream(["02:00", "12:00", "20:00"]), scenario(hours=("19:00", "07:00")), routing(), seed=1)
    assert reasons(result) == ["answered", "outside_service_hours", "answered"]


def test_a_call_outside_the_listed_beats_is_unmet_for_area():
    calls = stream(["09:00", "11:00"], beats=["111", "535"])
    result = replay(calls, scenario(area={"beats": ["111", "112"]}), routing(share_out=0.0), seed=1)
    assert reasons(result) == ["answered", "outside_service_area"]


def test_utilisation_by_hour_splits_a_job_across_the_hours_it_spans():
    # One team on duty 08:00-17:00 on the one day; a 30-minute job at 10:45 is 15 minutes in hour 10 and in 11.
    result = replay(stream(["10:45"]), scenario(), routing(minutes=30), seed=1)
    assert result.busy_by_hour["CR"][10] == 15 and result.busy_by_hour["CR"][11] == 15
    assert result.duty_by_hour["CR"][10] == 60 and result.duty_by_hour["CR"][7] == 0
    assert result.busy_by_hour["CR"].sum() == 30


def test_the_same_seed_gives_the_same_replay_and_another_seed_another():
    rng = np.random.default_rng(7)
    times = sorted(f"{h:02d}:{m:02d}" for h, m in zip(rng.integers(8, 17, 200), rng.integers(0, 60, 200)))
    calls = stream(times)
    half = routing(minutes=25, share_in=0.5, field=0.7)
    rules = scenario(teams=(("CR", 2), ("CCD", 1)), when_busy="phone")
    a, b, c = (replay(calls, rules, half, seed) for seed in (3, 3, 4))
    assert a.unit.tolist() == b.unit.tolist() and a.reason.tolist() == b.reason.tolist()
    assert a.unit.tolist() != c.unit.tolist()


def test_calibration_recovers_the_routing_share_when_teams_are_never_short():
    # 10 calls in coverage, 4 answered (by Community Response), teams far apart: routing share 4/10.
    calls = stream([f"{9 + i % 8:02d}:{(i * 7) % 60:02d}" for i in range(10)])
    answered = np.array([True] * 4 + [False] * 6)
    observed = Stream(**{**calls.__dict__, "in_area": np.ones(10, bool), "in_hours": np.ones(10, bool),
                         "answered": answered, "by_unit": {"CCD": np.zeros(10, bool), "CR": answered,
                                                           "COR": np.zeros(10, bool)}})
    pools = {("CR", ""): np.array([1.0]), ("CCD", ""): np.array([1.0]), ("ALL", ""): np.array([1.0])}
    fitted = calibrate(observed, scenario(teams=(("CR", 10),)), pools, MONDAY, MONDAY)
    assert fitted.routing.share_in == pytest.approx(0.4)
    assert fitted.routing.field_share == {"MENTAL": 1.0}


def test_staff_and_cost_of_one_community_response_team_around_the_clock():
    # 24 x 365.25 = 8,766 post-hours; x 3 people / 2,080 x 1.07 = 13.528 positions;
    # 4.50943 of each role x (100,000 + 50,000 + 60,000) = 946,980 dollars a year.
    rules = scenario(hours=("00:00", "24:00"), teams=(("CR", 1),))
    staff = staffing(rules.periods[0], rules.costs)
    assert staff.post_hours["CR"] == pytest.approx(8766)
    assert staff.total_positions == pytest.approx(13.528, abs=1e-3)
    assert staff.total_cost_usd == pytest.approx(946_980, abs=1)
    assert staff.hires_per_24_7_post == pytest.approx(4.509, abs=1e-3)


@pytest.mark.parametrize("change, message", [
    ({"routing": {"when_busy": "wait"}}, "test.toml: [routing] when_busy: expected one of phone, queue, unmet, got 'wait'"),
    ({"hours": [{"start": "25:00", "end": "07:00"}]}, "test.toml: [[hours]] #1 start: expected a time"),
    ({"teams": [{"unit": "XX", "start": "07:00", "end": "19:00", "count": 1}]}, "test.toml: [[teams]] #1 unit"),
    ({"costs": None}, "test.toml: [costs]: missing"),
    ({"area": {"beats": []}}, "test.toml: [area] beats"),
    ({"routing": {"routing_share": 1.5}}, "test.toml [routing]: routing_share: expected a number between 0 and 1"),
    ({"after_call": {"CRT": 15}}, "test.toml: [after_call] CRT: not a unit the replay staffs"),
    ({"after_call": {"CR": 15, "range": 2}}, "test.toml [after_call]: range: expected a number between 0 and 0.9"),
])
def test_a_mistake_in_a_scenario_file_is_one_line_naming_the_file_and_key(change, message):
    doc = {"scenario": {"name": "test"}, "area": {"citywide": True}, "hours": [{"start": "08:00", "end": "17:00"}],
           "teams": [{"unit": "CR", "start": "08:00", "end": "17:00", "count": 1}], "routing": {}, "costs": COSTS}
    doc.update(change)
    doc = {k: v for k, v in doc.items() if v is not None}
    with pytest.raises(ScenarioError) as err:
        parse_scenario(doc, "test.toml", "test")
    assert str(err.value).startswith(message) and "\n" not in str(err.value)


def test_a_scenario_file_that_is_not_toml_is_one_line(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[scenario\nname = 1\n")
    with pytest.raises(ScenarioError, match=r"^bad\.toml: not valid TOML"):
        load_scenario(bad)


def test_the_shipped_scenarios_load_the_configured_one_first():
    shipped = load_scenarios(Path(__file__).resolve().parent.parent / "scenarios")
    assert [s.name for s in shipped][:1] == ["As configured"] and shipped[0].from_program
    assert {"24/7 citywide", "Add overnight teams", "Current hours, two more day teams"} <= {s.name for s in shipped}


def test_heart_scenarios_prints_the_comparison_and_a_bad_file_is_one_line_exit_2(metrics_small_warehouse, tmp_path,
                                                                                  capsys):
    from pipeline.cli import main

    path, _ = metrics_small_warehouse
    assert main(["scenarios", "--warehouse", str(path), "--seeds", "2", "--no-backtests"]) == 0
    out = capsys.readouterr().out
    assert "As configured" in out and "24/7 citywide" in out and "routing share in coverage" in out
    bad = tmp_path / "bad.toml"
    bad.write_text('[scenario]\nname = "x"\n[area]\ncitywide = true\n[[hours]]\nstart = "08:00"\nend = "17:00"\n'
                   '[[teams]]\nunit = "CR"\nstart = "08:00"\nend = "17:00"\ncount = 1\n'
                   '[routing]\nwhen_busy = "later"\n[costs]\nhours_per_fte = 2080\nrelief_factor = 1\n'
                   '[costs.position_usd]\nclinician = 1\npeer = 1\nemt = 1\n')
    assert main(["scenarios", "--warehouse", str(path), "--scenario", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err == "heart: bad.toml: [routing] when_busy: expected one of phone, queue, unmet, got 'later'\n"
    assert main(["scenarios", "--warehouse", str(path), "--seeds", "many"]) == 2
    assert "--seeds many: expected a whole number" in capsys.readouterr().err


def test_a_warehouse_with_no_eligible_calls_skips_the_replay_and_writes_empty_tables(tmp_path):
    from pipeline import warehouse
    from pipeline.build import build_warehouse
    from pipeline.program import load_program
    from pipeline.scenarios.config import SCENARIOS_DIR
    from pipeline.scenarios.results import run_all, write_results
    from pipeline.settings import DEFAULT_PROGRAM

    (tmp_path / "inbox").mkdir()
    path = build_warehouse(tmp_path / "wh.duckdb", tmp_path / "inbox", load_program(DEFAULT_PROGRAM))
    with warehouse.connect(path) as con:
        results = run_all(con, SCENARIOS_DIR)
        assert results.skipped == "no eligible calls in the warehouse" and not results.projections
        assert write_results(con, results) == (0, 0)


def test_the_interval_is_the_95_percent_prediction_interval_of_one_more_run():
    # Five runs 0.50 .. 0.54: mean 0.52, sd 0.0158114; t(0.975, 4) = 2.776445; sqrt(1 + 1/5) = 1.095445.
    # Half-width 2.776445 * 0.0158114 * 1.095445 = 0.048090.
    iv = interval([0.54, 0.50, 0.52, 0.51, 0.53], upper=1.0)
    assert (iv.value, iv.low, iv.high) == pytest.approx((0.52, 0.471910, 0.568090), abs=1e-6)
    # Counts near zero: 0, 0, 1, 3 (mean 1, sd 1.414214, t(0.975, 3) = 3.182446, sqrt(1.25)): never below 0.
    few = interval([0, 0, 1, 3])
    assert few.value == 0.5 and few.low == 0.0 and few.high == pytest.approx(1 + 3.182446 * 1.414214 * 1.118034, abs=1e-5)
    # A share never above 1; a run with no answer (NaN cost) is left out; one run has no spread to go on.
    assert interval([0.99, 1.0, 1.0, 0.98], upper=1.0).high == 1.0
    assert interval([float("nan"), 2.0, 2.0]) == Interval(2.0, 2.0, 2.0)
    assert interval([7.0]) == Interval(7.0, 7.0, 7.0)
