"""Ingestion and validation on a hand-made Durham-layout fixture (tests/fixtures/durham_small).

Expected values were worked out by hand from the fixture files; the comments
say which row gives which value.
"""

from __future__ import annotations

from datetime import datetime, timezone

from conftest import DURHAM_SMALL, build, copy_into, rows

UTC = timezone.utc
CAD_A = "durham_cad_2023-11-06.csv"
CAD_B = "durham_cad_2023-11-13.csv"
HEART = "durham_heart_2023-11-06.csv"


def audit(con) -> dict[str, tuple]:
    return {
        r[0]: r[1:]
        for r in rows(
            con, "SELECT file_name, status, rows_read, rows_accepted, rows_quarantined, reconciles FROM audit.load_audit"
        )
    }


def test_load_audit_reconciles_per_file(con, tmp_path):
    build(con, copy_into(tmp_path / "inbox", DURHAM_SMALL / "run1"))
    assert audit(con) == {
        # 14 rows: rows 9-14 each fail one check.
        CAD_A: ("loaded", 14, 8, 6, True),
        CAD_B: ("loaded", 2, 2, 0, True),
        # 11 rows: rows 3, 4, 5, 6, 7, 8 and 10 fail.
        HEART: ("loaded", 11, 4, 7, True),
    }


def test_every_quarantine_reason_names_file_row_column_check_value(con, tmp_path):
    build(con, copy_into(tmp_path / "inbox", DURHAM_SMALL / "run1"))
    got = rows(
        con,
        "SELECT source_file, source_row, column_name, check_name, value FROM quarantine.rows ORDER BY 1, 2, 3",
    )
    assert got == [
        (CAD_A, 9, "received_at", "unparseable_timestamp", "11/03/2023 25:61:00"),
        (CAD_A, 10, "initial_call_type", "unknown_code", "XFER"),
        (CAD_A, 11, "discipline", "unknown_code", "K9"),
        (CAD_A, 12, "cleared_at", "time_order", "2023-11-03 14:20:00"),
        (CAD_A, 13, "incident_id", "missing_required", None),
        (CAD_A, 14, "priority", "unparseable_number", "high"),
        (HEART, 3, "unit", "unknown_code", "CRX"),
        (HEART, 4, "contact_mode", "unknown_code", "Video"),
        (HEART, 5, "felt_safe", "invalid_boolean", "maybe"),
        (HEART, 6, "outcome", "unknown_code", "Arrested"),
        (HEART, 7, "received_at", "unparseable_timestamp", "TBD"),
        (HEART, 8, "cleared_at", "time_order", "2023-11-08T08:40:00"),
        (HEART, 10, "response_id", "missing_required", None),
    ]
    message = rows(con, "SELECT message FROM quarantine.rows WHERE check_name = 'time_order' AND kind = 'cad'")
    assert message == [("cleared_at is before arrived_at",)]


def test_rerun_on_same_files_changes_nothing(con, tmp_path):
    inbox = copy_into(tmp_path / "inbox", DURHAM_SMALL / "run1")
    build(con, inbox)
    counts_sql = """
        SELECT (SELECT count(*) FROM raw.cad_rows), (SELECT count(*) FROM raw.heart_rows),
               (SELECT count(*) FROM staging.cad_incidents), (SELECT count(*) FROM staging.cad_unit_assignments),
               (SELECT count(*) FROM staging.heart_responses), (SELECT count(*) FROM quarantine.rows),
               (SELECT count(*) FROM audit.file_loads)
    """
    first = rows(con, counts_sql)
    assert first == [(16, 11, 8, 6, 4, 13, 3)]
    summary = build(con, inbox)
    assert [f.status for f in summary.files] == ["already_loaded"] * 3
    assert rows(con, counts_sql) == first
    assert audit(con)[CAD_A] == ("loaded", 14, 8, 6, True)


def test_same_content_under_another_name_is_not_loaded_twice(con, tmp_path):
    inbox = copy_into(tmp_path / "inbox", DURHAM_SMALL / "run1" / CAD_B)
    (inbox / "durham_cad_2023-11-14.csv").write_bytes((inbox / CAD_B).read_bytes())
    summary = build(con, inbox)
    assert sorted(f.status for f in summary.files) == ["already_loaded", "loaded"]
    assert rows(con, "SELECT count(*) FROM raw.cad_rows") == [(2,)]


def test_newer_export_wins_without_duplicating(con, tmp_path):
    build(con, copy_into(tmp_path / "inbox", DURHAM_SMALL / "run1"))
    # 23-0000001 is in both exports; the 2023-11-13 export changed its disposition and unit.
    assert rows(
        con, "SELECT disposition, exports_seen, source_file FROM staging.cad_incidents WHERE incident_id = '23-0000001'"
    ) == [("REF", 2, CAD_B)]
    assert rows(
        con, "SELECT unit_id FROM staging.cad_unit_assignments WHERE incident_id = '23-0000001'"
    ) == [("HRT-CR2",)]
    # Two unit rows of one incident are one incident with two assignments.
    assert rows(con, "SELECT count(*) FROM staging.cad_incidents WHERE incident_id = '23-0000002'") == [(1,)]
    assert rows(
        con, "SELECT unit_id FROM staging.cad_unit_assignments WHERE incident_id = '23-0000002' ORDER BY 1"
    ) == [("P101",), ("P102",)]
    assert rows(con, "SELECT count(*), count(DISTINCT incident_id) FROM staging.cad_incidents") == [(8, 8)]


def test_older_export_arriving_later_does_not_overwrite_newer(con, tmp_path):
    inbox = copy_into(tmp_path / "inbox", DURHAM_SMALL / "run1" / CAD_B)
    build(con, inbox)
    copy_into(inbox, DURHAM_SMALL / "run1" / CAD_A)
    build(con, inbox)
    assert rows(con, "SELECT disposition FROM staging.cad_incidents WHERE incident_id = '23-0000001'") == [("REF",)]


def test_unlinked_heart_response_is_kept_then_links_when_cad_arrives(con, tmp_path):
    inbox = copy_into(tmp_path / "inbox", DURHAM_SMALL / "run1")
    build(con, inbox)
    assert rows(
        con, "SELECT response_id, cad_linked FROM staging.heart_responses ORDER BY 1"
    ) == [("H23-000001", True), ("H23-000002", False), ("H23-000009", True), ("H23-000011", True)]
    copy_into(inbox, DURHAM_SMALL / "run2")
    build(con, inbox)
    assert rows(con, "SELECT cad_linked FROM staging.heart_responses WHERE response_id = 'H23-000002'") == [(True,)]


def _utc(*parts) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def test_dst_fall_back_hour_resolves_without_negative_durations(con, tmp_path):
    build(con, copy_into(tmp_path / "inbox", DURHAM_SMALL / "run1"))
    # 23-0000004: received 01:50, dispatched 01:55, en route 01:56 (first occurrence, EDT = UTC-4),
    # arrived 01:05 and cleared 01:30 (only the second occurrence, EST = UTC-5, keeps the order).
    assert rows(
        con,
        """SELECT i.received_at, a.dispatched_at, a.enroute_at, a.arrived_at, a.cleared_at
           FROM staging.cad_incidents i JOIN staging.cad_unit_assignments a USING (incident_id)
           WHERE incident_id = '23-0000004'""",
    ) == [(
        _utc(2023, 11, 5, 5, 50), _utc(2023, 11, 5, 5, 55), _utc(2023, 11, 5, 5, 56),
        _utc(2023, 11, 5, 6, 5), _utc(2023, 11, 5, 6, 30),
    )]
    # 23-0000005: received 01:49, dispatched 02:00 (unambiguous EST): the EST reading of 01:49
    # gives 11 minutes, not 71.
    assert rows(
        con,
        """SELECT i.received_at, a.dispatched_at FROM staging.cad_incidents i
           JOIN staging.cad_unit_assignments a USING (incident_id) WHERE incident_id = '23-0000005'""",
    ) == [(_utc(2023, 11, 5, 6, 49), _utc(2023, 11, 5, 7, 0))]
    # Two different incidents at 01:30 in the repeated hour stay two incidents.
    assert rows(
        con, "SELECT count(*) FROM staging.cad_incidents WHERE incident_id IN ('23-0000006', '23-0000007')"
    ) == [(2,)]
    # Same rule for HEART: H23-000011 arrived 01:10 and cleared 01:40 after an EDT dispatch at 01:54.
    assert rows(
        con,
        "SELECT received_at, dispatched_at, arrived_at, cleared_at FROM staging.heart_responses "
        "WHERE response_id = 'H23-000011'",
    ) == [(_utc(2023, 11, 5, 5, 52), _utc(2023, 11, 5, 5, 54), _utc(2023, 11, 5, 6, 10), _utc(2023, 11, 5, 6, 40))]
    negative = rows(
        con,
        """SELECT count(*) FROM staging.cad_unit_assignments a JOIN staging.cad_incidents i USING (incident_id)
           WHERE a.dispatched_at < i.received_at OR a.arrived_at < a.dispatched_at OR a.cleared_at < a.arrived_at""",
    )
    assert negative == [(0,)]


def test_unreadable_files_are_recorded_and_the_others_still_load(con, tmp_path):
    inbox = copy_into(tmp_path / "inbox", DURHAM_SMALL / "run1", DURHAM_SMALL / "unreadable")
    summary = build(con, inbox)
    by_name = {f.file_name: f for f in summary.files}
    assert by_name["durham_cad_2023-11-27.csv"].reason == "the file is empty (0 bytes)"
    assert by_name["durham_cad_2023-12-04.csv"].reason.startswith(
        "missing required columns for profile durham_cad: CallTime, FinalNature, Priority"
    )
    assert "unicode" in by_name["durham_heart_2023-11-13.csv"].reason.lower()
    assert by_name["notes.xlsx"].reason.startswith("no source profile reads files named like this")
    assert sorted(f.status for f in summary.files).count("unreadable") == 4
    # The good files loaded as if the bad ones were not there.
    assert audit(con)[CAD_A] == ("loaded", 14, 8, 6, True)
    assert rows(con, "SELECT count(*) FROM audit.file_loads WHERE status = 'unreadable' AND rows_read = 0") == [(4,)]


def test_unmapped_source_columns_never_reach_the_warehouse(con, tmp_path):
    build(con, copy_into(tmp_path / "inbox", DURHAM_SMALL / "run1"))
    # Address is mapped (block_key), but only its keyed hash is stored: no column named for it,
    # no value that is its text.
    assert rows(con, "SELECT columns_unused FROM audit.file_loads WHERE file_name = ?", [CAD_A]) == [([],)]
    found = rows(
        con,
        "SELECT count(*) FROM information_schema.columns WHERE lower(column_name) LIKE '%address%'",
    )
    assert found == [(0,)]
    for table in ("raw.cad_rows", "staging.cad_rows", "staging.cad_incidents"):
        assert rows(con, f"SELECT count(*) FROM {table} WHERE block_key IS NOT NULL "
                         "AND NOT regexp_full_match(block_key, '[0-9a-f]{32}')") == [(0,)], table
