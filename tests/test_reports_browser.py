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

A full-page screenshot of each report is saved to
test-artifacts/screenshots/ (or $HEART_TEST_ARTIFACTS/screenshots/), named
after its path in the reports folder with / as __.

Without a Chromium binary the module is skipped, unless HEART_REQUIRE_BROWSER=1
(as in .ci/run), where that is an error. $HEART_CHROMIUM picks the binary.
"""

from __future__ import annotations

import os
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from browser import CHROMIUM_ENV, Browser, PageResult, find_chromium
from pipeline import warehouse

REQUIRED = os.environ.get("HEART_REQUIRE_BROWSER") == "1"

NO_BROWSER = None if find_chromium() else (
    (f"$HEART_CHROMIUM={os.environ[CHROMIUM_ENV]!r} is not an executable" if os.environ.get(CHROMIUM_ENV)
     else "no Chromium binary (chromium, chromium-browser or google-chrome) on PATH")
    + ": the reports were not checked in a browser (install the `chromium` package or set $HEART_CHROMIUM)")
if NO_BROWSER and not REQUIRED:
    pytest.skip(NO_BROWSER, allow_module_level=True)

REPO = Path(__file__).resolve().parents[1]
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
    return root / "pages"


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
    for page, result in zip(pages, browser.open_many(pages, probes=PROBES)):
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
