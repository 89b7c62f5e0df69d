"""Every report, opened in headless Chromium: no console errors, no network, every chart drawn.

The reports must open from file:// with no server and no network, so each one
is loaded in a real browser (tests/browser.py drives Chromium over the DevTools
protocol) and must:

- log no console error, uncaught exception or failed load;
- ask for nothing but file: (and data:) URLs;
- draw every chart: each `[data-chart-spec]` element gets data-drawn="true" from
  charts.js and holds plotly's svg;
- have a title, and leave `window.__heart_canary` undefined (the canary input
  plants `<script>window.__heart_canary=1</script>`; see test_report_privacy.py).

Every page is also audited with axe-core (injected over CDP after the charts
are drawn) at 1366 and at 390 px, and must have no violation; on a phone the page
must not scroll sideways, legends sit below their plots and no axis label is
cut off. A page copied alone into an empty folder (an e-mail attachment) keeps
its styles and shows each chart's table; a self-contained page draws its charts.

A full-page screenshot of each report is saved to
test-artifacts/screenshots/ (or $HEART_TEST_ARTIFACTS/screenshots/), named
after its path in the reports folder with / as __; the 390 px ones in phone/.

Without a Chromium binary the module is skipped, unless HEART_REQUIRE_BROWSER=1
(as in .ci/run), where that is an error. $HEART_CHROMIUM picks the binary. The
same holds for axe-core: .ci/run installs it (`npm install --prefix .ci-tools
axe-core@4.14.1`); $HEART_AXE names another axe.min.js.
"""

from __future__ import annotations

import os
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from browser import AXE_ENV, CHROMIUM_ENV, Browser, PageResult, find_axe, find_chromium
from pipeline import warehouse

REQUIRED = os.environ.get("HEART_REQUIRE_BROWSER") == "1"

NO_BROWSER = None if find_chromium() else (
    (f"$HEART_CHROMIUM={os.environ[CHROMIUM_ENV]!r} is not an executable" if os.environ.get(CHROMIUM_ENV)
     else "no Chromium binary (chromium, chromium-browser or google-chrome) on PATH")
    + ": the reports were not checked in a browser (install the `chromium` package or set $HEART_CHROMIUM)")
if NO_BROWSER and not REQUIRED:
    pytest.skip(NO_BROWSER, allow_module_level=True)

REPO = Path(__file__).resolve().parents[1]
AXE = find_axe(REPO)
NO_AXE = None if AXE else (
    f"no axe-core: ${AXE_ENV} is not set to an axe.min.js and .ci-tools/node_modules/axe-core/axe.min.js is missing "
    "(`npm install --prefix .ci-tools axe-core@4.14.1`)")
PHONE_WIDTH = 390
# Structure every page must have: a skip link and main landmark, a text summary beside every chart, a
# caption on every table, no plotly modebar.
STRUCTURE_JS = """(() => ({
  skip_link: !!document.querySelector('a.skip-link[href="#main"]'),
  main: !!document.querySelector('main#main'),
  charts_without_summary: Array.from(document.querySelectorAll('figure.chart')).filter(f =>
    !(f.querySelector('[data-summary]') && f.querySelector('[data-summary]').textContent.trim())).map(f => f.id),
  tables_without_caption: Array.from(document.querySelectorAll('table')).filter(t => !t.caption).length,
  modebars: document.querySelectorAll('.modebar-btn, .modebar a, .modebar button').length,
}))()"""
# On a phone: the page's width, legends that are not below their plot area, tick labels outside the chart.
PHONE_JS = """(() => {
  const legendAbove = [], clipped = [];
  document.querySelectorAll('[data-drawn="true"]').forEach(plot => {
    const svg = plot.querySelector('svg.main-svg').getBoundingClientRect();
    const area = plot.querySelector('.bglayer rect, .nsewdrag');
    const legend = plot.querySelector('g.legend');
    if (legend && area && legend.getBoundingClientRect().top < area.getBoundingClientRect().bottom - 1) {
      legendAbove.push(plot.getAttribute('data-chart-spec'));
    }
    plot.querySelectorAll('g.xtick text, g.ytick text, g.g-xtitle text, g.g-ytitle text, text.bartext').forEach(t => {
      const b = t.getBoundingClientRect();
      if (b.width && (b.left < svg.left - 1 || b.right > svg.right + 1 || b.top < svg.top - 1 || b.bottom > svg.bottom + 1)) {
        clipped.push(plot.getAttribute('data-chart-spec') + ': ' + t.textContent);
      }
    });
  });
  return {page_width: document.documentElement.scrollWidth, legend_above: legendAbove, clipped_labels: clipped};
})()"""
# A page opened alone: is its stylesheet applied, and did every chart turn into a note and an open table?
ALONE_JS = """(() => ({
  header_background: getComputedStyle(document.querySelector('header.report-head')).backgroundColor,
  charts_given_up: document.querySelectorAll('.chart-missing').length,
  notes: Array.from(document.querySelectorAll('.chart-missing')).filter(n => /table below/.test(n.textContent)).length,
  tables_open: document.querySelectorAll('figure.chart details[open] table').length,
  svg: document.querySelectorAll('figure.chart svg').length,
}))()"""
ARTIFACTS = Path(os.environ.get("HEART_TEST_ARTIFACTS") or REPO / "test-artifacts")
SCREENSHOTS = ARTIFACTS / "screenshots"

BUILT = datetime(2024, 3, 18, 6, 0, tzinfo=timezone.utc)
# Report kinds: the glob for their files in the reports folder, and whether they have charts.
KINDS = {
    "index": ("index.html", False),
    "weekly": ("weekly/*.html", True),
    "council": ("council/*.html", True),
    "quality": ("quality/*.html", True),
    "dictionary": ("dictionary/*.html", False),
}
PROBES = {"canary": "typeof window.__heart_canary"}
# The week the canary rows fall in (the CAD export of 2024-03-18 plants them on 5 and 6 March).
CANARY_WEEKS = [date(2024, 3, 4)]


def build_reports(warehouse_and_program, out: Path, **options) -> list[Path]:
    """build_all_reports into `out`; skipped (unless HEART_REQUIRE_BROWSER=1) while a report module is missing."""
    path, program = warehouse_and_program
    try:
        from pipeline.reports.build import build_all_reports

        with warehouse.connect(path) as con:
            return build_all_reports(con, out, program, built_at=BUILT, **options)
    except ImportError as exc:
        if REQUIRED:
            raise
        pytest.skip(f"build_all_reports raised ImportError ({exc}): a report module "
                    "(pipeline/reports/weekly.py, council.py or quality.py) is not written yet")


def problems(result: PageResult) -> list[str]:
    found = result.problems()
    if not result.title.strip():
        found.append("empty <title>")
    if result.probes.get("canary") != "undefined":
        found.append(f"window.__heart_canary is {result.probes.get('canary')}: input ran as script")
    return found


def screenshot_name(reports_dir: Path, page: Path) -> str:
    return page.relative_to(reports_dir).as_posix().replace("/", "__").removesuffix(".html") + ".png"


@pytest.fixture(scope="module")
def browser():
    if NO_BROWSER:   # and HEART_REQUIRE_BROWSER=1: fail every browser test, not the whole session
        pytest.fail(f"HEART_REQUIRE_BROWSER=1 but {NO_BROWSER}", pytrace=False)
    with Browser() as b:
        yield b


@pytest.fixture(scope="module")
def reports(metrics_small_warehouse, tmp_path_factory) -> tuple[Path, list[Path]]:
    out = tmp_path_factory.mktemp("browser_reports")
    return out, build_reports(metrics_small_warehouse, out)


# -- the harness can fail --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def harness_pages(tmp_path_factory) -> Path:
    """A page with a chart (loading the real shared assets), and a page that misbehaves."""
    from pipeline.reports.render import write_shared_assets

    root = tmp_path_factory.mktemp("browser_harness")
    write_shared_assets(root)
    (root / "pages").mkdir()
    (root / "pages" / "chart.html").write_text(
        '<!doctype html><html><head><meta charset="utf-8"><title>One chart</title></head><body>\n'
        '<div data-chart-spec="x-spec"></div>\n'
        '<script type="application/json" id="x-spec">'
        '{"data":[{"type":"bar","x":["a","b"],"y":[1,2]}],"layout":{"height":300}}</script>\n'
        '<script src="../assets/plotly.min.js"></script><script src="../assets/charts.js"></script>\n'
        "</body></html>\n", encoding="utf-8")
    (root / "pages" / "broken.html").write_text(
        '<!doctype html><html><head><meta charset="utf-8"><title>Broken</title></head><body>\n'
        '<img src="http://example.invalid/x.png" alt="">\n'
        '<div data-chart-spec="missing-spec"></div>\n'
        '<script>console.error("deliberate console error"); window.__heart_canary = 1;</script>\n'
        '<script>undefinedFunction();</script>\n'
        '<script src="../assets/no-such-file.js"></script>\n'
        "</body></html>\n", encoding="utf-8")
    (root / "pages" / "inaccessible.html").write_text(
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Faults</title></head><body><main>\n'
        '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">\n'
        '<div role="img" aria-label="a chart"><button>Zoom</button></div>\n'
        "</main></body></html>\n", encoding="utf-8")
    return root / "pages"


def test_harness_audit_finds_accessibility_faults(browser, harness_pages):
    """The same faults the reports had: a focusable button inside role=img (plotly's modebar), an unlabelled image."""
    result = browser.open(harness_pages / "inaccessible.html", axe=axe_or_skip())
    assert {v["id"] for v in result.axe_violations} >= {"nested-interactive", "image-alt"}
    assert any("nested-interactive" in line for line in result.axe_text())


def test_harness_sees_a_drawn_chart(browser, harness_pages):
    result = browser.open(harness_pages / "chart.html", probes=PROBES)
    assert problems(result) == []
    assert (result.charts, result.charts_drawn, result.timed_out) == (1, 1, False)
    assert result.title == "One chart"
    assert result.requests[0] == result.url
    assert all(url.startswith("file:") for url in result.requests)
    assert any(url.endswith("/assets/plotly.min.js") for url in result.requests)
    assert result.screenshot_png.startswith(b"\x89PNG\r\n\x1a\n")


def test_harness_reports_console_errors_external_requests_and_undrawn_charts(browser, harness_pages):
    # Generous: on two loaded CI cores, parsing plotly.min.js alone can take over a second.
    result = browser.open(harness_pages / "broken.html", probes=PROBES, timeout=5)
    errors = "\n".join(result.console_errors)
    assert "deliberate console error" in errors
    assert "undefinedFunction is not defined" in errors
    assert result.external_requests == ["http://example.invalid/x.png"]
    assert any("no-such-file.js" in failed for failed in result.failed_requests)
    assert (result.charts, result.charts_drawn, result.undrawn_charts) == (1, 0, ["missing-spec"])
    assert result.timed_out
    found = "\n".join(problems(result))
    for expected in ("console error", "external request", "failed request", "charts not drawn",
                     "__heart_canary is number"):
        assert expected in found


# -- the reports ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def opened(browser, reports) -> dict[str, PageResult]:
    """Every report page opened (two at a time), keyed by its path in the reports folder; screenshots saved."""
    reports_dir, _ = reports
    pages = sorted(p for pattern, _ in KINDS.values() for p in reports_dir.glob(pattern))
    for stale in SCREENSHOTS.glob("*.png"):   # the folder shows this run's reports only
        stale.unlink()
    results = {}
    for stale in (SCREENSHOTS / "phone").glob("*.png"):
        stale.unlink()
    axe = AXE.read_text(encoding="utf-8") if AXE else None
    for page, result in zip(pages, browser.open_many(pages, probes=PROBES, axe=axe)):
        result.save_screenshot(SCREENSHOTS / screenshot_name(reports_dir, page))
        results[page.relative_to(reports_dir).as_posix()] = result
    return results


def test_every_report_file_is_of_a_known_kind(reports):
    reports_dir, written = reports
    pages = {p for p in reports_dir.rglob("*.html") if p.relative_to(reports_dir).parts[0] != "assets"}
    covered = {p for pattern, _ in KINDS.values() for p in reports_dir.glob(pattern)}
    assert pages == covered, f"not opened in the browser: {sorted(pages - covered)}"
    assert {p.resolve() for p in written} <= {p.resolve() for p in covered}


@pytest.mark.parametrize("kind", list(KINDS))
def test_report_opens_cleanly_in_a_browser(reports, opened, kind):
    reports_dir, _ = reports
    pattern, has_charts = KINDS[kind]
    names = sorted(p.relative_to(reports_dir).as_posix() for p in reports_dir.glob(pattern))
    assert names, f"no {kind} report ({pattern}) was built"
    failures = {}
    for name in names:
        result = opened[name]
        found = problems(result)
        if has_charts and result.charts == 0:
            found.append("no chart at all")
        if not has_charts and result.charts:
            found.append(f"{result.charts} charts where none are expected")
        if found:
            failures[name] = found
    assert failures == {}, f"screenshots in {SCREENSHOTS}"


def test_canary_reports_run_no_input_as_script(browser, canary_warehouse, tmp_path_factory):
    """The reports built from input with <script>window.__heart_canary=1</script> planted in it."""
    out = tmp_path_factory.mktemp("browser_canary_reports")
    build_reports(canary_warehouse, out, weeks=CANARY_WEEKS)
    pages = sorted(p for pattern, _ in KINDS.values() for p in out.glob(pattern))
    assert len(pages) >= len(KINDS)
    failures = {}
    for page, result in zip(pages, browser.open_many(pages, probes=PROBES, screenshot=False)):
        if found := problems(result):
            failures[page.relative_to(out).as_posix()] = found
    assert failures == {}


# -- accessibility (axe-core), phone layout, pages opened on their own -------------------------------

def axe_or_skip() -> str:
    """axe.min.js's text; without it the test is skipped, or fails under HEART_REQUIRE_BROWSER=1."""
    if AXE is None:
        if REQUIRED:
            pytest.fail(f"HEART_REQUIRE_BROWSER=1 but {NO_AXE}", pytrace=False)
        pytest.skip(NO_AXE)
    return AXE.read_text(encoding="utf-8")


def test_axe_core_finds_no_violation_on_any_report(opened):
    axe_or_skip()
    failures = {name: result.axe_text() for name, result in opened.items() if result.axe_violations}
    assert all(result.axe_violations is not None for result in opened.values())
    assert failures == {}, f"screenshots in {SCREENSHOTS}"


def test_every_chart_has_a_text_summary_and_every_table_a_caption(reports, browser):
    reports_dir, _ = reports
    pages = sorted(p for pattern, _ in KINDS.values() for p in reports_dir.glob(pattern))
    for page, result in zip(pages, browser.open_many(pages, probes={"layout": STRUCTURE_JS}, screenshot=False)):
        found = result.probes["layout"]
        name = page.relative_to(reports_dir).as_posix()
        assert found["charts_without_summary"] == [], name
        assert found["tables_without_caption"] == 0, name
        assert found["modebars"] == 0, name
        assert found["skip_link"] and found["main"], name


@pytest.fixture(scope="module")
def phone(reports) -> dict[str, PageResult]:
    """Every report at 390 px (a phone), audited by axe when it is installed; screenshots saved."""
    reports_dir, _ = reports
    pages = sorted(p for pattern, _ in KINDS.values() for p in reports_dir.glob(pattern))
    with Browser(width=PHONE_WIDTH, height=844) as b:
        results = b.open_many(pages, probes={**PROBES, "layout": PHONE_JS},
                              axe=AXE.read_text(encoding="utf-8") if AXE else None)
    for page, result in zip(pages, results):
        result.save_screenshot(SCREENSHOTS / "phone" / screenshot_name(reports_dir, page))
    return {p.relative_to(reports_dir).as_posix(): r for p, r in zip(pages, results)}


def test_reports_read_on_a_phone(phone):
    failures = {}
    for name, result in phone.items():
        found = problems(result)
        layout = result.probes["layout"]
        if layout["page_width"] > PHONE_WIDTH:
            found.append(f"the page scrolls sideways: {layout['page_width']} px wide")
        found += [f"legend not below the plot: {c}" for c in layout["legend_above"]]
        found += [f"label cut off: {c}" for c in layout["clipped_labels"]]
        if found:
            failures[name] = found
    assert failures == {}, f"screenshots in {SCREENSHOTS / 'phone'}"


def test_axe_core_finds_no_violation_on_a_phone(phone):
    axe_or_skip()
    assert {name: r.axe_text() for name, r in phone.items() if r.axe_violations} == {}


def test_a_page_sent_alone_keeps_its_styles_and_shows_its_tables(reports, browser, tmp_path):
    """A weekly page copied into an empty folder (an e-mail attachment): styled, charts become tables."""
    reports_dir, _ = reports
    (page,) = sorted(reports_dir.glob("weekly/*.html"))[:1]
    alone = tmp_path / page.name
    alone.write_bytes(page.read_bytes())
    result = browser.open(alone, probes={**PROBES, "alone": ALONE_JS},
                          axe=AXE.read_text(encoding="utf-8") if AXE else None)
    result.save_screenshot(SCREENSHOTS / "alone" / "weekly-alone.png")
    # The one thing missing is the shared chart library; everything else is in the file. (Its charts are
    # not drawn: they are checked below to have become notes and tables.)
    missing = [p for p in problems(result) if "plotly.min.js" not in p and "charts not drawn" not in p]
    assert missing == []
    assert any("plotly.min.js" in u for u in result.failed_requests)
    found = result.probes["alone"]
    assert found["header_background"] == "rgb(11, 61, 92)", "report.css is not in the page"
    assert result.charts > 0 and found["charts_given_up"] == result.charts
    assert found["notes"] == result.charts and found["tables_open"] == result.charts
    assert found["svg"] == 0
    assert not result.axe_violations


def test_a_self_contained_page_sent_alone_draws_its_charts(metrics_small_warehouse, browser, tmp_path, monkeypatch):
    from pipeline.reports import render, weekly

    monkeypatch.setenv(render.SELF_CONTAINED_ENV, "1")
    path, _ = metrics_small_warehouse
    with warehouse.connect(path) as con:
        page = weekly.write_weekly_report(con, tmp_path / "built", date(2024, 3, 4), BUILT)
    alone = tmp_path / "alone" / page.name
    alone.parent.mkdir()
    alone.write_bytes(page.read_bytes())
    result = browser.open(alone, probes={**PROBES, "alone": ALONE_JS})
    assert problems(result) == []
    assert [u for u in result.requests if u.startswith("file:")] == [result.url]   # nothing from beside it
    assert result.charts > 0 and result.charts_drawn == result.charts
    assert result.probes["alone"]["header_background"] == "rgb(11, 61, 92)"
