"""A configuration that does not fit the data is named; a blocked run says what to do; a missing HEART log is said.

Fixture: tests/fixtures/metrics_small (see its README). Its CAD exports hold 39
incidents (17 from 2023-10-30 to 2023-11-09, 22 from 2024-03-04 to 2024-03-17),
by initial call type MENTAL 15, WELFCK 8, INTOX 7, SUICTH 4, NOISE 2, TRESP 2,
ASSAULT 1; by beat 111 16, 112 10, 113 9, 211 3, 212 1 (23-0006 is the one in 212).
Its HEART logs hold 27 responses: 11 in 2023 and 16 in March 2024, of which 8
(H24-0001 to H24-0008N) were received before Monday 2024-03-11.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import DURHAM_SMALL, METRICS_SMALL, build, copy_into
from pipeline import config_fit, warehouse
from pipeline.cli import main
from pipeline.program import load_program
from pipeline.settings import DEFAULT_PROFILES
from pipeline.cli.summary import shown_example

PHASE1 = 'natures = ["MENTAL", "SUICTH", "WELFCK", "INTOX"]'
PHASE2 = 'natures = ["MENTAL", "SUICTH", "WELFCK", "INTOX", "TRESP"]'


def program_file(tmp_path: Path, *replacements: tuple[str, str]) -> Path:
    text = (METRICS_SMALL / "program.toml").read_text()
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new)
    path = tmp_path / "program.toml"
    path.write_text(text)
    return path


@pytest.fixture(scope="module")
def fixture_con(tmp_path_factory):
    """The metrics_small inbox ingested and validated (staging only: config_fit needs no marts)."""
    tmp = tmp_path_factory.mktemp("config_fit")
    with warehouse.connect(tmp / "w.duckdb") as con:
        build(con, copy_into(tmp / "inbox", METRICS_SMALL / "inbox"))
        yield con


def test_the_fixture_config_fits_but_for_call_types_on_no_list(fixture_con):
    fit = config_fit.check_fit(fixture_con, load_program(METRICS_SMALL / "program.toml"))
    cfg = "tests/fixtures/metrics_small/program.toml"
    # ASSAULT (23-0013) and NOISE (23-0016, 24-0022) are on neither list; TRESP is on the second.
    assert fit.findings == [
        f"3 CAD incidents from launch_date on have call types on no eligible list (2 call types; most often: "
        f"NOISE 2, ASSAULT 1); to make a type eligible, add its code to {cfg} [[eligible_call_types]] natures"]
    assert fit.blocking_reason is None
    assert fit.heart_log_loaded


def test_data_before_launch_date_is_counted_with_the_setting(fixture_con, tmp_path):
    path = program_file(tmp_path, ("launch_date = 2023-10-30", "launch_date = 2024-03-11"))
    fit = config_fit.check_fit(fixture_con, load_program(path))
    # Before 2024-03-11: the 17 incidents of 2023 and 24-0001 to 24-0010; 11 + 8 HEART responses.
    # From launch on, 24-0011 to 24-0022: only NOISE (24-0022) is on no list; every beat is in [beats].
    assert fit.findings == [
        f"27 CAD incidents received before launch_date 2024-03-11 ({path} [program] launch_date) are outside the "
        "program (the earliest on 2023-10-30)",
        f"19 HEART responses received before launch_date 2024-03-11 ({path} [program] launch_date) are outside "
        "the program",
        "1 CAD incident from launch_date on has a call type on no eligible list (1 call type; most often: NOISE 1); "
        f"to make a type eligible, add its code to {path} [[eligible_call_types]] natures",
    ]
    assert fit.blocking_reason is None


def test_days_before_the_first_eligible_list_are_named(fixture_con, tmp_path):
    phase1 = ('[[eligible_call_types]]\neffective = 2023-10-30\nlabel = "Fixture phase 1"\n' + PHASE1 + "\n", "")
    path = program_file(tmp_path, phase1)
    fit = config_fit.check_fit(fixture_con, load_program(path))
    # 2023-10-30 to 2024-03-10 have no list in force: 17 + 10 incidents.
    assert fit.findings[0] == (
        "27 CAD incidents received from launch_date on fall on days with no eligible call types in force: the first "
        f"[[eligible_call_types]] entry with natures takes effect 2024-03-11 ({path} [[eligible_call_types]] "
        "effective, natures)")


def test_another_city_eligible_list_fails_the_run_with_one_line(tmp_path, capsys):
    """The issue's trap: the city's own eligible codes over data that spells them otherwise was exit 0."""
    path = program_file(tmp_path, (PHASE1, 'natures = ["MH", "WELF"]'), (PHASE2, 'natures = ["MH", "WELF", "TRES"]'),
                        ('all = ["111", "112", "113", "211", "212"]', 'all = ["111", "112", "113", "211"]'))
    inbox = copy_into(tmp_path / "inbox", METRICS_SMALL / "inbox")
    code = main(["run", "--inbox", str(inbox), "--warehouse", str(tmp_path / "wh" / "h.duckdb"),
                 "--reports", str(tmp_path / "r"), "--program", str(path)])
    out = capsys.readouterr()
    assert code == 1
    reason = (f"no eligible call falls inside the program: none of the 39 CAD incidents received from launch_date "
              f"2023-10-30 on has a call type on the eligible list in force; set [[eligible_call_types]] natures in "
              f"{path} to the codes the CAD export uses (the data's call types are listed with the configuration "
              "findings)")
    assert [line for line in out.err.splitlines() if line.startswith("FAILED")] == [f"FAILED: {reason}"]
    section = out.out.split("Program configuration against the data\n")[1].split("\n\n")[0].splitlines()
    assert section == [
        f"  39 CAD incidents from launch_date on have call types on no eligible list (7 call types; most often: "
        f"MENTAL 15, WELFCK 8, INTOX 7, SUICTH 4, NOISE 2); to make a type eligible, add its code to {path} "
        "[[eligible_call_types]] natures",
        f"  Eligible call types no CAD incident has: MH, TRES, WELF ({path} [[eligible_call_types]] natures): check "
        "they are spelled as the CAD export writes them",
        f"  1 CAD incident from launch_date on is in 1 beat not in [beats] all ({path} [beats] all, and "
        "[[service_area]] beats where HEART serves them)",
        f"  FAILED: {reason}",
    ]
    page = (tmp_path / "r" / "quality" / "data-quality.html").read_text()
    assert 'id="config-fit"' in page and "Eligible call types no CAD incident has: MH, TRES, WELF" in page
    assert "No eligible call falls inside the program: none of the 39 CAD incidents" in page


def test_codes_no_lookup_lists_are_counted_never_quoted(tmp_path):
    profiles = tmp_path / "profiles"
    shutil.copytree(DEFAULT_PROFILES, profiles)
    cad = profiles / "durham_cad.toml"
    text = cad.read_text()
    cad.write_text(text.replace('initial_call_type = { column = "InitialNature", lookup = "nature" }',
                                'initial_call_type = "InitialNature"'))
    path = program_file(tmp_path, (PHASE1, 'natures = ["MH"]'), (PHASE2, 'natures = ["MH"]'))
    with warehouse.connect(tmp_path / "w.duckdb") as con:
        build(con, copy_into(tmp_path / "inbox", METRICS_SMALL / "inbox"), profiles)
        fit = config_fit.check_fit(con, load_program(path))
    assert fit.findings[0] == (
        "39 CAD incidents from launch_date on have call types on no eligible list (7 call types; 7 codes that no "
        "profile lookup lists, not quoted here: list them with heart sql \"SELECT initial_call_type, count(*) FROM "
        "staging.cad_incidents GROUP BY 1 ORDER BY 2 DESC\"); to make a type eligible, add its code to "
        f"{path} [[eligible_call_types]] natures")
    assert not re.search(r"MENTAL|WELFCK|INTOX", " ".join(fit.findings))


# -- item 5: a blocked run says what to do; flags are checked --------------------------------------------------

@pytest.mark.parametrize("flag, value, message", [
    ("--max-quarantine-share", "5", "heart: --max-quarantine-share 5: expected a share from 0 to 1, e.g. 0.05 for 5% "
                                    "(the default) or 0.1 for 10%"),
    ("--max-quarantine-share", "-0.1", None),
    ("--max-quarantine-share", "nan", None),
    ("--max-quarantine-share", "lots", None),
    ("--suppression-threshold", "1", "heart: --suppression-threshold 1: expected a whole number from 2 to 100 (public "
                                     "reports show counts below it as '<N'; the default is 11)"),
    ("--suppression-threshold", "1000", None),
    ("--suppression-threshold", "eleven", None),
])
def test_out_of_range_flags_are_one_line_and_exit_2(tmp_path, capsys, flag, value, message):
    code = main(["run", "--inbox", str(DURHAM_SMALL / "run1"), "--warehouse", str(tmp_path / "h.duckdb"),
                 "--reports", str(tmp_path / "r"), flag, value])
    err = capsys.readouterr().err
    assert code == 2
    assert len(err.strip().splitlines()) == 1
    assert err.strip().startswith(f"heart: {flag} {value}: expected")
    if message:
        assert err.strip() == message
    assert not (tmp_path / "h.work.duckdb").exists()


def test_heart_settings_refuse_a_share_above_1():
    from pydantic import ValidationError

    from pipeline.defs.resources import HeartSettings

    assert HeartSettings(max_quarantine_share=1.0).max_quarantine_share == 1.0
    with pytest.raises(ValidationError, match="expected a share from 0 to 1"):
        HeartSettings(max_quarantine_share=5)
    with pytest.raises(ValidationError, match="expected a whole number from 2 to 100"):
        HeartSettings(suppression_threshold=1)


def test_a_blocked_run_says_the_share_the_limit_the_reasons_and_the_flag(tmp_path, capsys):
    inbox = copy_into(tmp_path / "inbox", DURHAM_SMALL / "run1")
    reports = tmp_path / "r"
    code = main(["run", "--inbox", str(inbox), "--warehouse", str(tmp_path / "wh" / "h.duckdb"), "--reports",
                 str(reports), "--program", str(METRICS_SMALL / "program.toml"), "--max-quarantine-share", "0.05"])
    out = capsys.readouterr()
    assert code == 1
    err = out.err.splitlines()
    # durham_small run1: 6 of 16 CAD rows quarantined, one row per reason; the first three by column name.
    cad = err.index("FAILED check staging_cad_rows:cad_quarantine_share_within_limit: 6 of 16 cad rows quarantined "
                    "(rows_read 16, rows_quarantined 6, quarantined_share 0.375, limit 0.05)")
    assert err[cad + 1] == (
        "Blocked: 6 of 16 CAD rows (37.5%) were quarantined, above the limit of 5.0% (--max-quarantine-share 0.05), "
        "so the canonical tables were not updated from this batch. Top reasons: cleared_at time_order, 1 row; "
        "discipline unknown_code, 1 row (e.g. K9); incident_id missing_required, 1 row. If the export is right and "
        "is read wrongly (a lookup missing codes, a time format, a column name), fix profiles/durham_cad.toml and "
        "run again; to accept this batch as it is, run again with --max-quarantine-share 0.38. Details: "
        f"{reports / 'quality' / 'data-quality.html'}")
    heart = next(i for i, line in enumerate(err) if line.startswith("FAILED check staging_heart_rows:"))
    assert err[heart + 1].startswith("Blocked: 7 of 11 HEART log rows (63.6%) were quarantined, above the limit of "
                                     "5.0% (--max-quarantine-share 0.05)")
    assert "--max-quarantine-share 0.64." in err[heart + 1] and "profiles/durham_heart.toml" in err[heart + 1]
    assert "None" not in out.out + out.err
    # The summary's reasons: an example only where there is a short code to show.
    reasons = [line for line in out.out.splitlines() if ": time_order" in line or ": unknown_code" in line]
    assert any(line.endswith("e.g. K9") for line in reasons)
    assert all("e.g." not in line for line in reasons if "time_order" in line)


def test_an_example_value_is_shown_only_when_it_is_a_short_code():
    assert shown_example("cad", "initial_call_type", "unknown_code", " XFER ") == "XFER"
    assert shown_example("cad", "received_at", "unparseable_timestamp", "25:61:00") == "25:61:00"
    assert shown_example("cad", "initial_call_type", "unknown_code", None) is None
    assert shown_example("cad", "initial_call_type", "unknown_code", "Caller says her brother") is None
    assert shown_example("cad", "initial_call_type", "unknown_code", "919-555-0134") is None
    assert shown_example("cad", "initial_call_type", "unknown_code", "<script>") is None
    assert shown_example("cad", "beat", "too_long", "111") is None     # not a code column


# -- item 8: no HEART log loaded ----------------------------------------------------------------------------

def test_without_a_heart_log_the_reports_say_so_and_show_the_cad_side(tmp_path, capsys):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for path in sorted((METRICS_SMALL / "inbox").glob("durham_cad_*.csv")):
        shutil.copy2(path, inbox / path.name)
    reports = tmp_path / "r"
    code = main(["run", "--inbox", str(inbox), "--warehouse", str(tmp_path / "wh" / "h.duckdb"),
                 "--reports", str(reports), "--program", str(METRICS_SMALL / "program.toml")])
    out = capsys.readouterr()
    assert code == 0, out.err
    lines = out.out.splitlines()
    assert ("  No HEART response log has been loaded; figures that need it are not shown: the program-to-date "
            "figures below are the CAD side only") in lines
    headline = out.out.split("Program to date (")[1].split("\n\n")[0].splitlines()[1:]
    # 39 incidents less ASSAULT, two NOISE and TRESP 24-0002 (before trespass became eligible): 35.
    assert [line.split() for line in headline[:-1]] == [["Eligible", "calls", "35"]]
    pages = [*sorted((reports / "council").glob("*.html")), *sorted((reports / "weekly").glob("*.html"))]
    assert len(pages) == 3     # FY2023–24 (with FY2022–23's two launch days) and to date; one week
    for page in pages:
        text = page.read_text()
        assert "data-no-heart-log" in text and "No HEART response log has been loaded" in text, page.name
        assert set(re.findall(r'data-metric="([a-z_0-9]+)"', text)) <= {"eligible_calls",
                                                                        "police_response_time_median"}, page.name
        assert "Answered by HEART" not in text and "0.0%" not in text, page.name
    to_date = (reports / "council" / "council-to-date.html").read_text()
    assert 'data-metric="eligible_calls"' in to_date and 'data-figure="eligible-by-hour"' in to_date
    assert "data-no-heart-log" in (reports / "quality" / "data-quality.html").read_text()


def test_with_a_heart_log_nothing_is_said(tmp_path, capsys):
    inbox = copy_into(tmp_path / "inbox", METRICS_SMALL / "inbox")
    assert main(["run", "--inbox", str(inbox), "--warehouse", str(tmp_path / "wh" / "h.duckdb"),
                 "--reports", str(tmp_path / "r"), "--program", str(METRICS_SMALL / "program.toml")]) == 0
    out = capsys.readouterr().out
    assert "No HEART response log" not in out
    for page in [*(tmp_path / "r" / "council").glob("*.html"), *(tmp_path / "r" / "weekly").glob("*.html")]:
        assert "data-no-heart-log" not in page.read_text()
