"""The data-quality report: numbers read back from the HTML equal hand-worked counts and audit.load_audit.

The fixture inbox below is written by the tests: Durham-layout files with a
few bad rows, each row's fate noted beside it.

    durham_cad_2024-01-08.csv   8 rows read: A1, A2 accepted; quarantined:
        A3 initial call type "<script>alert(1)</script>"   unknown_code
        A4 initial call type "919-555-0134"                unknown_code (phone-like: hidden)
        A5 initial call type "9195550177"                  unknown_code (phone-like: hidden)
        A6 call time "25:61:00"                            unparseable_timestamp (received_at)
        A7 unit type "K9"                                  unknown_code (discipline)
        A8 cleared 09:07:07 before arrived 09:30:00        time_order (value never shown)
    durham_cad_2024-01-15.csv   3 rows read: B1, B3 accepted; B2 unit type "K9" quarantined
    durham_heart_2024-01-08.csv 3 rows read: H1 accepted; H2 unit "ZZ" unknown_code,
                                H3 cleared "TBD" unparseable_timestamp
    durham_cad_2024-01-22.csv   empty: unreadable ("the file is empty (0 bytes)")
    <img src=x onerror=alert(1)>.csv   no profile matches: unreadable

Totals: 5 files (3 loaded, 2 unreadable); 14 rows read, 5 accepted, 9 quarantined (64.29%).
"""

from __future__ import annotations

import html
import html.parser
import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from conftest import build
from pipeline import warehouse
from pipeline.reports import quality, render

BUILT_AT = datetime(2024, 1, 22, 8, 30, tzinfo=ZoneInfo("America/New_York"))
CAD_HEADER = ("IncidentNumber,CallDate,CallTime,InitialNature,FinalNature,Priority,Beat,Address,Disposition,UnitID,"
              "UnitType,Dispatched,Enroute,Arrived,Cleared")
HEART_HEADER = ("ResponseID,CADIncident,Unit,Team,ReceivedAt,DispatchedAt,ArrivedAt,ClearedAt,ContactMode,"
                "ResolvedNoInPerson,PoliceRequested,FeltSafe,Outcome,Referrals,PersonKey,FollowUpDue,FollowUpDone")


def cad_row(incident: str, day: str, time: str = "09:00:00", nature: str = "MENTAL", unit_type: str = "HEART",
            arrived: str = "09:12:00", cleared: str = "09:50:00") -> str:
    iso = f"2024-01-{day[3:5]}"
    return (f"{incident},{day},{time},{nature},MENTAL,3,111,100 BLOCK MAIN ST,HRT,HRT-CR1,{unit_type},"
            f"{iso} 09:02:00,{iso} 09:03:00,{iso} {arrived},{iso} {cleared}")


CAD_A = "\n".join([
    CAD_HEADER,
    cad_row("24-1001", "01/02/2024"),                                    # A1 accepted
    cad_row("24-1002", "01/02/2024", time="08:00:00"),                   # A2 accepted
    cad_row("24-1003", "01/03/2024", nature="<script>alert(1)</script>"),  # A3 unknown call type
    cad_row("24-1004", "01/03/2024", nature="919-555-0134"),             # A4 unknown call type, phone-like
    cad_row("24-1005", "01/03/2024", nature="9195550177"),               # A5 unknown call type, phone-like
    cad_row("24-1006", "01/04/2024", time="25:61:00"),                   # A6 unparseable received_at
    cad_row("24-1007", "01/04/2024", unit_type="K9"),                    # A7 unknown discipline
    cad_row("24-1008", "01/05/2024", arrived="09:30:00", cleared="09:07:07"),  # A8 time order
]) + "\n"
CAD_B = "\n".join([
    CAD_HEADER,
    cad_row("24-2001", "01/09/2024"),                                    # B1 accepted
    cad_row("24-2002", "01/09/2024", unit_type="K9"),                    # B2 unknown discipline
    cad_row("24-2003", "01/10/2024"),                                    # B3 accepted
]) + "\n"
HEART = "\n".join([
    HEART_HEADER,
    "H24-1001,24-1001,CRT,CRT-1,2024-01-02T09:01:00,2024-01-02T09:02:00,2024-01-02T09:12:00,2024-01-02T09:50:00,"
    "IN PERSON,N,N,Y,RESOLVED ON SCENE,,P-SECRET-01,,",                  # H1 accepted
    "H24-1002,,ZZ,TEAM-SECRET,2024-01-03T10:00:00,,,2024-01-03T10:30:00,PHONE,Y,N,,REFERRED,Shelter,"
    "P-SECRET-02,,",                                                     # H2 unknown unit
    "H24-1003,,CCD,CCD-A,2024-01-04T11:00:00,,,TBD,PHONE,Y,N,,REFERRED,,P-SECRET-03,,",  # H3 unparseable cleared_at
]) + "\n"
EVIL_NAME = "<img src=x onerror=alert(1)>.csv"


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    """(html text, context, load_audit rows) for the fixture inbox above."""
    tmp = tmp_path_factory.mktemp("quality")
    inbox = tmp / "inbox"
    inbox.mkdir()
    (inbox / "durham_cad_2024-01-08.csv").write_text(CAD_A)
    (inbox / "durham_cad_2024-01-15.csv").write_text(CAD_B)
    (inbox / "durham_heart_2024-01-08.csv").write_text(HEART)
    (inbox / "durham_cad_2024-01-22.csv").write_bytes(b"")
    (inbox / EVIL_NAME).write_text("a,b\n1,2\n")
    with warehouse.connect(tmp / "w.duckdb") as con:
        build(con, inbox)
        path = quality.write_quality_report(con, tmp / "reports", BUILT_AT)
        context = quality.build_quality_context(con)
        audit = con.execute("SELECT file_name, status, rows_read, rows_accepted, rows_quarantined, reconciles "
                            "FROM audit.load_audit").fetchall()
    assert path == tmp / "reports" / "quality" / "data-quality.html"
    return path.read_text(encoding="utf-8"), context, audit, path


class Elements(html.parser.HTMLParser):
    """Every element carrying data-* attributes, with its attributes (unescaped) and its text."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[dict] = []
        self._open: list[tuple[str, dict | None]] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("meta", "link", "br", "img", "input"):
            return
        data = {k: v for k, v in attrs if k.startswith("data-")}
        entry = {"tag": tag, **data, "_text": ""} if data else None
        if entry is not None:
            self.found.append(entry)
        self._open.append((tag, entry))

    def handle_endtag(self, tag):
        while self._open:
            open_tag, _ = self._open.pop()
            if open_tag == tag:
                break

    def handle_data(self, data):
        for _, entry in self._open:
            if entry is not None:
                entry["_text"] += data


def elements(text: str, attribute: str) -> list[dict]:
    parser = Elements()
    parser.feed(text)
    return [e for e in parser.found if attribute in e]


def table_rows(text: str, table_class: str) -> list[dict]:
    body = re.search(rf'<table class="{table_class}" data-table="{table_class}">(.*?)</table>', text, re.S)
    assert body, table_class
    return elements(body.group(1), "data-rows") + elements(body.group(1), "data-rows-read")


def test_headline_counts_match_the_hand_worked_totals(report):
    text, _, _, _ = report
    headline = {e["data-headline"]: e for e in elements(text, "data-headline")}
    assert headline["files"]["data-value"] == "5"
    assert "3 loaded, 2 unreadable" in headline["files"]["_text"]
    assert headline["rows_read"]["data-value"] == "14"
    assert headline["rows_accepted"]["data-value"] == "5"
    assert headline["rows_quarantined"]["data-value"] == "9"
    assert float(headline["share"]["data-value"]) == pytest.approx(9 / 14)
    assert "64.29%" in headline["share"]["_text"]
    assert elements(text, "data-reconciles")[0]["data-reconciles"] == "all"


def test_meta_gives_the_range_of_export_dates_loaded(report):
    _, _, _, path = report
    meta = render.read_meta(path)
    # 2024-01-22 is an export date too, but that file could not be read.
    assert meta == render.ReportMeta("quality", quality.TITLE, date(2024, 1, 8), date(2024, 1, 15), BUILT_AT)


def test_per_file_rows_equal_hand_worked_counts_and_load_audit(report):
    text, _, audit, _ = report
    shown = {e["data-file"]: (e["data-status"], int(e["data-rows-read"]), int(e["data-rows-accepted"]),
                              int(e["data-rows-quarantined"]), e["data-reconciles"] == "true")
             for e in table_rows(text, "files")}
    assert shown == {
        "durham_cad_2024-01-08.csv": ("loaded", 8, 2, 6, True),
        "durham_cad_2024-01-15.csv": ("loaded", 3, 2, 1, True),
        "durham_heart_2024-01-08.csv": ("loaded", 3, 1, 2, True),
        "durham_cad_2024-01-22.csv": ("unreadable", 0, 0, 0, True),
        EVIL_NAME: ("unreadable", 0, 0, 0, True),
    }
    assert shown == {r[0]: r[1:] for r in audit}


def test_per_source_lines(report):
    text, _, _, _ = report
    sources = {e["data-source"]: (int(e["data-files"]), int(e["data-unreadable"]), int(e["data-rows-read"]),
                                  int(e["data-rows-accepted"]), int(e["data-rows-quarantined"]))
               for e in elements(text, "data-source")}
    assert sources == {"cad": (3, 1, 11, 4, 7), "heart": (1, 0, 3, 1, 2), "none": (1, 1, 0, 0, 0)}


def test_quarantine_reasons_with_counts_and_only_safe_examples(report):
    text, _, _, _ = report
    reasons = {(e["data-kind"], e["data-column"], e["data-check"]): e for e in table_rows(text, "reasons")}
    counts = {key: (int(e["data-rows"]), int(e["data-files"])) for key, e in reasons.items()}
    assert counts == {
        ("cad", "initial_call_type", "unknown_code"): (3, 1),     # A3, A4, A5
        ("cad", "discipline", "unknown_code"): (2, 2),            # A7, B2
        ("cad", "received_at", "unparseable_timestamp"): (1, 1),  # A6
        ("cad", "cleared_at", "time_order"): (1, 1),              # A8
        ("heart", "unit", "unknown_code"): (1, 1),                # H2
        ("heart", "cleared_at", "unparseable_timestamp"): (1, 1),  # H3
    }
    assert "25:61:00" in reasons[("cad", "received_at", "unparseable_timestamp")]["_text"]
    assert "TBD" in reasons[("heart", "cleared_at", "unparseable_timestamp")]["_text"]
    assert "K9" in reasons[("cad", "discipline", "unknown_code")]["_text"]
    # A time-order failure is not an unreadable time: its value is not shown.
    assert "09:07:07" not in text
    assert "not shown" in reasons[("cad", "cleared_at", "time_order")]["_text"]


def test_unknown_codes_per_column_profile_and_code(report):
    text, _, _, _ = report
    codes = [(e["data-column"], e["data-profile"], e["data-code"], int(e["data-rows"]), int(e["data-files"]),
              int(e["data-codes"])) for e in table_rows(text, "unknown-codes")]
    assert codes == [
        ("discipline", "durham_cad", "K9", 2, 2, 1),                            # A7, B2
        ("initial_call_type", "durham_cad", quality.HIDDEN_PHONE, 2, 1, 2),     # A4, A5 merged, values hidden
        ("initial_call_type", "durham_cad", quality.HIDDEN_TEXT, 1, 1, 1),     # A3: markup is not a code
        ("unit", "durham_heart", "ZZ", 1, 1, 1),                                # H2
    ]


def test_trend_chart_has_shares_per_export_date_and_kind_with_its_table(report):
    _, context, _, _ = report
    chart = context["trend"]
    assert [t["x"] for t in chart.spec["data"]] == [["2024-01-08", "2024-01-15"]] * 2
    shares = {t["name"]: t["y"] for t in chart.spec["data"]}
    assert shares["CAD"] == pytest.approx([6 / 8, 1 / 3])
    assert shares["HEART"][0] == pytest.approx(2 / 3) and shares["HEART"][1] is None   # no HEART file 2024-01-15
    assert chart.table.rows == [["2024-01-08", "8", "6", "75.00%", "3", "2", "66.67%"],
                                ["2024-01-15", "3", "1", "33.33%", "\u2014", "\u2014", "\u2014"]]


def test_trend_chart_is_a_figure_with_caption_and_table(report):
    text, _, _, _ = report
    figure = re.search(r'<figure class="chart" id="chart-quality-share-trend"[^>]*>(.*?)</figure>', text, re.S)
    assert figure and "<figcaption>" in figure.group(1) and "<table data-table=\"quality-share-trend\">" in figure.group(1)
    assert "<td>75.00%</td>" in figure.group(1)


def test_unreadable_files_with_their_reason_escaped(report):
    text, _, _, _ = report
    section = re.search(r'<table class="unreadable" data-table="unreadable">(.*?)</table>', text, re.S).group(1)
    files = {e["data-file"]: e["_text"] for e in elements(section, "data-file")}
    assert set(files) == {"durham_cad_2024-01-22.csv", EVIL_NAME}
    assert "the file is empty (0 bytes)" in files["durham_cad_2024-01-22.csv"]
    assert "no source profile reads files named like this" in files[EVIL_NAME]
    assert " EST" in files[EVIL_NAME]   # when it was seen, in the report's time zone
    assert "&lt;img src=x onerror=alert(1)&gt;.csv" in text
    assert "<img" not in text


def test_script_code_is_escaped_never_raw(report):
    text, _, _, _ = report
    lowered = text.lower()
    # Markup is not a code (issue 14): it is counted, never quoted, escaped or not.
    assert "script&gt;alert(1)" not in lowered
    assert "<script>alert" not in lowered
    # The only <script> elements are the chart spec, the shared chart library and charts.js (written inline).
    assert re.findall(r"<script[^>]*>", text) == [
        '<script type="application/json" id="chart-quality-share-trend-spec">',
        '<script src="../assets/plotly.min.js">', '<script data-asset="charts.js">',
    ]


def test_phone_like_codes_and_person_fields_never_appear(report):
    text, _, _, _ = report
    for secret in ("919-555-0134", "555-0134", "9195550177", "5550177", "P-SECRET", "TEAM-SECRET", "Shelter", "MAIN ST",
                   "24-1003", "H24-1002"):
        assert secret not in text, secret
    assert html.escape(quality.HIDDEN_PHONE) in text


def test_no_record_level_rows(report):
    text, _, _, _ = report
    # Source row numbers and incident or response ids never appear; no table lists rows.
    assert "source_row" not in text
    assert not re.search(r"\b24-\d{4}\b|\bH24-\d{4}\b", text)


@pytest.mark.parametrize("value, shown", [
    ("K9", "K9"),
    ("  k9 \n", "k9"),
    ("", "(empty)"),
    (None, "(empty)"),
    ("919-555-0134", quality.HIDDEN_PHONE),
    ("(919) 555 0134", quality.HIDDEN_PHONE),
    ("+1 919.555.0134", quality.HIDDEN_PHONE),
    ("call 5550134 now", quality.HIDDEN_PHONE),
    ("2023-01-01 919-555-0134", quality.HIDDEN_PHONE),
    ("X" * 13, quality.HIDDEN_TEXT),                     # longer than any code (issue 14: at most 12)
    ("X" * 12, "X" * 12),
    ("Jane Canarysmith", quality.HIDDEN_TEXT),
    ('=HYPERLINK("http://evil.example","x")', quality.HIDDEN_TEXT),
    ("<script>", quality.HIDDEN_TEXT),
])
def test_shown_value(value, shown):
    assert quality.shown_value(value) == shown


def test_error_masks_phone_numbers_and_is_capped():
    assert quality.shown_error("bad value 919-555-0134 in file") == "bad value [number hidden] in file"
    assert quality.shown_error("the file is empty (0 bytes)") == "the file is empty (0 bytes)"
    assert len(quality.shown_error("x" * 1000)) == quality.MAX_ERROR_CHARS


def test_code_columns_are_the_contracts_code_fields():
    assert set(quality.code_columns()) == {
        "cad.initial_call_type", "cad.final_call_type", "cad.disposition", "cad.discipline",
        "heart.unit", "heart.contact_mode", "heart.outcome",
    }


def test_empty_warehouse_still_writes_a_report(tmp_path):
    with warehouse.connect(tmp_path / "empty.duckdb") as con:
        written = quality.write_quality_report(con, tmp_path / "reports", BUILT_AT)
    text = written.read_text(encoding="utf-8")
    assert "No files have been loaded" in text
    assert render.read_meta(written).data_from == BUILT_AT.date()


def test_metrics_small_report_agrees_with_load_audit(metrics_small_warehouse, tmp_path):
    path, _ = metrics_small_warehouse
    with warehouse.connect(path) as con:
        written = quality.write_quality_report(con, tmp_path, BUILT_AT)
        audit = con.execute("SELECT file_name, rows_read, rows_accepted, rows_quarantined, export_as_of "
                            "FROM audit.load_audit").fetchall()
        quarantined = con.execute("SELECT count(DISTINCT (file_id, source_row)) FROM quarantine.rows").fetchall()
    text = written.read_text(encoding="utf-8")
    shown = {e["data-file"]: (int(e["data-rows-read"]), int(e["data-rows-accepted"]),
                              int(e["data-rows-quarantined"])) for e in table_rows(text, "files")}
    assert shown == {r[0]: r[1:4] for r in audit}
    headline = {e["data-headline"]: int(float(e["data-value"])) for e in elements(text, "data-headline")
                if e["data-headline"] != "share"}
    assert headline == {"files": len(audit), "rows_read": sum(r[1] for r in audit),
                        "rows_accepted": sum(r[2] for r in audit), "rows_quarantined": quarantined[0][0]}
    meta = render.read_meta(written)
    assert (meta.data_from, meta.data_to) == (min(r[4] for r in audit), max(r[4] for r in audit))
