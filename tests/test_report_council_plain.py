"""The council pages in plain words: what a resident reads, the definitions file, milestones, launch days, print.

Fixture: tests/fixtures/metrics_small (see test_report_council.py). Its program launched on
Mon 30 Oct 2023 and its fiscal year starts 1 November, so FY2022–23 holds two days (30–31 Oct
2023): under a quarter of a year, it has no page, and FY2023–24's page shows them as launch
days. Its dated changes: launch 30 Oct 2023, service hours "7 days 8am-7pm" 9 Mar 2024, eligible
types "Fixture phase 2: trespass added" 11 Mar 2024, service area "Beat 211 added" 13 Mar 2024.
The months on the charts are Oct 2023 (index 0) to Mar 2024 (index 5).
"""

from __future__ import annotations

import csv
import html
import json
import re
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from pipeline import warehouse
from pipeline.program import load_program
from pipeline.reports import council, metric_text
from pipeline.reports.council import milestones

from test_report_council import BUDGET, FILES, build, parse  # noqa: F401  (same fixture, same pages)

BUILT_AT = datetime(2024, 3, 18, 7, 0, tzinfo=ZoneInfo("America/New_York"))
# Path, file, table and column-like tokens, and the pipeline's own words: never in a page's visible text.
TECHNICAL = re.compile(r"\w+\.\w+_\w+|config/|\.toml|\.sql|/shared/|CAD|person key")


def visible_text(page: str) -> str:
    """What a reader sees: the page without its head, scripts, styles and tags (attributes are not text)."""
    body = re.sub(r"<head>.*?</head>|<script.*?</script>|<style.*?</style>", " ", page, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", body)))


@pytest.fixture(scope="module")
def written(metrics_small_warehouse, tmp_path_factory):
    """write_council_dashboards as the pipeline runs it, into a reports folder holding a stale launch-year page,
    with a budget whose source names a file on a build machine."""
    path, program = metrics_small_warehouse
    text = program.path.read_text(encoding="utf-8") + BUDGET.replace(
        'source = "Council minutes & budget book"',
        'source = "Council minutes (see /work/shared/durham-facts.md) config/program.toml"')
    program_file = tmp_path_factory.mktemp("program") / "program.toml"
    program_file.write_text(text, encoding="utf-8")
    out = tmp_path_factory.mktemp("council_written")
    (out / "council").mkdir()
    (out / "council" / "council-fy2022-23.html").write_text("stale", encoding="utf-8")
    with warehouse.connect(path, read_only=True) as con:
        files = council.write_council_dashboards(con, out, load_program(program_file), BUILT_AT, threshold=3)
    return out, files


@pytest.fixture(scope="module")
def boards(metrics_small_warehouse, tmp_path_factory):
    path, program = metrics_small_warehouse
    return {t: build(path, program, tmp_path_factory.mktemp(f"plain{t}"), t) for t in (11, 3)}


def test_no_path_table_or_column_in_any_council_page(boards, written):
    out, files = written
    pages = [p.read_text(encoding="utf-8") for p in files if p.suffix == ".html"]
    pages += [text for board in boards.values() for text in board["pages"].values()]
    assert len(pages) == 6
    for page in pages:
        text = visible_text(page)
        assert not TECHNICAL.findall(text), TECHNICAL.findall(text)[:5]
        assert "metric_values" not in text and "[[budget]]" not in text and "unit ALL" not in text
    # The budget's source prints without the path the configuration gave it.
    fy24 = (out / "council" / FILES["fy2023-24"]).read_text(encoding="utf-8")
    assert "Council minutes" in fy24 and "durham-facts" not in fy24


def test_each_headline_card_says_what_it_means_in_one_sentence(boards):
    board = boards[3]
    says = {(c["metric_id"], c["unit"]): c["sentence"] for c in board["contexts"]["all"]["cards"]}
    # Program to date: 18 of 35 eligible calls answered (51.4%): about 5 in 10.
    assert says[("eligible_answered_rate", "ALL")] == "Of every 10 calls HEART could take, about 5 got a HEART response."
    assert says[("eligible_calls", "ALL")] == ("35 calls to 911 since the program began were of a kind HEART can "
                                               "take, at any hour and anywhere in the city.")
    assert says[("responses", "ALL")] == "HEART's crisis teams answered calls for help 21 times since the program began."
    # Community Response: 9 of its 13 calls had no police (69.2%): about 7 in 10.
    assert says[("diversion_rate", "CR")] == ("Of every 10 calls the Community Response team handled, "
                                              "about 7 needed no police.")
    page = board["pages"][FILES["all"]]
    assert "Of every 10 calls HEART could take, about 5 got a HEART response." in page
    # A card whose figure is hidden says nothing that would give it away.
    hidden = [c for c in boards[11]["contexts"]["all"]["cards"] if c["value_text"] in ("Not published", "<11", "\u2014")]
    assert hidden and all(c["sentence"] == "" for c in hidden)


def test_per_ten_in_words():
    assert metric_text.per_ten(0.27, "calls", "got a team") == "Of every 10 calls, about 3 got a team."
    assert metric_text.per_ten(0.03, "calls", "got a team") == "Of every 100 calls, about 3 got a team."
    assert metric_text.per_ten(0.004, "calls", "got a team") == "Fewer than 1 in 100 of the calls got a team."
    assert metric_text.per_ten(0.97, "calls", "got a team") == "Nearly all of the calls got a team."
    assert metric_text.per_ten(0.0, "calls", "got a team") == "None of the calls got a team."


def test_a_cost_card_without_a_budget_says_so_in_plain_words(boards):
    for page in FILES:
        card = boards[3]["contexts"][page]["cost"]["card"]
        assert card["value_text"] == "No budget"
        assert card["sentence"].startswith("No budget figure was provided for ")
        assert "config" not in card["sentence"] + card["counts_text"]


def test_metric_definitions_csv_one_plain_row_per_published_metric(written):
    out, files = written
    path = out / "council" / "metric_definitions.csv"
    assert path.is_file()
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    # The 11 metrics the pages show, and cost per response.
    assert [r["metric_id"] for r in rows] == [*council.METRICS_SHOWN, "cost_per_response"]
    assert list(rows[0]) == ["metric_id", "Figure", "What it means", "What is counted", "Out of", "Dated by", "Caveats"]
    for row in rows:
        plain = " ".join(v for k, v in row.items() if k != "metric_id")
        assert not TECHNICAL.findall(plain), (row["metric_id"], TECHNICAL.findall(plain))
        assert row["Figure"] and row["What it means"]
    by_id = {r["metric_id"]: r for r in rows}
    assert by_id["eligible_answered_rate"]["Out of"] == "eligible 911 calls received in the period"
    # The header's "by the log's pseudonymous person key" and "ALL counts" in plain words.
    assert by_id["people_reached"]["What it means"] == (
        "Distinct people HEART responded to in the period, each person counted once. The all-units figure counts "
        "each person once across every unit, Care Navigation included.")
    # Linked from every page.
    for name in FILES.values():
        assert 'href="metric_definitions.csv"' in (out / "council" / name).read_text(encoding="utf-8")


def test_every_trend_chart_carries_the_program_milestones(boards):
    board = boards[3]
    # 30 Oct, 9, 11, 13 Mar. The launch days are folded into November (coarsen.py): the first bar spans
    # 1 Oct to 1 Dec (61 days), so 30 Oct sits 29/61 into it; March is the fifth bar.
    want = [0 - 0.5 + 29 / 61, 4 - 0.5 + 8 / 31, 4 - 0.5 + 10 / 31, 4 - 0.5 + 12 / 31]
    # Responses by unit are by fiscal quarter (a unit has a month under 3): Nov-Jan with the launch days
    # (1 Oct to 1 Feb, 123 days) and Feb-Apr (1 Feb to 1 Apr 2024 so far drawn: 60 days; 9 Mar is day 37).
    by_quarter = [0 - 0.5 + 29 / 123, 1 - 0.5 + 37 / 60, 1 - 0.5 + 39 / 60, 1 - 0.5 + 41 / 60]
    for name in FILES.values():
        parsed = board["parsed"][name]
        trends = [k for k in parsed.scripts if k.startswith("chart-monthly-")]
        assert len(trends) == 3, trends
        for key in trends:
            layout = json.loads(parsed.scripts[key])["layout"]
            lines = [s for s in layout["shapes"] if s.get("name") == "milestone"]
            assert [s["x0"] for s in lines] == pytest.approx(by_quarter if "monthly-responses" in key else want)
            labels = [a["text"] for a in layout["annotations"] if a.get("name") == "milestone"]
            assert labels == ["Program launch", "7 days 8am-7pm", "Fixture phase 2", "Beat 211 added"]
        # ... and the tables name them in the month they took effect.
        rows = {e.get("data-table"): e for e in parsed.found if e.get("data-table") == "monthly-share-answered"}
        assert rows
    table = board["contexts"]["all"]["months"][0].chart.table
    assert table.columns[-1] == "Program change"
    assert table.rows[0][-1] == "Program launch (30 Oct 2023)"     # in Oct-Nov 2023, with the launch days
    assert table.rows[4][-1] == ("7 days 8am-7pm (9 Mar 2024); Fixture phase 2: trespass added (11 Mar 2024); "
                                 "Beat 211 added (13 Mar 2024)")
    assert [r[-1] for r in table.rows[1:4]] == ["", "", ""]


def test_a_jump_in_the_share_answered_is_tied_to_its_milestone():
    months = [council.Month(date(2023, 10, 1), date(2023, 11, 1)), council.Month(date(2023, 11, 1), date(2023, 12, 1))]
    shown = [milestones.Milestone(date(2023, 10, 23), "Citywide expansion", "Citywide expansion")]
    assert milestones.jump_sentence(shown, months, [0.20, 0.51]) == (
        "The share of eligible calls answered rose from 20% in Oct 2023 to 51% in Nov 2023, "
        "after the program change of 23 Oct 2023: Citywide expansion.")
    # A change under 10 points is no jump: the milestones are listed instead.
    assert milestones.jump_sentence(shown, months, [0.20, 0.25]) == (
        "Program changes in this period: Citywide expansion (23 Oct 2023).")


def test_a_fiscal_year_under_a_quarter_has_no_page_and_its_days_are_launch_days(boards, written):
    out, files = written
    # No page for FY2022–23 (two days), and the stale one from an earlier build is gone.
    assert sorted(p.name for p in files) == ["council-fy2023-24.html", "council-to-date.html"]
    assert not (out / "council" / "council-fy2022-23.html").exists()
    board = boards[3]
    page = board["pages"][FILES["fy2023-24"]]
    assert "council-fy2022-23.html" not in page and "FY2022\u201323" not in visible_text(page)
    launch = [e for e in board["parsed"][FILES["fy2023-24"]].found if "data-launch-days" in e][0]["_text"]
    launch = re.sub(r"\s+", " ", launch)
    assert "Mon 30 Oct 2023 to Tue 31 Oct 2023" in launch and "2 days before this fiscal year" in launch
    # Its counts are folded into FY2023-24 (pipeline/disclosure/coarsen.py): the launch days have no figures
    # of their own anywhere, and the section says every figure on the page holds them.
    assert "every figure on this page includes them" in launch and "eligible calls" not in launch
    # The launch days' month is folded into the page's first month, marked.
    table = board["contexts"]["fy2023-24"]["months"][0].chart.table
    assert [r[0] for r in table.rows][:2] == ["Oct\u2013Nov 2023 (with launch days)", "Dec 2023"]
    # FY2023–24's data stop on 17 Mar 2024: a partial year, labelled with its dates (from the launch days on).
    assert "partial: Mon 30 Oct 2023 to Sun 17 Mar 2024" in visible_text(page)


def test_the_phone_reads_the_headline_then_the_trend(boards):
    """The first four cards, then the share-answered chart, come before everything else on the page."""
    page = boards[3]["pages"][FILES["all"]]
    headline = page.index('id="headline"')
    trend_chart = page.index('data-figure="monthly-share-answered"')
    first_other_card = page.index('data-metric="diversion_rate"')
    assert headline < trend_chart < first_other_card
    assert page[headline:trend_chart].count('class="card"') == 4
    # The print summary's stylesheet is written into the page, like every stylesheet (it opens alone).
    assert '<style data-asset="print.css"' in page


def test_the_print_summary_is_two_pages(boards, tmp_path):
    """Printed with headless Chromium, each council page is two pages: headline and trend, then demand."""
    import subprocess

    from browser import find_chromium
    chromium = find_chromium()
    if chromium is None:
        pytest.skip("no Chromium to print with")
    for path in boards[3]["files"]:
        pdf = tmp_path / f"{path.stem}.pdf"
        subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                        "--virtual-time-budget=8000", f"--print-to-pdf={pdf}", path.resolve().as_uri()],
                       capture_output=True, timeout=120, check=False)
        counts = re.findall(rb"/Type\s*/Pages\b.*?/Count (\d+)|/Count (\d+)", pdf.read_bytes())
        assert counts, path.name
        pages = max(int(a or b) for a, b in counts)
        assert pages == 2, (path.name, pages)
