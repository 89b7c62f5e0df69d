"""Every metric on a small hand-built fixture, with expected values worked out by hand.

Fixture: tests/fixtures/metrics_small (README.md there has the incident-by-incident
table; program.toml the fixture's own dated configuration). The expected numbers
below were derived from that table and the definitions in sql/marts and
sql/metrics, NOT copied from a pipeline run; each carries the arithmetic as a
comment. Incident ids are abbreviated: A3 = 23-0003, B14 = 24-0014, W = the walk-up
H23-W001, U = the unlinked H23-U001, "A1n" = the Care Navigation follow-up of A1.

Periods: all = 2023-10-30 .. 2024-03-18 (launch .. last data day 2024-03-17 + 1).
Cluster A = 2023-10-30 .. 2023-11-09 (fall back 2023-11-05), cluster B =
2024-03-04 .. 2024-03-17 (spring forward 2024-03-10).
"""

from __future__ import annotations

import math
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from conftest import build, copy_into
from pipeline import warehouse
from pipeline.build import build_marts_and_metrics
from pipeline.metrics import compute_window, load_definitions
from pipeline.program import load_program

FIXTURE = Path(__file__).parent / "fixtures" / "metrics_small"
UTC = timezone.utc
DEFINITIONS = {d.metric_id: d for d in load_definitions()}
HEADLINE = {m: set(d.headline_dimensions) for m, d in DEFINITIONS.items()}

ALL_START = date(2023, 10, 30)
ALL_END = date(2024, 3, 18)


# ---------------------------------------------------------------------------
# The warehouse, built once for the module.
# ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def con(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("metrics_small")
    with warehouse.connect(tmp / "warehouse.duckdb") as connection:
        build(connection, copy_into(tmp / "inbox", FIXTURE / "inbox"))
        program = load_program(FIXTURE / "program.toml")
        build_marts_and_metrics(connection, program)
        yield connection


# ---------------------------------------------------------------------------
# Expected-row helpers: (numerator, denominator, value).
# ---------------------------------------------------------------------------
def count(n):  # count metric: numerator = value = n, no denominator
    return (n, None, n)


def rate(k, n):
    return (k, n, k / n)


def quantile(n, v):  # median / p90: no numerator, denominator = observations
    return (None, n, v)


def total(hours, n):  # sum metric (officer_hours_saved): numerator = value = hours, denominator = calls
    return (hours, n, hours)


def wilson(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """95% Wilson score interval, written out from the textbook formula."""
    p = k / n
    centre = p + z * z / (2 * n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    denom = 1 + z * z / n
    return max(0.0, (centre - half) / denom), min(1.0, (centre + half) / denom)


def ci_ranks(n: int, p: float, z: float = 1.96) -> tuple[int, int]:
    """1-based order-statistic ranks of the distribution-free quantile interval (_macros.sql)."""
    half = z * math.sqrt(n * p * (1 - p))
    return max(1, math.floor(n * p - half)), min(n, math.ceil(n * p + half) + 1)


def stored_rows(con, grain: str, start: date) -> dict[tuple, tuple]:
    """Every metric_values row of one period: (metric, unit, dimension, value) -> (num, den, value, lo, hi)."""
    result = con.execute(
        """SELECT metric_id, unit, dimension, dimension_value, numerator, denominator, value, ci_low, ci_high
           FROM metrics.metric_values WHERE grain = ? AND period_start = ?""",
        [grain, start],
    ).fetchall()
    return {tuple(r[:4]): tuple(r[4:]) for r in result}


def headline(rows: dict[tuple, tuple]) -> dict[tuple, tuple]:
    return {k: v for k, v in rows.items() if k[2] in HEADLINE[k[0]]}


def window_rows(con, start: date, end: date) -> dict[tuple, tuple]:
    got = compute_window(con, start, end)
    return {
        (r["metric_id"], r["unit"], r["dimension"], r["dimension_value"]):
            (r["numerator"], r["denominator"], r["value"], r["ci_low"], r["ci_high"])
        for r in got
    }


def same(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return a == pytest.approx(b, abs=1e-9)


def assert_rows(got: dict[tuple, tuple], expected: dict[tuple, tuple]) -> None:
    """Exactly the expected keys, each with the expected numerator, denominator and value."""
    missing = sorted(set(expected) - set(got))
    extra = sorted(set(got) - set(expected))
    wrong = [
        f"{key}: got {got[key][:3]}, expected {expected[key]}"
        for key in sorted(set(expected) & set(got))
        if not all(same(g, e) for g, e in zip(got[key][:3], expected[key]))
    ]
    assert not (missing or extra or wrong), "\n".join(
        [f"missing {k}" for k in missing] + [f"unexpected {k} = {got[k][:3]}" for k in extra] + wrong
    )


def by_metric(expected: dict[str, dict[tuple, tuple]]) -> dict[tuple, tuple]:
    """{metric: {(unit, dim, dim_value): row}} -> {(metric, unit, dim, dim_value): row}."""
    return {(m, *k): v for m, rows in expected.items() for k, v in rows.items()}


A = ("ALL", "ALL")  # dimension ALL, value ALL


# ---------------------------------------------------------------------------
# Expected headline rows, grain `all` (2023-10-30 .. 2024-03-18).
# ---------------------------------------------------------------------------
EXPECTED_ALL = by_metric({
    # Eligible (type on the list that day): A1-A12, A14, A15, A17 (15; A13 ASSAULT, A16 NOISE no)
    # + B1, B3-B21 (20; B2 TRESP before 03-11 no, B22 NOISE no) -> 35.
    "eligible_calls": {("ALL", *A): count(35)},
    # In coverage: A1 A2 A3 A4 A8 A10 A14 A15 (8) + B1 B3-B8 B12-B16 B18-B21 (16) -> 24.
    # Out: A5 A6 (area), A7 A9 A11 A12 A17 (hours), B9 B10 B11 (hours), B17 (area) -> 11.
    "eligible_in_coverage": {("ALL", *A): count(24)},
    # HEART log rows by unit: CR A1 A2 A10 A14 W B1 B5 B6 B8 B12 B18 B19 B20 B21 = 14;
    # CCD A4 A5 U B3 B4 = 5; COR B14 B19 = 2; CN A1n A4n A10n B5n B8n B18n = 6.
    # ALL = crisis units only: 14 + 5 + 2 = 21.
    "responses": {
        ("ALL", *A): count(21), ("CCD", *A): count(5), ("CR", *A): count(14),
        ("COR", *A): count(2), ("CN", *A): count(6),
    },
    # Answered eligible: A1 A2 A4 A5 A10 A14 (6) + B1 B3 B4 B5 B6 B8 B12 B14 B18 B19 B20 B21 (12) = 18 / 35.
    # CCD: A4 A5 B3 B4 = 4; CR: A1 A2 A10 A14 B1 B5 B6 B8 B12 B18 B19 B20 B21 = 13; COR: B14 B19 = 2.
    "eligible_answered_rate": {
        ("ALL", *A): rate(18, 35), ("CCD", *A): rate(4, 35), ("CR", *A): rate(13, 35), ("COR", *A): rate(2, 35),
    },
    # Handled (incident, unit): CR A1+ A2- A10+ A14- B1+ B5+ B6- B8+ B12+ B18+ B19- B20+ B21+ -> 9/13
    # (A2/A14/B19 police unit in CAD, B6 police requested); CCD A4+ A5- B3+ B4+ (EMS is not police) -> 3/4;
    # COR B14- B19- -> 0/2; ALL distinct incidents: 18, diverted 9 + 3 = 12.
    "diversion_rate": {
        ("ALL", *A): rate(12, 18), ("CCD", *A): rate(3, 4), ("CR", *A): rate(9, 13), ("COR", *A): rate(0, 2),
    },
    # CCD: A4 yes, A5 no (not resolved), U yes (unlinked: log's mark), B3 yes, B4 no (EMS in CAD) -> 3/5.
    "resolved_without_in_person_rate": {("CCD", *A): rate(3, 5)},
    # In person, question answered: CR 13 in person minus A10 blank = 12, unsafe A2 B6 -> 10/12;
    # COR B14 B19 -> 2/2; CN B5n -> 1/1; ALL 13/15.
    "felt_safe_rate": {
        ("ALL", *A): rate(13, 15), ("CR", *A): rate(10, 12), ("COR", *A): rate(2, 2), ("CN", *A): rate(1, 1),
    },
    # In person (B20 is contact NONE, CCD all phone): CR 13 (A2, B6 requested) -> 2/13; COR 0/2; CN B5n 0/1;
    # ALL 2/16. A5 (CCD, requested, phone) is not in-person.
    "police_backup_rate": {
        ("ALL", *A): rate(2, 16), ("CR", *A): rate(2, 13), ("COR", *A): rate(0, 2), ("CN", *A): rate(0, 1),
    },
    # Keys: CR {P01 P02 P05 P06 P08 P11 P12 P13 P15 P16 P17} = 11 (B20 none); CCD {P03 P04 P07 P09 P10} = 5;
    # COR {P14 P16} = 2; CN {P01 P03 P05 P11 P08 P15} = 6; ALL P01..P17 = 17 (not 11+5+2+6 = 24).
    "people_reached": {
        ("ALL", *A): count(17), ("CCD", *A): count(5), ("CR", *A): count(11),
        ("COR", *A): count(2), ("CN", *A): count(6),
    },
    # Due in period: A1n on time, A4n never, A10n late (DST), B5n on time (DST), B8n on time, B18n late -> 3/6.
    "care_nav_followup_48h_rate": {("CN", *A): rate(3, 6)},
    # 35 - 18 = 17 unanswered. Hours: A7 A9 A11 A12 A17 B9 B10 B11 = 8; area: A6 B17 = 2;
    # no team free: A3 A15 B7 B15 = 4; not routed: A8 B13 B16 = 3.
    "unmet_eligible_calls": {
        ("ALL", *A): count(17),
        ("ALL", "reason", "outside_service_hours"): count(8),
        ("ALL", "reason", "outside_service_area"): count(2),
        ("ALL", "reason", "no_team_free"): count(4),
        ("ALL", "reason", "not_routed"): count(3),
    },
    # CR minutes (n=13): 12 12 13 14 15 15 [18] 20 20 20 23 25 45 -> median idx 6 = 18;
    #   p90 pos 12*0.9 = 10.8 -> 23 + 0.8*(25-23) = 24.6.
    # COR (n=2): 10 20 -> median 15; p90 pos 0.9 -> 10 + 0.9*10 = 19.
    # ALL first arrival per call (n=14, B19 = min(15, 10) = 10): 10 12 12 13 14 15 18 | 20 20 20 20 23 25 45
    #   -> median (18+20)/2 = 19; p90 pos 13*0.9 = 11.7 -> 23 + 0.7*(25-23) = 24.4.
    "heart_response_time_median": {
        ("ALL", *A): quantile(14, 19.0), ("CR", *A): quantile(13, 18.0), ("COR", *A): quantile(2, 15.0),
    },
    "heart_response_time_p90": {
        ("ALL", *A): quantile(14, 24.4), ("CR", *A): quantile(13, 24.6), ("COR", *A): quantile(2, 19.0),
    },
    # Police first arrival on unanswered eligible calls (n=13): A3 21, A6 25, A7 15, A8 22, A11 20 (real, DST),
    # A15 17, A17 20, B7 30, B9 15 (real, DST), B11 25, B13 20, B15 40, B17 35.
    # Sorted 15 15 17 20 20 20 [21] 22 25 25 30 35 40 -> median 21; p90 pos 10.8 -> 30 + 0.8*5 = 34.
    "police_response_time_median": {("ALL", *A): quantile(13, 21.0)},
    "police_response_time_p90": {("ALL", *A): quantile(13, 34.0)},
    # Diverted: MENTAL A1 A10 B1 B4 B8 B18 (6 x 1.25), SUICTH A4 B5 (2 x 0.5), WELFCK B3 B21 (2 x 1.25),
    # TRESP B12 (0.75), INTOX B20 (no comparable: 0) -> 7.5 + 1.0 + 2.5 + 0.75 + 0 = 11.75 h over 12 calls.
    "officer_hours_saved": {("ALL", *A): total(11.75, 12)},
    # Outcomes. CR (13 recorded, B21 blank): resolved A1 W B1 B8 B12 B19 = 6, referred A2 B5 B18 = 3,
    # transported A10 = 1, declined A14 B6 = 2, unable B20 = 1. CCD (5): resolved A4 U = 2, referred A5 B3 = 2,
    # transported B4 = 1. COR (2): referred B14, resolved B19. CN (6): referred A1n A10n B18n = 3,
    # unable A4n, resolved B5n, declined B8n. ALL = CR + CCD + COR (20): 9 / 6 / 2 / 2 / 1.
    "outcome_share": {
        ("ALL", "outcome", "resolved_on_scene"): rate(9, 20), ("ALL", "outcome", "referred"): rate(6, 20),
        ("ALL", "outcome", "transported"): rate(2, 20), ("ALL", "outcome", "declined"): rate(2, 20),
        ("ALL", "outcome", "unable_to_locate"): rate(1, 20),
        ("CR", "outcome", "resolved_on_scene"): rate(6, 13), ("CR", "outcome", "referred"): rate(3, 13),
        ("CR", "outcome", "transported"): rate(1, 13), ("CR", "outcome", "declined"): rate(2, 13),
        ("CR", "outcome", "unable_to_locate"): rate(1, 13),
        ("CCD", "outcome", "resolved_on_scene"): rate(2, 5), ("CCD", "outcome", "referred"): rate(2, 5),
        ("CCD", "outcome", "transported"): rate(1, 5),
        # Zero rows: every outcome of a unit with outcomes recorded, 0 of n when none had it.
        ("CCD", "outcome", "declined"): rate(0, 5), ("CCD", "outcome", "unable_to_locate"): rate(0, 5),
        ("COR", "outcome", "referred"): rate(1, 2), ("COR", "outcome", "resolved_on_scene"): rate(1, 2),
        ("COR", "outcome", "transported"): rate(0, 2), ("COR", "outcome", "declined"): rate(0, 2),
        ("COR", "outcome", "unable_to_locate"): rate(0, 2),
        ("CN", "outcome", "referred"): rate(3, 6), ("CN", "outcome", "unable_to_locate"): rate(1, 6),
        ("CN", "outcome", "resolved_on_scene"): rate(1, 6), ("CN", "outcome", "declined"): rate(1, 6),
        ("CN", "outcome", "transported"): rate(0, 6),
    },
})


# ---------------------------------------------------------------------------
# Expected headline rows, week 2024-03-04 .. 2024-03-11 (spring-forward week: B1-B10).
# ---------------------------------------------------------------------------
EXPECTED_WEEK_0304 = by_metric({
    # Eligible: B1 B3 B4 B5 B6 B7 B8 B9 B10 = 9 (B2 TRESP not yet). B10 is Sun 23:30 EDT = Mon 03:30 UTC.
    "eligible_calls": {("ALL", *A): count(9)},
    # In coverage: B1 B3 B4 B5 B6 B7 B8 = 7 (B9 01:50, B10 23:30 outside hours).
    "eligible_in_coverage": {("ALL", *A): count(7)},
    # CR B1 B5 B6 B8 = 4; CCD B3 B4 = 2; COR none -> explicit 0; CN B5n (03-08) B8n (03-09) = 2; ALL 6.
    "responses": {
        ("ALL", *A): count(6), ("CCD", *A): count(2), ("CR", *A): count(4),
        ("COR", *A): count(0), ("CN", *A): count(2),
    },
    # Answered B1 B3 B4 B5 B6 B8 = 6 / 9; CCD B3 B4; CR B1 B5 B6 B8; COR 0 (row present: 0/9).
    "eligible_answered_rate": {
        ("ALL", *A): rate(6, 9), ("CCD", *A): rate(2, 9), ("CR", *A): rate(4, 9), ("COR", *A): rate(0, 9),
    },
    # CR B1+ B5+ B6- B8+ -> 3/4; CCD B3+ B4+ -> 2/2; ALL 5/6.
    "diversion_rate": {("ALL", *A): rate(5, 6), ("CCD", *A): rate(2, 2), ("CR", *A): rate(3, 4)},
    # CCD B3 yes, B4 no (EMS in CAD) -> 1/2.
    "resolved_without_in_person_rate": {("CCD", *A): rate(1, 2)},
    # In person: B1 Y, B5 Y, B6 N, B8 Y (CR 3/4); B5n Y (CN 1/1); ALL 4/5.
    "felt_safe_rate": {("ALL", *A): rate(4, 5), ("CR", *A): rate(3, 4), ("CN", *A): rate(1, 1)},
    # Requested: B6 only. CR 1/4, CN 0/1, ALL 1/5.
    "police_backup_rate": {("ALL", *A): rate(1, 5), ("CR", *A): rate(1, 4), ("CN", *A): rate(0, 1)},
    # CR {P08 P11 P12} = 3; CCD {P09 P10} = 2; CN {P11 P08} = 2; COR 0; ALL {P08 P09 P10 P11 P12} = 5.
    "people_reached": {
        ("ALL", *A): count(5), ("CCD", *A): count(2), ("CR", *A): count(3),
        ("COR", *A): count(0), ("CN", *A): count(2),
    },
    # Due this week: B5n (due Sun 03-10, on time). B8n is due Mon 03-11 -> next week.
    "care_nav_followup_48h_rate": {("CN", *A): rate(1, 1)},
    # Unanswered B7 (no team free), B9 B10 (hours) = 3; the other two reasons are zero rows.
    "unmet_eligible_calls": {
        ("ALL", *A): count(3),
        ("ALL", "reason", "outside_service_hours"): count(2),
        ("ALL", "reason", "no_team_free"): count(1),
        ("ALL", "reason", "outside_service_area"): count(0),
        ("ALL", "reason", "not_routed"): count(0),
    },
    # CR = ALL: 12 14 20 45 -> median 17; p90 pos 2.7 -> 20 + 0.7*25 = 37.5.
    "heart_response_time_median": {("ALL", *A): quantile(4, 17.0), ("CR", *A): quantile(4, 17.0)},
    "heart_response_time_p90": {("ALL", *A): quantile(4, 37.5), ("CR", *A): quantile(4, 37.5)},
    # Police: B9 15, B7 30 -> median 22.5; p90 15 + 0.9*15 = 28.5.
    "police_response_time_median": {("ALL", *A): quantile(2, 22.5)},
    "police_response_time_p90": {("ALL", *A): quantile(2, 28.5)},
    # Diverted B1 B4 B8 MENTAL (3 x 1.25), B3 WELFCK 1.25, B5 SUICTH 0.5 -> 5.5 h over 5 calls.
    "officer_hours_saved": {("ALL", *A): total(5.5, 5)},
    # CR: B1 B8 resolved, B5 referred, B6 declined; CCD: B3 referred, B4 transported; CN: B5n resolved, B8n declined.
    "outcome_share": {
        ("ALL", "outcome", "resolved_on_scene"): rate(2, 6), ("ALL", "outcome", "referred"): rate(2, 6),
        ("ALL", "outcome", "declined"): rate(1, 6), ("ALL", "outcome", "transported"): rate(1, 6),
        ("ALL", "outcome", "unable_to_locate"): rate(0, 6),
        ("CR", "outcome", "resolved_on_scene"): rate(2, 4), ("CR", "outcome", "referred"): rate(1, 4),
        ("CR", "outcome", "declined"): rate(1, 4),
        ("CR", "outcome", "transported"): rate(0, 4), ("CR", "outcome", "unable_to_locate"): rate(0, 4),
        ("CCD", "outcome", "referred"): rate(1, 2), ("CCD", "outcome", "transported"): rate(1, 2),
        ("CCD", "outcome", "resolved_on_scene"): rate(0, 2), ("CCD", "outcome", "declined"): rate(0, 2),
        ("CCD", "outcome", "unable_to_locate"): rate(0, 2),
        ("CN", "outcome", "resolved_on_scene"): rate(1, 2), ("CN", "outcome", "declined"): rate(1, 2),
        ("CN", "outcome", "referred"): rate(0, 2), ("CN", "outcome", "transported"): rate(0, 2),
        ("CN", "outcome", "unable_to_locate"): rate(0, 2),
    },
})


# ---------------------------------------------------------------------------
# Expected headline rows, custom window 2023-10-30 .. 2023-11-13 (cluster A, fall back).
# ---------------------------------------------------------------------------
EXPECTED_WINDOW_A = by_metric({
    # A1-A12, A14, A15, A17 = 15.
    "eligible_calls": {("ALL", *A): count(15)},
    # A1 A2 A3 A4 A8 A10 A14 A15 = 8.
    "eligible_in_coverage": {("ALL", *A): count(8)},
    # CR A1 A2 A10 A14 W = 5; CCD A4 A5 U = 3; COR 0; CN A1n A4n A10n = 3; ALL 8.
    "responses": {
        ("ALL", *A): count(8), ("CCD", *A): count(3), ("CR", *A): count(5),
        ("COR", *A): count(0), ("CN", *A): count(3),
    },
    # Answered A1 A2 A4 A5 A10 A14 = 6 / 15; CCD A4 A5; CR A1 A2 A10 A14.
    "eligible_answered_rate": {
        ("ALL", *A): rate(6, 15), ("CCD", *A): rate(2, 15), ("CR", *A): rate(4, 15), ("COR", *A): rate(0, 15),
    },
    # CR A1+ A2- A10+ A14- -> 2/4; CCD A4+ A5- -> 1/2; ALL 3/6.
    "diversion_rate": {("ALL", *A): rate(3, 6), ("CCD", *A): rate(1, 2), ("CR", *A): rate(2, 4)},
    # A4 yes, A5 no, U yes -> 2/3.
    "resolved_without_in_person_rate": {("CCD", *A): rate(2, 3)},
    # In person CR: A1 Y, A2 N, A10 blank, A14 Y, W Y -> 3/4.
    "felt_safe_rate": {("ALL", *A): rate(3, 4), ("CR", *A): rate(3, 4)},
    # In person CR: 5, A2 requested -> 1/5.
    "police_backup_rate": {("ALL", *A): rate(1, 5), ("CR", *A): rate(1, 5)},
    # CR {P01 P02 P05 P06} = 4; CCD {P03 P04 P07} = 3; CN {P01 P03 P05} = 3; ALL P01..P07 = 7.
    "people_reached": {
        ("ALL", *A): count(7), ("CCD", *A): count(3), ("CR", *A): count(4),
        ("COR", *A): count(0), ("CN", *A): count(3),
    },
    # A1n on time, A4n never, A10n late -> 1/3.
    "care_nav_followup_48h_rate": {("CN", *A): rate(1, 3)},
    # 15 - 6 = 9: hours A7 A9 A11 A12 A17 = 5; area A6; no team free A3 A15; not routed A8.
    "unmet_eligible_calls": {
        ("ALL", *A): count(9),
        ("ALL", "reason", "outside_service_hours"): count(5),
        ("ALL", "reason", "outside_service_area"): count(1),
        ("ALL", "reason", "no_team_free"): count(2),
        ("ALL", "reason", "not_routed"): count(1),
    },
    # CR = ALL: A1 15, A2 20, A10 25, A14 18 -> 15 18 20 25: median 19; p90 pos 2.7 -> 20 + 0.7*5 = 23.5.
    "heart_response_time_median": {("ALL", *A): quantile(4, 19.0), ("CR", *A): quantile(4, 19.0)},
    "heart_response_time_p90": {("ALL", *A): quantile(4, 23.5), ("CR", *A): quantile(4, 23.5)},
    # Police: 15 17 20 [20] 21 22 25 (A7 A15 A11 A17 A3 A8 A6) -> median 20; p90 pos 5.4 -> 22 + 0.4*3 = 23.2.
    "police_response_time_median": {("ALL", *A): quantile(7, 20.0)},
    "police_response_time_p90": {("ALL", *A): quantile(7, 23.2)},
    # Diverted A1 MENTAL 1.25, A4 SUICTH 0.5, A10 MENTAL 1.25 -> 3.0 h over 3 (means use the whole warehouse).
    "officer_hours_saved": {("ALL", *A): total(3.0, 3)},
    # CR: A1 W resolved, A2 referred, A10 transported, A14 declined; CCD: A4 U resolved, A5 referred;
    # CN: A1n A10n referred, A4n unable. ALL (8): resolved 4, referred 2, transported 1, declined 1.
    "outcome_share": {
        ("ALL", "outcome", "resolved_on_scene"): rate(4, 8), ("ALL", "outcome", "referred"): rate(2, 8),
        ("ALL", "outcome", "transported"): rate(1, 8), ("ALL", "outcome", "declined"): rate(1, 8),
        ("ALL", "outcome", "unable_to_locate"): rate(0, 8),
        ("CR", "outcome", "resolved_on_scene"): rate(2, 5), ("CR", "outcome", "referred"): rate(1, 5),
        ("CR", "outcome", "transported"): rate(1, 5), ("CR", "outcome", "declined"): rate(1, 5),
        ("CR", "outcome", "unable_to_locate"): rate(0, 5),
        ("CCD", "outcome", "resolved_on_scene"): rate(2, 3), ("CCD", "outcome", "referred"): rate(1, 3),
        ("CCD", "outcome", "transported"): rate(0, 3), ("CCD", "outcome", "declined"): rate(0, 3),
        ("CCD", "outcome", "unable_to_locate"): rate(0, 3),
        ("CN", "outcome", "referred"): rate(2, 3), ("CN", "outcome", "unable_to_locate"): rate(1, 3),
        ("CN", "outcome", "resolved_on_scene"): rate(0, 3), ("CN", "outcome", "transported"): rate(0, 3),
        ("CN", "outcome", "declined"): rate(0, 3),
    },
})


# ---------------------------------------------------------------------------
# The fixture loads cleanly.
# ---------------------------------------------------------------------------
def test_fixture_loads_without_quarantine(con):
    assert con.execute("SELECT count(*) FROM quarantine.cad_failures").fetchone()[0] == 0
    assert con.execute("SELECT count(*) FROM quarantine.heart_failures").fetchone()[0] == 0
    # 17 incidents in cluster A (23-0001..23-0017), 22 in B (24-0001..24-0022).
    assert con.execute("SELECT count(*) FROM marts.cad_incidents").fetchone()[0] == 39
    # HEART rows: 11 in the 2023 log, 16 in the 2024 log.
    assert con.execute("SELECT count(*) FROM marts.heart_responses").fetchone()[0] == 27
    # Linked: all but the walk-up (no number) and 23-9999 (matches nothing).
    unlinked = con.execute(
        "SELECT response_id FROM marts.heart_responses WHERE NOT cad_linked ORDER BY 1").fetchall()
    assert unlinked == [("H23-U001",), ("H23-W001",)]


def test_program_days_follow_the_dated_entries(con):
    days = {
        r[0]: r[1:]
        for r in con.execute(
            "SELECT service_date, eligible_from, area_from, hours_from, in_person_teams, service_start, service_end "
            "FROM marts.program_days").fetchall()
    }
    # launch 2023-10-30 .. last data day 2024-03-17 (24-0022): 2 + 30 + 31 + 31 + 29 (leap) + 17 = 140 days.
    assert min(days) == date(2023, 10, 30) and max(days) == date(2024, 3, 17) and len(days) == 140
    assert days[date(2024, 3, 8)][:4] == (date(2023, 10, 30), date(2023, 10, 30), date(2023, 10, 30), 1)
    assert days[date(2024, 3, 9)][2] == date(2024, 3, 9)          # 7-day hours from Saturday 03-09
    assert days[date(2024, 3, 10)][4:] == (datetime(2024, 3, 10, 8).time(), datetime(2024, 3, 10, 19).time())
    assert days[date(2024, 3, 11)][0] == date(2024, 3, 11)        # TRESP added
    assert days[date(2024, 3, 11)][3] == 2                         # CR 1 + COR 1
    assert days[date(2024, 3, 13)][1] == date(2024, 3, 13)        # beat 211 added
    assert days[date(2023, 11, 4)][4:] == (None, None)             # Saturday, weekday-only hours


# ---------------------------------------------------------------------------
# Headline rows: all, one week, one custom window.
# ---------------------------------------------------------------------------
def test_every_metric_all_grain(con):
    rows = stored_rows(con, "all", ALL_START)
    assert {k[0] for k in rows} == set(DEFINITIONS)  # every metric has an `all` row
    assert_rows(headline(rows), EXPECTED_ALL)
    ends = con.execute("SELECT DISTINCT period_end FROM metrics.metric_values WHERE grain = 'all'").fetchall()
    assert ends == [(ALL_END,)]


def test_every_metric_week_of_spring_forward(con):
    assert_rows(headline(stored_rows(con, "week", date(2024, 3, 4))), EXPECTED_WEEK_0304)


def test_every_metric_custom_window_fall_back(con):
    got = window_rows(con, date(2023, 10, 30), date(2023, 11, 13))
    assert_rows(got, EXPECTED_WINDOW_A)


def test_other_weeks_months_and_fiscal_years(con):
    def value(metric, grain, start, unit="ALL", dim="ALL", dv="ALL"):
        return stored_rows(con, grain, start)[(metric, unit, dim, dv)][:3]

    # Week 2024-03-11: B11-B21 = 11 eligible (B10 at Sun 23:30 stays in the week before).
    assert value("eligible_calls", "week", date(2024, 3, 11)) == count(11)
    # Answered B12 B14 B18 B19 B20 B21 = 6 / 11.
    assert value("eligible_answered_rate", "week", date(2024, 3, 11)) == rate(6, 11)
    # Care Navigation due that week: B8n (on time), B18n (late) -> 1/2.
    assert value("care_nav_followup_48h_rate", "week", date(2024, 3, 11), unit="CN") == rate(1, 2)
    # Week 2023-10-30 (A1-A12): eligible A1-A12 = 12; week 2023-11-06: A14 A15 A17 = 3.
    assert value("eligible_calls", "week", date(2023, 10, 30)) == count(12)
    assert value("eligible_calls", "week", date(2023, 11, 6)) == count(3)
    # Months: October 2023 = A1-A5 (5), November = A6-A12, A14, A15, A17 (10), March 2024 = 20.
    assert value("eligible_calls", "month", date(2023, 10, 1)) == count(5)
    assert value("eligible_calls", "month", date(2023, 11, 1)) == count(10)
    assert value("eligible_calls", "month", date(2024, 3, 1)) == count(20)
    # Fiscal years start 1 November: FY 2022-11-01 holds only 10-30 and 10-31.
    assert value("eligible_calls", "fiscal_year", date(2022, 11, 1)) == count(5)
    assert value("eligible_calls", "fiscal_year", date(2023, 11, 1)) == count(30)
    # Responses ALL in FY 2022-11-01: A1, A2 (CR), A4, A5 (CCD) = 4; the rest 21 - 4 = 17.
    assert value("responses", "fiscal_year", date(2022, 11, 1)) == count(4)
    assert value("responses", "fiscal_year", date(2023, 11, 1)) == count(17)
    # Diversion FY 2022-11-01: A1+ A2- (CR), A4+ A5- (CCD) -> 2/4.
    assert value("diversion_rate", "fiscal_year", date(2022, 11, 1)) == rate(2, 4)
    # The standard periods: 20 weeks (2023-10-30 .. 2024-03-11), 6 months, 2 fiscal years, 1 all.
    periods = dict(con.execute(
        "SELECT grain, count(DISTINCT period_start) FROM metrics.metric_values "
        "WHERE metric_id = 'eligible_calls' GROUP BY grain").fetchall())
    assert periods == {"week": 20, "month": 6, "fiscal_year": 2, "all": 1}


# ---------------------------------------------------------------------------
# Breakdowns that matter.
# ---------------------------------------------------------------------------
def test_breakdowns_all_grain(con):
    rows = stored_rows(con, "all", ALL_START)

    def got(metric, unit, dim, dv):
        return rows[(metric, unit, dim, dv)][:3]

    # Coverage: in coverage 24 calls, answered A1 A2 A4 A10 A14 + B1 B3 B4 B5 B6 B8 B12 B14 B18-B21 = 5 + 12 = 17;
    # outside 11 calls, answered A5 (CCD takes calls from beat 211) -> 1/11.
    assert got("eligible_answered_rate", "ALL", "coverage", "in_coverage") == pytest.approx(rate(17, 24))
    assert got("eligible_answered_rate", "ALL", "coverage", "outside_coverage") == pytest.approx(rate(1, 11))
    # Hour 10: A4 A14 B5 B8 B12 B13 B14 B20 B21 = 9 calls, all answered but B13 -> 8/9.
    assert got("eligible_answered_rate", "ALL", "hour_of_day", "10") == pytest.approx(rate(8, 9))
    # Hour 01: A11 (repeated hour, counted once), B9 -> 0/2.
    assert got("eligible_answered_rate", "ALL", "hour_of_day", "01") == pytest.approx(rate(0, 2))
    assert got("eligible_calls", "ALL", "hour_of_day", "01") == count(2)
    assert got("eligible_calls", "ALL", "hour_of_day", "10") == count(9)
    # Hour 23: A12, B10 (both Sunday local, Monday UTC); no eligible call at UTC hours 03/04 on a Monday.
    assert got("eligible_calls", "ALL", "hour_of_day", "23") == count(2)
    assert got("eligible_calls", "ALL", "weekday+hour_of_day", "Sun|23") == count(2)
    assert ("eligible_calls", "ALL", "weekday+hour_of_day", "Mon|03") not in rows
    assert ("eligible_calls", "ALL", "weekday+hour_of_day", "Mon|04") not in rows
    # Sundays: A11 A12 B9 B10 = 4.
    assert got("eligible_calls", "ALL", "weekday", "Sun") == count(4)
    # Eligible by type: TRESP only B12 (B2 came before it was eligible).
    assert got("eligible_calls", "ALL", "call_type", "TRESP") == count(1)
    assert got("eligible_in_coverage", "ALL", "beat", "211") == count(1)   # B18 (A5, B17 outside)
    assert got("unmet_eligible_calls", "ALL", "reason+hour_of_day", "outside_service_hours|01") == count(2)
    assert got("unmet_eligible_calls", "ALL", "reason+hour_of_day", "outside_service_hours|23") == count(2)
    # Officer hours by type: MENTAL 6 x 1.25, SUICTH 2 x 0.5, WELFCK 2 x 1.25, TRESP 0.75, INTOX 0.
    assert got("officer_hours_saved", "ALL", "call_type", "MENTAL") == pytest.approx(total(7.5, 6))
    assert got("officer_hours_saved", "ALL", "call_type", "SUICTH") == pytest.approx(total(1.0, 2))
    assert got("officer_hours_saved", "ALL", "call_type", "WELFCK") == pytest.approx(total(2.5, 2))
    assert got("officer_hours_saved", "ALL", "call_type", "TRESP") == pytest.approx(total(0.75, 1))
    assert got("officer_hours_saved", "ALL", "call_type", "INTOX") == pytest.approx(total(0.0, 1))
    # Responses by contact mode: CR 13 in person + B20 none.
    assert got("responses", "CR", "contact_mode", "in_person") == count(13)
    assert got("responses", "CR", "contact_mode", "none") == count(1)


def test_police_time_by_call_type(con):
    got = {
        r[0]: r[1:]
        for r in con.execute(
            "SELECT initial_call_type, comparable_incidents, mean_police_unit_hours, median_police_unit_hours "
            "FROM marts.police_time_by_call_type").fetchall()
    }
    # MENTAL A3 2.5, A7 1.0, A11 0.75, B9 0.75, B11 1.0, B13 1.75, B17 1.0 -> mean 8.75/7 = 1.25, median 1.0.
    assert got["MENTAL"] == pytest.approx((7, 1.25, 1.0))
    # WELFCK A6 1.0, A8 2.0 (two units), B7 1.0, B15 1.0 -> 1.25; A17 left out (P112 never cleared).
    assert got["WELFCK"] == pytest.approx((4, 1.25, 1.0))
    assert got["SUICTH"] == pytest.approx((1, 0.5, 0.5))      # A15
    assert got["TRESP"] == pytest.approx((1, 0.75, 0.75))     # B2
    assert got["ASSAULT"] == pytest.approx((1, 2.5, 2.5))     # A13: 1.0 + 1.5
    assert got["NOISE"] == pytest.approx((2, 0.625, 0.625))   # A16 0.75, B22 0.5
    assert "INTOX" not in got                                  # A5 had HEART; others had no police


# ---------------------------------------------------------------------------
# Intervals: Wilson for rates, order statistics for the quantiles.
# ---------------------------------------------------------------------------
def test_wilson_intervals(con):
    rows = stored_rows(con, "all", ALL_START)
    for key, (k, n) in {
        ("eligible_answered_rate", "ALL", "ALL", "ALL"): (18, 35),
        ("diversion_rate", "CR", "ALL", "ALL"): (9, 13),
        ("diversion_rate", "COR", "ALL", "ALL"): (0, 2),        # k = 0: lower bound exactly 0
        ("felt_safe_rate", "COR", "ALL", "ALL"): (2, 2),        # k = n: upper bound exactly 1
        ("care_nav_followup_48h_rate", "CN", "ALL", "ALL"): (3, 6),
        ("outcome_share", "ALL", "outcome", "referred"): (6, 20),
    }.items():
        low, high = wilson(k, n)
        assert rows[key][3:] == pytest.approx((low, high)), key
    # Spot values, so the formula above is itself checked: 3/6 -> (0.1876, 0.8124).
    assert wilson(3, 6) == pytest.approx((0.18761, 0.81239), abs=1e-4)
    assert wilson(0, 2)[0] == 0.0 and wilson(2, 2)[1] == 1.0


def test_quantile_intervals(con):
    rows = stored_rows(con, "all", ALL_START)
    cr = [12, 12, 13, 14, 15, 15, 18, 20, 20, 20, 23, 25, 45]
    cor = [10, 20]
    first = [10, 12, 12, 13, 14, 15, 18, 20, 20, 20, 20, 23, 25, 45]
    police = [15, 15, 17, 20, 20, 20, 21, 22, 25, 25, 30, 35, 40]
    cases = [
        # metric, unit, sorted sample, p, ranks worked out by hand:
        # n=13 p=.5: 6.5 -/+ 1.96*sqrt(3.25)=3.533 -> floor(2.97)=2, ceil(10.03)+1=12
        ("heart_response_time_median", "CR", cr, 0.5, (2, 12)),
        # n=13 p=.9: 11.7 -/+ 1.96*sqrt(1.17)=2.120 -> floor(9.58)=9, ceil(13.82)+1=15 -> clamp 13
        ("heart_response_time_p90", "CR", cr, 0.9, (9, 13)),
        # n=14 p=.5: 7 -/+ 1.96*sqrt(3.5)=3.667 -> floor(3.33)=3, ceil(10.67)+1=12
        ("heart_response_time_median", "ALL", first, 0.5, (3, 12)),
        # n=14 p=.9: 12.6 -/+ 1.96*sqrt(1.26)=2.200 -> floor(10.40)=10, ceil(14.80)+1=16 -> clamp 14
        ("heart_response_time_p90", "ALL", first, 0.9, (10, 14)),
        # n=2 p=.5: 1 -/+ 1.386 -> floor(-0.39)=-1 -> clamp 1, ceil(2.39)+1=4 -> clamp 2
        ("heart_response_time_median", "COR", cor, 0.5, (1, 2)),
        # n=2 p=.9: 1.8 -/+ 0.832 -> floor(0.97)=0 -> 1, ceil(2.63)+1=4 -> 2
        ("heart_response_time_p90", "COR", cor, 0.9, (1, 2)),
        ("police_response_time_median", "ALL", police, 0.5, (2, 12)),
        ("police_response_time_p90", "ALL", police, 0.9, (9, 13)),
    ]
    for metric, unit, sample, p, ranks in cases:
        assert ci_ranks(len(sample), p) == ranks, metric
        low, high = sample[ranks[0] - 1], sample[ranks[1] - 1]
        num, den, value, ci_low, ci_high = rows[(metric, unit, "ALL", "ALL")]
        assert den == len(sample), (metric, unit)
        assert (ci_low, ci_high) == (low, high), (metric, unit)
        assert ci_low <= value <= ci_high
    # The literal interval values: CR median [12, 25], ALL median [12, 23], police median [15, 35], p90 [25, 40].
    assert rows[("heart_response_time_median", "CR", "ALL", "ALL")][3:] == (12, 25)
    assert rows[("heart_response_time_median", "ALL", "ALL", "ALL")][3:] == (12, 23)
    assert rows[("police_response_time_median", "ALL", "ALL", "ALL")][3:] == (15, 35)
    assert rows[("police_response_time_p90", "ALL", "ALL", "ALL")][3:] == (25, 40)


# ---------------------------------------------------------------------------
# Daylight saving time.
# ---------------------------------------------------------------------------
def test_dst_sunday_late_call_stays_on_sunday(con):
    # (a) 23:30 local on a Sunday is Monday in UTC; it belongs to the Sunday and its week.
    got = con.execute(
        "SELECT incident_id, received_at, received_date, received_hour, received_iso_weekday, unmet_reason "
        "FROM marts.eligible_calls WHERE incident_id IN ('23-0012', '24-0010') ORDER BY 1").fetchall()
    assert got == [
        ("23-0012", datetime(2023, 11, 6, 4, 30, tzinfo=UTC), date(2023, 11, 5), 23, 7, "outside_service_hours"),
        ("24-0010", datetime(2024, 3, 11, 3, 30, tzinfo=UTC), date(2024, 3, 10), 23, 7, "outside_service_hours"),
    ]
    week = stored_rows(con, "week", date(2024, 3, 4))
    assert week[("eligible_calls", "ALL", "hour_of_day", "23")][:3] == count(1)        # B10
    assert week[("eligible_calls", "ALL", "weekday+hour_of_day", "Sun|23")][:3] == count(1)
    week_a = stored_rows(con, "week", date(2023, 10, 30))
    assert week_a[("unmet_eligible_calls", "ALL", "hour_of_day", "23")][:3] == count(1)  # A12
    assert ("eligible_calls", "ALL", "hour_of_day", "23") not in stored_rows(con, "week", date(2023, 11, 6))


def test_dst_care_navigation_judged_in_real_hours(con):
    # (b) B5n: crisis Fri 03-08 10:00 EST, done Sun 03-10 10:30 EDT: 48.5 h on the wall, 47.5 h real -> on time
    # (due 11:00 EDT = 48 real hours). A10n: crisis Fri 11-03 08:00 EDT, done Sun 11-05 07:30 EST: 47.5 h on
    # the wall, 48.5 h real -> late (due 07:00 EST).
    got = con.execute(
        """SELECT response_id, followup_due_date, followup_on_time,
                  epoch(followup_done_at - incident_received_at) / 3600.0,
                  epoch(followup_due_at - incident_received_at) / 3600.0
           FROM marts.heart_responses
           WHERE response_id IN ('H24-0005N', 'H23-0010N') ORDER BY 1""").fetchall()
    assert got == [
        ("H23-0010N", date(2023, 11, 5), False, 48.5, 48.0),
        ("H24-0005N", date(2024, 3, 10), True, 47.5, 48.0),
    ]
    wall = {
        r[0]: r[1]
        for r in con.execute(
            """SELECT response_id,
                      epoch(timezone('America/New_York', followup_done_at)
                            - timezone('America/New_York', incident_received_at)) / 3600.0
               FROM marts.heart_responses WHERE response_id IN ('H24-0005N', 'H23-0010N')""").fetchall()
    }
    assert wall == {"H23-0010N": 47.5, "H24-0005N": 48.5}   # the wall clock would judge both the other way
    # The week of 2023-10-30 has A1n (on time), A4n (never), A10n (late, due Sun 11-05) -> 1/3.
    week = stored_rows(con, "week", date(2023, 10, 30))
    assert week[("care_nav_followup_48h_rate", "CN", "ALL", "ALL")][:3] == rate(1, 3)


def test_dst_repeated_hour_counted_once(con):
    # (c) 23-0011 at 01:50 in the repeated hour of 2023-11-05: one incident, local hour 01, first pass (EDT).
    # Police: dispatched 01:55 EDT, arrived 01:10 EST, cleared 01:40 EST -> 20 real minutes, 0.75 unit-hours.
    got = con.execute(
        "SELECT count(*), any_value(received_at), any_value(received_hour), any_value(police_unit_hours) "
        "FROM marts.cad_incidents WHERE incident_id = '23-0011'").fetchone()
    assert got == (1, datetime(2023, 11, 5, 5, 50, tzinfo=UTC), 1, pytest.approx(0.75))
    minutes = dict(con.execute(
        "SELECT incident_id, minutes FROM marts.response_times "
        "WHERE responder = 'POLICE' AND incident_id IN ('23-0011', '24-0009')").fetchall())
    # 24-0009: 01:50 EST -> arrived 03:05 EDT = 15 real minutes (75 on the wall).
    assert minutes == {"23-0011": pytest.approx(20.0), "24-0009": pytest.approx(15.0)}
    week = stored_rows(con, "week", date(2023, 10, 30))
    assert week[("eligible_calls", "ALL", "hour_of_day", "01")][:3] == count(1)
    assert ("eligible_calls", "ALL", "hour_of_day", "00") not in week


def test_busy_teams_and_unmet_reasons(con):
    got = {
        r[0]: r[1:]
        for r in con.execute(
            "SELECT incident_id, teams_on_shift, teams_busy, unmet_reason FROM marts.eligible_calls "
            "WHERE NOT answered").fetchall()
    }
    assert got["23-0003"] == (1, 1, "no_team_free")     # CRT-1 on 23-0002 11:02-12:00
    assert got["23-0015"] == (1, 1, "no_team_free")     # CRT-1 on 23-0014 10:33-11:30
    assert got["24-0007"] == (1, 1, "no_team_free")     # CRT-1 on 24-0006 16:05-17:30
    assert got["24-0013"] == (2, 1, "not_routed")       # CRT-1 busy, COR-1 free
    assert got["24-0015"] == (2, 2, "no_team_free")     # CRT-1 until 11:30, COR-1 until 12:00
    assert got["24-0016"] == (2, 0, "not_routed")       # COR-1 cleared exactly at 12:00
    assert got["23-0008"] == (1, 0, "not_routed")
    assert got["23-0009"] == (1, None, "outside_service_hours")   # 17:00 is after hours
    assert got["24-0017"] == (2, None, "outside_service_area")
    assert got["24-0011"] == (2, None, "outside_service_hours")   # 07:30 < 08:00


# ---------------------------------------------------------------------------
# Invariants over every stored row.
# ---------------------------------------------------------------------------
def test_metric_values_invariants(con):
    kinds = {m: d.kind for m, d in DEFINITIONS.items()}
    values = con.execute(
        "SELECT metric_id, grain, period_start, unit, dimension, dimension_value, numerator, denominator, "
        "value, ci_low, ci_high FROM metrics.metric_values").fetchall()
    assert values
    for m, grain, start, unit, dim, dv, num, den, value, low, high in values:
        if kinds[m] == "rate":
            assert num is not None and den is not None and den > 0, (m, grain, start, unit, dim, dv)
            assert value == pytest.approx(num / den)
            assert low <= value <= high, (m, grain, start, unit, dim, dv)
        elif kinds[m] in ("median", "p90"):
            assert den is not None and den > 0 and low <= value <= high, (m, grain, start, unit)
    duplicates = con.execute(
        "SELECT metric_id, grain, period_start, unit, dimension, dimension_value, count(*) "
        "FROM metrics.metric_values GROUP BY ALL HAVING count(*) > 1").fetchall()
    assert duplicates == []
    in_values = {r[0] for r in con.execute("SELECT DISTINCT metric_id FROM metrics.metric_values").fetchall()}
    defined = {r[0] for r in con.execute("SELECT metric_id FROM metrics.metric_definitions").fetchall()}
    assert in_values <= defined
    assert in_values == set(DEFINITIONS)
    assert len(defined) == 17


def test_zero_fill(con):
    # Week 2024-03-04 has no Co-Response: an explicit 0, not a gap.
    week = stored_rows(con, "week", date(2024, 3, 4))
    assert week[("responses", "COR", "ALL", "ALL")][:3] == count(0)
    assert week[("people_reached", "COR", "ALL", "ALL")][:3] == count(0)
    # An empty week between the clusters: zeros for counts and sums, no rows for rates or medians.
    empty = stored_rows(con, "week", date(2023, 12, 4))
    assert empty == {
        **{("responses", u, "ALL", "ALL"): (0, None, 0, None, None) for u in ("ALL", "CCD", "CR", "COR", "CN")},
        **{("people_reached", u, "ALL", "ALL"): (0, None, 0, None, None) for u in ("ALL", "CCD", "CR", "COR", "CN")},
        ("eligible_calls", "ALL", "ALL", "ALL"): (0, None, 0, None, None),
        ("eligible_in_coverage", "ALL", "ALL", "ALL"): (0, None, 0, None, None),
        ("unmet_eligible_calls", "ALL", "ALL", "ALL"): (0, None, 0, None, None),
        ("officer_hours_saved", "ALL", "ALL", "ALL"): (0, None, 0, None, None),
    }
