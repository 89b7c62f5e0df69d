"""Malformed lines, duplicates, checks across sources and time bounds, on small hand-made files.

Each file is written here from rows of tests/fixtures/durham_small, so what each
row is for sits next to the expected counts (worked out by hand in the comments).
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from conftest import DURHAM_SMALL, rows

from pipeline.build import ingest_and_validate
from pipeline.settings import DEFAULT_PROFILES

UTC = timezone.utc
# A clock for the run: the fixture's week, so 2023 dates are in the past and 2099 is not.
CLOCK = datetime(2023, 11, 14, 12, 0, tzinfo=UTC)

CAD_LINES = (DURHAM_SMALL / "run1" / "durham_cad_2023-11-06.csv").read_text().splitlines()
CAD_HEADER, CAD_GOOD = CAD_LINES[0], CAD_LINES[1:9]  # data rows 1-8 of that file all pass every check
HEART_HEADER = (DURHAM_SMALL / "run1" / "durham_heart_2023-11-06.csv").read_text().splitlines()[0]


def heart_row(response_id: str, incident: str, *, unit: str = "CRT", team: str = "CRT-1",
              received: str = "2023-11-01T10:00:30", dispatched: str = "2023-11-01T10:02:00",
              arrived: str = "2023-11-01T10:15:00", cleared: str = "2023-11-01T10:50:00",
              mode: str = "In person", due: str = "", done: str = "") -> str:
    """One HEART log line in the durham_heart layout (a good in-person response by default)."""
    return ",".join([response_id, incident, unit, team, received, dispatched, arrived, cleared, mode,
                     "N", "N", "Y", "Resolved on scene", "", "P-0000000001", due, done])


def write(inbox: Path, name: str, lines: list[str], end: str = "\n", encoding: str = "utf-8") -> Path:
    inbox.mkdir(parents=True, exist_ok=True)
    path = inbox / name
    path.write_bytes(("\n".join(lines) + end).encode(encoding))
    return path


def build(con, inbox: Path, clock: datetime = CLOCK):
    return ingest_and_validate(con, inbox, DEFAULT_PROFILES, "America/New_York", clock=clock)


def audit(con, file_name: str) -> tuple:
    return rows(
        con,
        "SELECT status, rows_read, rows_accepted, rows_quarantined, rows_duplicate, reconciles "
        "FROM audit.load_audit WHERE file_name = ?",
        [file_name],
    )[0]


def failures(con, *checks: str) -> list[tuple]:
    return rows(
        con,
        "SELECT source_file, source_row, column_name, check_name FROM quarantine.rows "
        "WHERE list_contains(?, check_name) ORDER BY 1, 2, 3",
        [list(checks)],
    )


# -- A. a malformed line is a quarantined row, not a refused file ---------------------------------

def test_malformed_lines_are_quarantined_and_the_rest_of_the_file_loads(con, tmp_path):
    g = CAD_GOOD
    name = "durham_cad_2023-11-06.csv"
    write(tmp_path / "inbox", name, [
        CAD_HEADER,
        g[0],                                   # row 1
        g[1],                                   # row 2
        "23-0000090,11/03/2023",                # row 3: 2 fields of 15 (file line 4)
        g[2],                                   # row 4
        "," * 14,                               # row 5: 15 empty fields, a line of commas
        g[3],                                   # row 6
        g[4] + ",EXTRA",                        # row 7: 16 fields (file line 8)
        g[5],                                   # row 8
        "," * 20,                               # row 9: a longer line of commas
        g[6],                                   # row 10
        g[7],                                   # row 11
        "23-0000091,11/03/2023,16:0",           # row 12: the last line, cut short, no line break
    ], end="")
    summary = build(con, tmp_path / "inbox")
    assert [(f.status, f.rows_read, f.refused) for f in summary.files] == [("loaded", 12, False)]
    # 12 rows: 7 good (rows 1, 2, 4, 6, 8, 10, 11), 5 malformed (3, 5, 7, 9, 12).
    assert audit(con, name) == ("loaded", 12, 7, 5, 0, True)
    assert failures(con, "malformed_row") == [(name, n, "row", "malformed_row") for n in (3, 5, 7, 9, 12)]
    assert rows(con, "SELECT source_row FROM raw.cad_rows ORDER BY 1") == [(n,) for n in (1, 2, 4, 6, 8, 10, 11)]
    messages = dict(rows(con, "SELECT source_row, message FROM quarantine.rows"))
    assert messages[3] == "line 4 of the file is malformed: 2 fields where the header has 15"
    assert messages[7] == "line 8 of the file is malformed: 16 fields where the header has 15"
    assert messages[12] == "line 13 of the file is malformed: 3 fields where the header has 15"
    assert messages[5] == "the row has no values (a line of only delimiters or null tokens)"
    # Never the line's content.
    assert rows(con, "SELECT count(*) FROM quarantine.rows WHERE value IS NOT NULL") == [(0,)]
    # The rows that loaded are the incidents of the good lines.
    assert rows(con, "SELECT count(*) FROM staging.cad_incidents") == [(6,)]


def test_empty_lines_are_not_rows_and_windows_line_breaks_number_the_same(con, tmp_path):
    name = "durham_cad_2023-11-06.csv"
    # Empty lines (between rows and at the end) are skipped, not counted; rows are numbered without
    # them. Row 2 has a quoted address over two lines (4 and 5), so the short row 3 is on line 6.
    two_lines = CAD_GOOD[1].replace("200 BLOCK ELM ST", '"200 BLOCK\nELM ST"')
    lines = [CAD_HEADER, CAD_GOOD[0], "", two_lines, "23-0000090,11/03/2023", CAD_GOOD[2], "", ""]
    path = write(tmp_path / "inbox", name, lines)
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    build(con, tmp_path / "inbox")
    # 4 rows: 3 good, 1 malformed (the short line, row 3).
    assert audit(con, name) == ("loaded", 4, 3, 1, 0, True)
    assert failures(con, "malformed_row") == [(name, 3, "row", "malformed_row")]
    assert rows(con, "SELECT message FROM quarantine.rows") == [
        ("line 6 of the file is malformed: 2 fields where the header has 15",),
    ]
    assert rows(con, "SELECT source_row, cleared_at FROM raw.cad_rows ORDER BY 1") == [
        (1, "2023-11-01 10:50:00"), (2, "2023-11-01 11:40:00"), (4, "2023-11-01 11:45:00"),
    ]


def test_a_file_not_in_the_profiles_encoding_is_refused_naming_the_encoding(con, tmp_path):
    text = (DURHAM_SMALL / "run1" / "durham_cad_2023-11-13.csv").read_text().splitlines()
    write(tmp_path / "inbox", "durham_cad_2023-11-13.csv", text, encoding="utf-16")
    summary = build(con, tmp_path / "inbox")
    (result,) = summary.files
    assert result.status == "unreadable" and result.refused
    assert result.reason == (
        "the file is not in the utf-8 encoding (not valid unicode text in it) that profile durham_cad expects;"
        " if the export is in latin-1 or utf-16, set [csv].encoding in durham_cad.toml"
    )
    assert summary.every_new_file_refused
    # Nothing read again on the next run, and no new file refused.
    assert not build(con, tmp_path / "inbox").every_new_file_refused


def test_a_latin1_byte_in_a_utf8_file_refuses_the_file_with_the_encoding(con, tmp_path):
    path = write(tmp_path / "inbox", "durham_cad_2023-11-06.csv", [CAD_HEADER, *CAD_GOOD])
    path.write_bytes(path.read_bytes().replace(b"MAIN ST", b"MA\xcfN ST"))
    (result,) = build(con, tmp_path / "inbox").files
    assert result.refused and result.reason.startswith("the file is not in the utf-8 encoding")
    assert rows(con, "SELECT count(*) FROM raw.cad_rows") == [(0,)]


def test_a_header_only_file_loads_with_no_rows(con, tmp_path):
    write(tmp_path / "inbox", "durham_cad_2023-11-06.csv", [CAD_HEADER])
    summary = build(con, tmp_path / "inbox")
    assert [(f.status, f.rows_read, f.reason) for f in summary.files] == [("loaded", 0, None)]
    assert not summary.every_new_file_refused
    assert audit(con, "durham_cad_2023-11-06.csv") == ("loaded", 0, 0, 0, 0, True)


# -- B. duplicates ---------------------------------------------------------------------------------

def test_identical_rows_within_one_export_count_once(con, tmp_path):
    name = "durham_cad_2023-11-06.csv"
    # Rows 1-3: 23-0000001 (HRT-CR1), 23-0000002 (P101), 23-0000002 (P102); rows 4-13 repeat row 2.
    write(tmp_path / "inbox", name, [CAD_HEADER, *CAD_GOOD[:3], *[CAD_GOOD[1]] * 10])
    build(con, tmp_path / "inbox")
    # 13 read = 3 accepted + 0 quarantined + 10 duplicates.
    assert audit(con, name) == ("loaded", 13, 3, 0, 10, True)
    assert rows(con, "SELECT min(duplicate_of), max(duplicate_of), count(*) FROM audit.duplicate_rows") == [(2, 2, 10)]
    # Two unit assignments for 23-0000002, not twelve.
    assert rows(
        con, "SELECT unit_id FROM staging.cad_unit_assignments WHERE incident_id = '23-0000002' ORDER BY 1"
    ) == [("P101",), ("P102",)]


def test_a_response_id_repeated_with_different_content_is_quarantined_naming_both_rows(con, tmp_path):
    inbox = tmp_path / "inbox"
    old = "durham_heart_2023-11-06.csv"
    write(inbox, old, [
        HEART_HEADER,
        heart_row("H-1", "23-0000001"),                # row 1 \ same id, different team:
        heart_row("H-1", "23-0000001", team="CRT-2"),  # row 2 / both quarantined
        heart_row("H-5", "23-0000001"),                # row 3, accepted
        heart_row("H-5", "23-0000001"),                # row 4: row 3 again, a duplicate
    ])
    build(con, inbox)
    # 4 read = 1 accepted + 2 quarantined + 1 duplicate.
    assert audit(con, old) == ("loaded", 4, 1, 2, 1, True)
    assert failures(con, "duplicate_id") == [
        (old, 1, "response_id", "duplicate_id"), (old, 2, "response_id", "duplicate_id"),
    ]
    assert rows(con, "SELECT DISTINCT message FROM quarantine.rows WHERE check_name = 'duplicate_id'") == [(
        f"the same response id is on rows 1, 2 of {old} with different values;"
        " none of them is used until the export is corrected",
    )]
    assert rows(con, "SELECT response_id FROM staging.heart_responses") == [("H-5",)]
    # A newer export still updates the response: that is not a conflict.
    new = "durham_heart_2023-11-13.csv"
    write(inbox, new, [
        HEART_HEADER, heart_row("H-1", "23-0000001", team="CRT-3"), heart_row("H-5", "23-0000001", team="CRT-3"),
    ])
    build(con, inbox)
    assert audit(con, new) == ("loaded", 2, 2, 0, 0, True)
    assert rows(con, "SELECT response_id, team, exports_seen FROM staging.heart_responses ORDER BY 1") == [
        ("H-1", "CRT-3", 1), ("H-5", "CRT-3", 2),
    ]


# -- C. time order across sources ------------------------------------------------------------------

def test_heart_times_before_the_linked_cad_call_are_quarantined(con, tmp_path):
    inbox = tmp_path / "inbox"
    # 23-0000001: call received 2023-11-01 10:00; 23-0000010: received 2023-11-08 08:30 (local).
    cad = "durham_cad_2023-11-13.csv"
    write(inbox, cad, (DURHAM_SMALL / "run1" / cad).read_text().splitlines())
    heart = "durham_heart_2023-11-13.csv"
    write(inbox, heart, [
        HEART_HEADER,
        heart_row("H-1", "23-0000001"),                               # row 1: after the call, accepted
        heart_row("H-2", "23-0000001", received="2023-10-31T09:00:00",  # row 2: dispatched and arrived the
                  dispatched="2023-10-31T09:02:00", arrived="2023-10-31T09:10:00",  # day before the call
                  cleared="2023-10-31T09:30:00"),
        heart_row("H-3", "23-0000010", unit="CN", team="CN-1", received="2023-11-08T07:00:00",  # row 3: follow-up
                  dispatched="", arrived="", cleared="", mode="Phone",  # due and done before the call
                  due="2023-11-08T08:00:00", done="2023-11-08T08:10:00"),  # (after its own received time)
        heart_row("H-4", "23-0009999", received="2023-10-01T09:00:00",  # row 4: no such CAD incident, kept
                  dispatched="2023-10-01T09:02:00", arrived="2023-10-01T09:10:00", cleared="2023-10-01T09:30:00"),
    ])
    build(con, inbox)
    # 4 read = 2 accepted (rows 1, 4) + 2 quarantined (rows 2, 3).
    assert audit(con, heart) == ("loaded", 4, 2, 2, 0, True)
    assert failures(con, "time_order") == [
        (heart, 2, "arrived_at", "time_order"), (heart, 2, "dispatched_at", "time_order"),
        (heart, 3, "followup_done_at", "time_order"), (heart, 3, "followup_due_at", "time_order"),
    ]
    assert rows(
        con, "SELECT message FROM quarantine.rows WHERE source_row = 2 AND column_name = 'arrived_at'"
    ) == [(
        f"arrived_at (HEART log) is before the call of its CAD incident was received (CAD export {cad})",
    )]
    assert rows(con, "SELECT response_id, cad_linked FROM staging.heart_responses ORDER BY 1") == [
        ("H-1", True), ("H-4", False),
    ]


def test_a_cad_export_arriving_after_the_heart_log_is_checked_against_it(con, tmp_path):
    inbox = tmp_path / "inbox"
    heart = "durham_heart_2023-11-06.csv"
    # Arrived the day before 23-0000001's call (2023-11-01 10:00), which is not loaded yet.
    write(inbox, heart, [HEART_HEADER, heart_row("H-2", "23-0000001", received="2023-10-31T09:00:00",
                                                 dispatched="", arrived="2023-10-31T09:10:00",
                                                 cleared="2023-10-31T09:30:00")])
    build(con, inbox)
    assert audit(con, heart) == ("loaded", 1, 1, 0, 0, True)
    assert rows(con, "SELECT response_id, cad_linked FROM staging.heart_responses") == [("H-2", False)]
    cad = "durham_cad_2023-11-13.csv"
    write(inbox, cad, (DURHAM_SMALL / "run1" / cad).read_text().splitlines())
    build(con, inbox)
    assert audit(con, heart) == ("loaded", 1, 0, 1, 0, True)
    assert failures(con, "time_order") == [(heart, 1, "arrived_at", "time_order")]
    assert rows(con, "SELECT count(*) FROM staging.heart_responses") == [(0,)]


# -- D. time bounds --------------------------------------------------------------------------------

def test_times_more_than_a_day_after_the_runs_clock_are_quarantined(con, tmp_path):
    inbox = tmp_path / "inbox"
    name = "durham_cad_2023-11-13.csv"
    write(inbox, name, [
        CAD_HEADER,
        CAD_GOOD[0],                                                           # row 1
        # row 2: consistent, but in 2099.
        "23-0000099,11/08/2099,10:00:00,MENTAL,MENTAL,3,111,,HRT,HRT-CR1,HEART,"
        "2099-11-08 10:02:00,2099-11-08 10:03:00,2099-11-08 10:15:00,2099-11-08 10:50:00",
        # row 3: 2023-11-15 06:00 local = 11:00 UTC, within a day of the clock (2023-11-14 12:00 UTC).
        "23-0000098,11/15/2023,06:00:00,MENTAL,MENTAL,3,111,,NRPT,,,,,,",
    ])
    build(con, inbox)
    assert audit(con, name) == ("loaded", 3, 2, 1, 0, True)
    assert failures(con, "future_time") == [
        (name, 2, column, "future_time")
        for column in ("arrived_at", "cleared_at", "dispatched_at", "enroute_at", "received_at")
    ]
    assert rows(con, "SELECT DISTINCT message FROM quarantine.rows WHERE column_name = 'received_at'") == [
        ("received_at is more than a day after this run's clock (2023-11-14 12:00 UTC)",)
    ]
    # The clock is the run's: in 2100 the row is in the past and accepted.
    build(con, inbox, clock=datetime(2100, 1, 1, tzinfo=UTC))
    assert audit(con, name) == ("loaded", 3, 3, 0, 0, True)


def test_a_future_heart_time_is_quarantined(con, tmp_path):
    inbox = tmp_path / "inbox"
    name = "durham_heart_2023-11-13.csv"
    write(inbox, name, [
        HEART_HEADER,
        heart_row("H-1", "23-0009999"),
        heart_row("H-2", "23-0009999", unit="CN", team="CN-1", dispatched="", arrived="", cleared="",
                  mode="Phone", due="2099-11-03T11:00:00"),
    ])
    build(con, inbox)
    assert audit(con, name) == ("loaded", 2, 1, 1, 0, True)
    assert failures(con, "future_time") == [(name, 2, "followup_due_at", "future_time")]


def test_a_row_with_a_value_only_in_an_unmapped_column_is_not_a_blank_line(con, tmp_path):
    # Notes, added here, is a column no durham_cad field maps. Ingest reads only the mapped columns, and
    # reads the file again to look at the others only when a row has no value in any mapped one.
    name = "durham_cad_2023-11-06.csv"
    write(tmp_path / "inbox", name, [
        CAD_HEADER + ",Notes",
        CAD_GOOD[0] + ",",                      # row 1
        "," * 15 + "caller left",               # row 2: a value in Notes only
        "," * 15,                               # row 3: a line of commas
        CAD_GOOD[1] + ",",                      # row 4
    ])
    build(con, tmp_path / "inbox")
    assert audit(con, name) == ("loaded", 4, 2, 2, 0, True)
    assert rows(con, "SELECT source_row FROM raw.cad_rows ORDER BY 1") == [(1,), (2,), (4,)]
    assert rows(con, "SELECT source_row, problem FROM raw.malformed_rows") == [
        (3, "the row has no values (a line of only delimiters or null tokens)"),
    ]
    # Row 2 is a row with empty fields, quarantined by them, not a malformed line.
    assert ("missing_required", 2) in rows(con, "SELECT check_name, source_row FROM quarantine.rows")
    assert failures(con, "malformed_row") == [(name, 3, "row", "malformed_row")]
