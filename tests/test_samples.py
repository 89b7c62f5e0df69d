"""Tests for the seeded sample-data generator (pipeline/samples).

Each test runs on a small slice: two weeks around the 2022 autumn fall-back,
at reduced volume, so the whole file finishes in seconds.
"""

from __future__ import annotations

import gzip
import tomllib
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest

from pipeline.samples.generate import CAD_COLUMNS, DEFAULT_CONFIG, HEART_COLUMNS, Program, generate

REPO = Path(__file__).resolve().parents[1]
PROFILES = REPO / "profiles"
# Two weeks: exports 2022-11-07 (Oct 30 - Nov 6) and 2022-11-14 (Nov 6 - Nov 13).
# 2022-11-06 is both the fall-back day and the overlapping Sunday.
START, END = date(2022, 10, 31), date(2022, 11, 7)
SCALE = 0.3


def _read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("sample")
    generate(out, start=START, end=END, scale=SCALE)
    return out


@pytest.fixture(scope="module")
def cad(sample) -> dict[str, pd.DataFrame]:
    return {p.name[11:21]: _read(p) for p in sorted(sample.glob("durham_cad_*.csv.gz"))}


@pytest.fixture(scope="module")
def heart(sample) -> pd.DataFrame:
    return pd.concat([_read(p) for p in sorted(sample.glob("durham_heart_*.csv.gz"))], ignore_index=True)


def _profile(name: str) -> dict:
    with open(PROFILES / f"{name}.toml", "rb") as fh:
        return tomllib.load(fh)


def _profile_columns(profile: dict) -> set[str]:
    columns = set()
    for spec in profile["fields"].values():
        if isinstance(spec, str):
            columns.add(spec)
        elif "column" in spec:
            columns.add(spec["column"])
        else:
            columns.update(v for k, v in spec.items() if k in ("date", "time"))
    return columns


# --------------------------------------------------------------------------------------


def test_same_seed_gives_identical_bytes(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    paths_a = generate(a, start=START, end=START, scale=0.05)
    paths_b = generate(b, start=START, end=START, scale=0.05)
    assert [p.name for p in paths_a] == [p.name for p in paths_b]
    for pa, pb in zip(paths_a, paths_b):
        assert pa.read_bytes() == pb.read_bytes(), pa.name
        # gzip header: no file name flag and mtime 0, so the bytes depend only on content
        header = pa.read_bytes()[:10]
        assert header[3] & 0x08 == 0 and header[4:8] == b"\x00\x00\x00\x00"


def test_different_seed_differs(tmp_path):
    a = generate(tmp_path / "a", start=START, end=START, scale=0.05)
    b = generate(tmp_path / "b", start=START, end=START, scale=0.05, seed=7)
    assert a[0].read_bytes() != b[0].read_bytes()


def test_file_names_and_columns(sample, cad, heart):
    names = sorted(p.name for p in sample.iterdir())
    assert names == ["durham_cad_2022-11-07.csv.gz", "durham_cad_2022-11-14.csv.gz",
                     "durham_heart_2022-11-07.csv.gz", "durham_heart_2022-11-14.csv.gz"]
    for frame in cad.values():
        assert list(frame.columns) == CAD_COLUMNS
    assert list(heart.columns) == HEART_COLUMNS
    # Every column an ingestion profile maps is present; every CAD column is mapped (Address as a hashed block).
    assert _profile_columns(_profile("durham_cad")) == set(CAD_COLUMNS)
    assert _profile_columns(_profile("durham_heart")) == set(HEART_COLUMNS)


def test_values_parse_except_the_deliberate_flaws(cad, heart):
    rows = pd.concat(cad.values(), ignore_index=True)
    assert pd.to_datetime(rows["CallDate"], format="%m/%d/%Y").notna().all()
    for column in ("Dispatched", "Enroute", "Arrived", "Cleared"):
        values = rows.loc[rows[column] != "", column]
        parsed = pd.to_datetime(values, format="%Y-%m-%d %H:%M:%S", errors="coerce")
        assert parsed.isna().mean() < 0.01, column
    for column in ("ReceivedAt", "DispatchedAt", "ArrivedAt", "FollowUpDue", "FollowUpDone"):
        values = heart.loc[heart[column] != "", column]
        assert pd.to_datetime(values, format="%Y-%m-%dT%H:%M:%S").notna().all(), column
    assert rows["Priority"].isin(list("12345")).all()
    assert heart["ResponseID"].str.fullmatch(r"H\d{2}-\d{6}").all()
    assert rows["IncidentNumber"].str.fullmatch(r"\d{2}-\d{7}").all()
    assert heart["PersonKey"].str.fullmatch(r"P-[0-9a-f]{10}").all()


def test_codes_come_from_the_profile_lookups(cad, heart):
    rows = pd.concat(cad.values(), ignore_index=True)
    cad_lookups = _profile("durham_cad")["lookups"]
    natures = set(cad_lookups["nature"]) | {"XFER"}          # XFER: deliberate unknown code
    assert set(rows["InitialNature"]) <= natures
    assert set(rows["FinalNature"]) <= set(cad_lookups["nature"])
    assert set(rows["Disposition"]) <= set(cad_lookups["disposition"])
    assert set(rows["UnitType"]) - {""} <= set(cad_lookups["discipline"]) | {"K9"}
    heart_lookups = _profile("durham_heart")["lookups"]
    assert set(heart["Unit"]) <= set(heart_lookups["unit"]) | {"CRX"}
    assert set(heart["ContactMode"].str.upper()) <= set(heart_lookups["contact_mode"]) | {"VIDEO"}
    assert set(heart["Outcome"].str.upper()) <= set(heart_lookups["outcome"])
    for flag in ("ResolvedNoInPerson", "PoliceRequested"):
        assert set(heart[flag]) <= {"Y", "N"}
    assert set(heart["FeltSafe"]) <= {"Y", "N", ""}


def test_fall_back_hour_appears_twice(tmp_path):
    # One full-volume week ending on 2022-11-06. Incident numbers follow received
    # order, so the wall clock between 01:00 and 01:59 runs backwards exactly once:
    # 01:59 EDT is followed by 01:00 EST.
    (path,) = [p for p in generate(tmp_path, start=START, end=START) if "cad" in p.name]
    rows = _read(path).drop_duplicates("IncidentNumber")
    night = rows[(rows["CallDate"] == "11/06/2022") & rows["CallTime"].str.startswith("01:")]
    times = night.sort_values("IncidentNumber")["CallTime"].tolist()
    backwards = sum(later < earlier for earlier, later in zip(times, times[1:]))
    assert backwards == 1
    assert len(times) > 15      # about twice the calls of a normal 01:00 hour


def test_sunday_incidents_are_in_two_exports(cad):
    first, second = cad["2022-11-07"], cad["2022-11-14"]
    both = set(first["IncidentNumber"]) & set(second["IncidentNumber"])
    sunday = set(first.loc[first["CallDate"] == "11/06/2022", "IncidentNumber"])
    assert sunday and sunday <= both
    assert set(second.loc[second["CallDate"] == "11/06/2022", "IncidentNumber"]) == sunday
    # Anything else in both exports is a deliberate re-export with a newer disposition.
    for number in both - sunday:
        old = first.loc[first["IncidentNumber"] == number, "Disposition"].iloc[0]
        new = second.loc[second["IncidentNumber"] == number, "Disposition"].iloc[0]
        assert old != new


def test_export_windows(cad, heart):
    # CAD export dated Monday_k+1 holds calls from Sunday before Monday_k through Sunday_k+6 (8 days).
    dates = pd.to_datetime(cad["2022-11-07"]["CallDate"], format="%m/%d/%Y")
    assert dates.min() == pd.Timestamp("2022-10-30") and dates.max() == pd.Timestamp("2022-11-06")
    received = pd.to_datetime(heart["ReceivedAt"], format="%Y-%m-%dT%H:%M:%S")
    assert received.min() >= pd.Timestamp("2022-10-31") and received.max() < pd.Timestamp("2022-11-14")


def test_no_heart_response_overnight_or_outside_hours(heart):
    program = Program.load(DEFAULT_CONFIG)
    assert len(heart) > 20
    for text in heart["ReceivedAt"]:
        received = datetime.fromisoformat(text)
        assert received.hour >= 6
        assert program.plan(received.date()).open_at(received), text


def test_field_teams_stay_in_the_service_area(cad, heart):
    rows = pd.concat(cad.values(), ignore_index=True).drop_duplicates("IncidentNumber")
    beats = rows.set_index("IncidentNumber")["Beat"]
    program = Program.load(DEFAULT_CONFIG)
    area = program.plan(START).beats
    field = heart[heart["Unit"].isin(["CRT", "COR"]) & heart["CADIncident"].isin(beats.index)]
    assert len(field) > 0
    assert field["CADIncident"].map(beats).isin(area).all()


def test_heart_links_to_eligible_cad_incidents(cad, heart):
    rows = pd.concat(cad.values(), ignore_index=True).drop_duplicates("IncidentNumber")
    nature = rows.set_index("IncidentNumber")["InitialNature"]
    eligible = Program.load(DEFAULT_CONFIG).plan(START).eligible | {"XFER"}
    linked = heart[heart["CADIncident"].isin(nature.index)]
    assert linked["CADIncident"].map(nature).isin(eligible).all()
    # At most one crisis response (CCD, CRT or COR) per answered call.
    crisis = linked[linked["Unit"].isin(["CCD", "CRT", "COR", "CRX"])]
    assert not crisis["CADIncident"].duplicated().any()
    # Care Navigation follows a crisis response on the same incident, due 48 hours after it.
    crisis_rx = crisis.set_index("CADIncident")["ReceivedAt"]
    cn = heart[(heart["Unit"] == "CN") & heart["CADIncident"].isin(crisis_rx.index)]
    assert len(cn) > 0
    # 48 real hours: across the fall-back night the local clocks differ by 49.
    local = lambda v: pd.to_datetime(v, format="%Y-%m-%dT%H:%M:%S").dt.tz_localize("America/New_York")
    due, crisis_at = local(cn["FollowUpDue"]), local(cn["CADIncident"].map(crisis_rx))
    assert ((due - crisis_at) == pd.Timedelta(hours=48)).all()
    assert (heart.loc[heart["Unit"] != "CN", ["FollowUpDue", "FollowUpDone"]] == "").all().all()


def test_program_config_in_force():
    program = Program.load(DEFAULT_CONFIG)
    assert program.plan(date(2022, 6, 26)) is None                      # before launch
    pilot = program.plan(date(2022, 7, 1))
    assert len(pilot.beats) == 12 and pilot.days == frozenset(range(5))
    assert not pilot.open_at(datetime(2022, 7, 1, 17, 0)) and pilot.open_at(datetime(2022, 7, 1, 16, 59))
    second_team = program.plan(date(2022, 8, 6))                        # a Saturday
    assert second_team.open_at(datetime(2022, 8, 6, 18, 30))
    citywide = program.plan(date(2023, 10, 23))
    assert citywide.beats == frozenset(program.all_beats) and len(program.all_beats) == 40
    assert citywide.open_at(datetime(2023, 10, 23, 7, 0)) and not citywide.open_at(datetime(2023, 10, 23, 19, 0))
    assert "MENTAL" in citywide.eligible and "ASSAULT" not in citywide.eligible


def test_rejects_non_monday(tmp_path):
    with pytest.raises(ValueError):
        generate(tmp_path, start=date(2022, 7, 1), end=date(2022, 7, 4))


def test_committed_samples_are_gzip_csv():
    # Cheap check of the committed output, when present: gzip, and the expected header.
    committed = sorted((REPO / "data_samples").glob("durham_*_*.csv.gz"))
    if not committed:
        pytest.skip("no committed samples")
    for path in committed[:2] + committed[-2:]:
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            header = fh.readline().strip().split(",")
        assert header == (CAD_COLUMNS if "_cad_" in path.name else HEART_COLUMNS)
