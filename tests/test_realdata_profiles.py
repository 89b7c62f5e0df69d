"""End-to-end ingestion of excerpts of two real exports through their source profiles.

Fixtures: tests/fixtures/realdata/ (see its README.md for origin and which rows
were taken). Every expected figure below was counted from the excerpt CSVs with
the csv module and zoneinfo, not through the pipeline, so these tests fail if
the profiles, the ingestion or the validation SQL read the files differently.
"""

from __future__ import annotations

import shutil
from datetime import datetime, timedelta, timezone
from pathlib import Path

import duckdb
import pytest

from pipeline.build import ingest_and_validate
from pipeline.ingest.profiles import load_profiles

REPO = Path(__file__).resolve().parent.parent
PROFILES = REPO / "profiles"
FIXTURES = REPO / "tests" / "fixtures" / "realdata"

DECC_WEEK40 = "week40.csv"  # 400 rows, 58 columns
DECC_WEEK45 = "week45.csv"  # 393 rows, 50 columns, 2025-11-02 fall-back hour
DECC_PHONE = "week_44_phone.csv"  # hourly answer-time buckets, not incidents
SD_FILE = "pd_calls_for_service_2023_datasd.csv"  # 567 rows


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


def _build(tmp: Path, fixture_set: str):
    inbox = tmp / "inbox"
    inbox.mkdir()
    for path in sorted((FIXTURES / fixture_set).iterdir()):
        shutil.copy(path, inbox / path.name)
    con = duckdb.connect(str(tmp / "warehouse.duckdb"))
    con.execute("SET TimeZone='UTC'")
    summary = ingest_and_validate(con, inbox, PROFILES, "America/New_York")
    return con, summary


@pytest.fixture(scope="module")
def decc(tmp_path_factory):
    con, summary = _build(tmp_path_factory.mktemp("decc"), "decc_va")
    yield con, summary
    con.close()


@pytest.fixture(scope="module")
def san_diego(tmp_path_factory):
    con, summary = _build(tmp_path_factory.mktemp("san_diego"), "san_diego")
    yield con, summary
    con.close()


def _audit(con) -> dict[str, dict]:
    cursor = con.execute(
        "SELECT file_name, profile, status, error, rows_read, rows_accepted, rows_quarantined, reconciles"
        " FROM audit.load_audit"
    )
    names = [d[0] for d in cursor.description]
    return {row[0]: dict(zip(names, row)) for row in cursor.fetchall()}


def _failures(con, file_name: str) -> list[tuple]:
    return con.execute(
        "SELECT source_row, column_name, check_name, value FROM quarantine.cad_failures"
        " WHERE source_file = ? ORDER BY source_row, column_name",
        [file_name],
    ).fetchall()


def _incident(con, incident_id: str) -> dict:
    cursor = con.execute("SELECT * FROM staging.cad_incidents WHERE incident_id = ?", [incident_id])
    names = [d[0] for d in cursor.description]
    rows = cursor.fetchall()
    assert len(rows) == 1, f"{incident_id}: {len(rows)} canonical rows"
    return dict(zip(names, rows[0]))


def _assignment(con, incident_id: str) -> dict:
    cursor = con.execute("SELECT * FROM staging.cad_unit_assignments WHERE incident_id = ?", [incident_id])
    names = [d[0] for d in cursor.description]
    rows = cursor.fetchall()
    assert len(rows) == 1, f"{incident_id}: {len(rows)} unit assignments"
    return dict(zip(names, rows[0]))


# --- DECC (Virginia PSAP) ----------------------------------------------------


def test_decc_files_read_and_phone_file_refused(decc):
    _, summary = decc
    by_name = {f.file_name: f for f in summary.files}
    assert set(by_name) == {DECC_WEEK40, DECC_WEEK45, DECC_PHONE}
    assert (by_name[DECC_WEEK40].status, by_name[DECC_WEEK40].profile, by_name[DECC_WEEK40].rows_read) == (
        "loaded",
        "decc_va_cad",
        400,
    )
    assert (by_name[DECC_WEEK45].status, by_name[DECC_WEEK45].rows_read) == ("loaded", 393)
    phone = by_name[DECC_PHONE]
    assert phone.status == "unreadable"
    assert phone.profile is None
    assert phone.reason.startswith("no source profile reads files named like this")


def test_decc_load_audit_reconciles(decc):
    con, _ = decc
    audit = _audit(con)
    assert (audit[DECC_WEEK40]["rows_read"], audit[DECC_WEEK40]["rows_accepted"]) == (400, 400)
    assert audit[DECC_WEEK40]["rows_quarantined"] == 0
    assert (audit[DECC_WEEK45]["rows_read"], audit[DECC_WEEK45]["rows_accepted"]) == (393, 390)
    assert audit[DECC_WEEK45]["rows_quarantined"] == 3
    for name in (DECC_WEEK40, DECC_WEEK45):
        row = audit[name]
        assert row["reconciles"] and row["rows_read"] == row["rows_accepted"] + row["rows_quarantined"]
    assert audit[DECC_PHONE]["status"] == "unreadable"
    assert audit[DECC_PHONE]["rows_read"] == 0
    assert audit[DECC_PHONE]["error"].startswith("no source profile reads files named like this")


def test_decc_layout_drift_matched_by_name(decc):
    con, _ = decc
    columns = dict(con.execute("SELECT file_name, columns_read FROM audit.file_loads WHERE status = 'loaded'").fetchall())
    # week40 has 8 extra Elapsed_* columns, one name twice; nothing mapped comes from them.
    assert columns == {DECC_WEEK40: 58, DECC_WEEK45: 50}
    assert _failures(con, DECC_WEEK40) == []


def test_decc_quarantine_exact(decc):
    con, _ = decc
    assert _failures(con, DECC_WEEK45) == [
        # 25-092642: arrived 2025-11-03 09:33:48.200, finally closed 04:44:13.683 the same day.
        (194, "cleared_at", "time_order", "2025-11-03 04:44:13.683"),
        # The two rows with an empty Master_Incident_Number (originally week45 rows 649 and 1174).
        (391, "incident_id", "missing_required", None),
        (392, "incident_id", "missing_required", None),
    ]
    assert con.execute("SELECT count(*) FROM quarantine.cad_failures").fetchone()[0] == 3


def test_decc_blank_incident_numbers_do_not_merge(decc):
    con, _ = decc
    # 400 + 390 accepted rows, every accepted incident number distinct: one incident each.
    assert con.execute("SELECT count(*), count(DISTINCT incident_id) FROM staging.cad_rows").fetchone() == (790, 790)
    assert con.execute("SELECT count(*) FROM staging.cad_incidents").fetchone()[0] == 790
    assert con.execute("SELECT count(*) FROM staging.cad_incidents WHERE incident_id IS NULL").fetchone()[0] == 0
    assert con.execute("SELECT count(*) FROM staging.cad_unit_assignments").fetchone()[0] == 790


def test_decc_received_at_is_utc_instant(decc):
    con, _ = decc
    # week40 row 1, 25-081895: 2025-09-28 00:09:40.000 EDT.
    assert _incident(con, "25-081895")["received_at"] == utc(2025, 9, 28, 4, 9, 40)


def test_decc_agency_stands_in_for_unit(decc):
    con, _ = decc
    counts = dict(con.execute("SELECT discipline, count(*) FROM staging.cad_unit_assignments GROUP BY 1").fetchall())
    assert counts == {"police": 238 + 264, "ems": 114 + 86, "fire": 48 + 40}
    assert _assignment(con, "25-081895")["unit_id"] == "POLICE"


def test_decc_fall_back_hour_resolved_without_negative_durations(decc):
    con, _ = decc
    # 25-092461 (week45 row 11): started 01:38:20 in the first (EDT) pass of the
    # repeated hour, dispatched 01:06:14.067 in the second (EST) pass. The export's
    # Time_To_Dispatch is -2007 s; the real wait was 27 min 54 s.
    incident = _incident(con, "25-092461")
    unit = _assignment(con, "25-092461")
    assert incident["received_at"] == utc(2025, 11, 2, 5, 38, 20)
    assert unit["dispatched_at"] == utc(2025, 11, 2, 6, 6, 14, 67000)
    assert unit["dispatched_at"] - incident["received_at"] == timedelta(seconds=1674, milliseconds=67)
    assert unit["arrived_at"] == utc(2025, 11, 2, 6, 10, 37, 150000)
    assert unit["cleared_at"] == utc(2025, 11, 2, 13, 16, 54, 950000)
    # 25-092466 (row 17): received 01:47:59, dispatched 02:06:45 (unambiguous) -> received in EST.
    assert _incident(con, "25-092466")["received_at"] == utc(2025, 11, 2, 6, 47, 59)
    # 25-026356 (row 13): arrived 01:49:15 EDT, finally closed 01:09:42 EST, 20 minutes later.
    unit = _assignment(con, "25-026356")
    assert unit["cleared_at"] - unit["arrived_at"] == timedelta(minutes=20, seconds=26, milliseconds=593)
    # Rows 4-21 have a time in 01:00-01:59 on 2025-11-02; all are accepted, none runs backwards.
    rows = con.execute(
        """
        SELECT r.source_row, r.received_at, r.dispatched_at, r.enroute_at, r.arrived_at, r.cleared_at
        FROM staging.cad_rows AS r
        WHERE r.source_file = ? AND r.source_row BETWEEN 4 AND 21
        ORDER BY r.source_row
        """,
        [DECC_WEEK45],
    ).fetchall()
    assert [r[0] for r in rows] == list(range(4, 22))
    for row in rows:
        times = [t for t in row[1:] if t is not None]
        assert times == sorted(times), row


def test_decc_negative_time_to_dispatch_rows(decc):
    con, _ = decc
    # 25-026709 (week45 row 1197, excerpt row 393): Time_To_Dispatch -16660 because it
    # was queued hours after it was dispatched. Start -> dispatch is in order, so it is kept.
    incident = _incident(con, "25-026709")
    unit = _assignment(con, "25-026709")
    assert incident["received_at"] == utc(2025, 11, 6, 15, 28, 1)
    assert unit["dispatched_at"] == utc(2025, 11, 6, 15, 28, 48, 793000)
    assert (unit["enroute_at"], unit["arrived_at"], unit["cleared_at"]) == (None, None, None)
    assert incident["disposition"] == "TST-Test Call"


def test_decc_officer_initiated_arrival_equal_to_start_accepted(decc):
    con, _ = decc
    # Rows whose arrival equals their start: 25 in week40 (11 OFFICER), 65 in week45 (54 OFFICER).
    count = con.execute(
        """
        SELECT count(*) FROM staging.cad_unit_assignments AS u
        JOIN staging.cad_incidents AS i USING (incident_id)
        WHERE u.arrived_at = i.received_at
        """
    ).fetchone()[0]
    assert count == 25 + 65
    unit = _assignment(con, "25-081895")  # TRAFFIC STOP, Call_Reception OFFICER
    assert unit["dispatched_at"] == unit["enroute_at"] == unit["arrived_at"] == utc(2025, 9, 28, 4, 9, 40)


def test_decc_quoted_multi_disposition_kept_whole(decc):
    con, _ = decc
    # week45 row 238 writes the disposition as "CN-Cancellation,NR-No Report".
    incident = _incident(con, "25-092678")
    assert incident["disposition"] == "CN-Cancellation,NR-No Report"
    assert incident["final_call_type"] == incident["initial_call_type"] == "911 HANG UP"


# --- San Diego PD ------------------------------------------------------------


def test_san_diego_read_and_reconciled(san_diego):
    con, summary = san_diego
    [result] = summary.files
    assert (result.file_name, result.status, result.profile, result.rows_read) == (
        SD_FILE,
        "loaded",
        "san_diego_cad",
        567,
    )
    audit = _audit(con)[SD_FILE]
    assert (audit["rows_read"], audit["rows_accepted"], audit["rows_quarantined"]) == (567, 565, 2)
    assert audit["reconciles"]


def test_san_diego_unknown_call_type_quarantined(san_diego):
    con, _ = san_diego
    # 1016P is used in the data but missing from the city's call-type lookup.
    assert _failures(con, SD_FILE) == [
        (565, "final_call_type", "unknown_code", "1016P"),
        (565, "initial_call_type", "unknown_code", "1016P"),
        (566, "final_call_type", "unknown_code", "1016P"),
        (566, "initial_call_type", "unknown_code", "1016P"),
    ]
    found = con.execute(
        "SELECT count(*) FROM staging.cad_incidents WHERE incident_id IN ('E23010003189', 'E23010007773')"
    ).fetchone()[0]
    assert found == 0


def test_san_diego_incidents(san_diego):
    con, _ = san_diego
    assert con.execute("SELECT count(*), count(DISTINCT incident_id) FROM staging.cad_incidents").fetchone() == (
        565,
        565,
    )
    # No units in this export: no unit assignments.
    assert con.execute("SELECT count(*) FROM staging.cad_unit_assignments").fetchone()[0] == 0
    # Row 1: 2023-01-01 00:00:05 PST.
    first = _incident(con, "E23010000001")
    assert first["received_at"] == utc(2023, 1, 1, 8, 0, 5)
    assert first["timezone"] == "America/Los_Angeles"


def test_san_diego_call_type_from_lookup_file(san_diego):
    con, _ = san_diego
    incident = _incident(con, "E23010000078")
    assert incident["initial_call_type"] == "5150"
    assert incident["initial_call_type_label"] == "MENTAL CASE"
    assert incident["final_call_type_label"] == "MENTAL CASE"
    assert incident["disposition_label"] is not None
    count = con.execute("SELECT count(*) FROM staging.cad_incidents WHERE initial_call_type = '5150'").fetchone()[0]
    assert count == 10
    # The lookup's trailing empty columns and byte-order mark do not leak into codes.
    assert _incident(con, "E23010000001")["initial_call_type_label"] is not None


def test_san_diego_beat_disposition_and_empty_call_type(san_diego):
    con, _ = san_diego
    assert con.execute("SELECT count(*) FROM staging.cad_incidents WHERE beat = '-1'").fetchone()[0] == 6
    no_dispo = con.execute(
        "SELECT incident_id FROM staging.cad_incidents WHERE disposition IS NULL ORDER BY incident_id"
    ).fetchall()
    assert [r[0] for r in no_dispo] == ["E23010002689", "E23010002759", "E23010002797"]
    # DEF is not in the disposition lookup; on_unknown = "keep" keeps the call, without a label.
    unknown = _incident(con, "E23010008170")
    assert (unknown["disposition"], unknown["disposition_label"]) == ("DEF", None)
    assert unknown["initial_call_type_label"] == "PERSON DOWN"
    # A call with no call type at all is not an unknown code.
    empty = _incident(con, "E23010002860")
    assert (empty["initial_call_type"], empty["initial_call_type_label"]) == (None, None)


# --- Profiles ------------------------------------------------------------------


def test_profile_file_name_globs():
    profiles = {p.name: p for p in load_profiles(PROFILES)}
    decc, sd = profiles["decc_va_cad"], profiles["san_diego_cad"]
    for name in ("week40.csv", "week45.csv", "decc_week45.csv"):
        assert [p.name for p in profiles.values() if p.matches(name)] == ["decc_va_cad"], name
    for name in ("week_44_phone.csv", "week_48_phone.csv", "decc_week45_phone.csv", "week4.csv"):
        assert not any(p.matches(name) for p in profiles.values()), name
    assert [p.name for p in profiles.values() if p.matches("pd_calls_for_service_2024_datasd.csv")] == [
        "san_diego_cad"
    ]
    assert not sd.matches("pd_cfs_calltypes_datasd.csv")
    assert decc.timezone == "America/New_York" and sd.timezone == "America/Los_Angeles"
    assert sd.lookups["call_type"].on_unknown == "quarantine"
    assert sd.lookups["call_type"].codes["5150"] == "MENTAL CASE"
    assert sd.lookups["disposition"].codes["K"] == "NO REPORT REQUIRED"
    assert not any(name in sd.fields for name in ("unit_id", "discipline", "dispatched_at", "arrived_at"))


def test_san_diego_lookup_files_kept_as_published():
    for name in ("san_diego_calltypes.csv", "san_diego_dispo_codes.csv", "san_diego_beat_codes.csv"):
        data = (PROFILES / "lookups" / name).read_bytes()
        assert data.startswith(b"\xef\xbb\xbf"), name
    assert (PROFILES / "lookups" / "san_diego_calltypes.csv").read_bytes()[3:].startswith(
        b"call_type,description,,,"
    )
