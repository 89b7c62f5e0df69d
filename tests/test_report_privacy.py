"""The canary: personal details planted in the input never reach a report, and input is never run as code.

tests/conftest.py (write_canary_inbox) plants a caller's name, phone number,
street address, a narrative sentence and a person key where real exports carry
them, plus a call type that is a <script> element. Every report is built from
that warehouse; no file in the reports folder may contain the personal
details, and the script must appear only as escaped text.
"""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from conftest import CANARY, CANARY_SCRIPT
from pipeline import warehouse
from pipeline.reports.build import build_all_reports

BUILT = datetime(2024, 3, 18, 6, 0, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def reports(canary_warehouse, tmp_path_factory):
    path, program = canary_warehouse
    out = tmp_path_factory.mktemp("canary_reports")
    with warehouse.connect(path) as con:
        # The planted script is in a call type; prove it reached the warehouse (quarantined, value kept).
        kept = con.execute("SELECT count(*) FROM quarantine.rows WHERE value = ?", [CANARY_SCRIPT]).fetchone()[0]
        assert kept == 1
        build_all_reports(con, out, program, weeks=[date(2023, 10, 30), date(2024, 3, 4), date(2024, 3, 11)],
                          built_at=BUILT)
    files = {p.relative_to(out).as_posix(): p.read_text(encoding="utf-8")
             for p in out.rglob("*") if p.is_file() and p.suffix in (".html", ".txt", ".csv", ".json")}
    return out, files


def test_every_report_was_built(reports):
    _, files = reports
    kinds = {name.split("/")[0] for name in files}
    assert {"index.html", "weekly", "council", "quality"} <= kinds


@pytest.mark.parametrize("kind", sorted(CANARY))
def test_no_personal_detail_reaches_any_report(reports, kind):
    _, files = reports
    needle = CANARY[kind].lower()
    leaked = [name for name, text in files.items() if needle in text.lower()]
    assert leaked == [], f"{kind} {CANARY[kind]!r} found in {leaked}"


def test_the_script_call_type_is_shown_as_text_never_as_markup(reports):
    _, files = reports
    raw = [name for name, text in files.items() if "window.__heart_canary" in text and CANARY_SCRIPT in text]
    assert raw == []
    shown = [name for name, text in files.items() if "window.__heart_canary" in text]
    # Markup is not a code (issue 14): the data-quality report counts it among the unknown call-type
    # codes without quoting it, escaped or not.
    assert shown == []
    assert "(hidden: not a code)" in files["quality/data-quality.html"]
