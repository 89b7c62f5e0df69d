"""Rendering reports: one Jinja2 environment with autoescape, the number formats, the shared assets.

Every report is a static file that must open from file:// with no network, and
on its own: a page e-mailed as an attachment, with no folder beside it. So the
stylesheets (every .css file in static/, linked or not) and the small chart
script are written INTO each page, and the chart data is inline JSON. Only the
chart library, plotly.min.js (4.8 MB), is shared: written once into
`<reports>/assets/` and loaded with a relative path, so a weekly file stays
small. A page opened without it shows each chart's table with a one-line note
(charts.js). A self-contained build (`heart run --self-contained`, or
$HEART_SELF_CONTAINED=1) writes plotly.min.js into every page as well.

Templates keep plain `<link rel="stylesheet" href="{{ assets }}x.css">` and
`<script src="{{ assets }}x.js">` tags; `inline_assets` swaps each one that
names a file of static/ (or plotly.min.js in a self-contained build) for the
file's text. Only template tags can match: input strings are escaped, so they
never hold a `<link` or `<script`.

Autoescape is on for every template: strings that came from input (file
names, codes) are escaped wherever they appear. Chart specifications are
embedded with Jinja's `tojson`, which escapes <, >, & and ' so a value can
never close the <script> element that holds it.
"""

from __future__ import annotations

import html.parser
import os
import re
import tempfile
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from importlib import resources
from pathlib import Path

import jinja2

from pipeline.settings import SELF_CONTAINED_ENV

ASSETS_DIR = "assets"
PLOTLY_FILE = "plotly.min.js"
META_PREFIX = "heart-"


def self_contained() -> bool:
    """True when pages carry the chart library too (`heart run --self-contained` sets the variable)."""
    return os.environ.get(SELF_CONTAINED_ENV, "") not in ("", "0")


@cache
def environment() -> jinja2.Environment:
    """One environment per process: templates compile once, not once per page."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("pipeline.reports", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(count=fmt_count, pct=fmt_pct, number=fmt_number, minutes=fmt_minutes, day=fmt_day,
                       stamp=fmt_stamp, signed=fmt_signed)
    return env


def fmt_count(value) -> str:
    return "" if value is None else f"{value:,.0f}"


def fmt_number(value, digits: int = 1) -> str:
    return "" if value is None else f"{value:,.{digits}f}"


def fmt_pct(value, digits: int = 1) -> str:
    return "" if value is None else f"{100 * value:.{digits}f}%"


def fmt_minutes(value) -> str:
    return "" if value is None else f"{value:.1f} min"


def fmt_signed(value, digits: int = 0) -> str:
    """A change: +12, −3 (true minus sign), 0."""
    if value is None:
        return ""
    text = f"{abs(value):,.{digits}f}"
    if round(value, digits) == 0:
        return text
    return ("+" if value > 0 else "\u2212") + text


def fmt_day(value: date | None) -> str:
    return "" if value is None else f"{value:%a %-d %b %Y}"


def fmt_stamp(value: datetime | None) -> str:
    return "" if value is None else value.strftime("%Y-%m-%d %H:%M %Z").strip()


@dataclass(frozen=True)
class ReportMeta:
    """What the index needs to know about a report; written as <meta name="heart-..."> tags."""

    kind: str            # weekly | council | quality
    title: str
    data_from: date      # first local day the report's figures cover
    data_to: date        # last local day (inclusive)
    built_at: datetime

    def tags(self) -> dict[str, str]:
        return {
            "report": self.kind, "title": self.title, "data-from": self.data_from.isoformat(),
            "data-to": self.data_to.isoformat(), "built-at": self.built_at.isoformat(timespec="seconds"),
        }


def write_shared_assets(reports_dir: Path) -> Path:
    """Write plotly.min.js, report.css and charts.js into <reports>/assets (only when they changed)."""
    assets = reports_dir / ASSETS_DIR
    assets.mkdir(parents=True, exist_ok=True)
    for name, text in _shared_asset_texts().items():
        target = assets / name
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            write_atomic(target, text)
    return assets


@cache
def _shared_asset_texts() -> dict[str, str]:
    """plotly.min.js and every file of static/, read once per process (a backfill renders 100+ pages).

    The static files are still written to assets/ (a reader may want them), though every page inlines them.
    """
    import plotly.offline

    contents = {PLOTLY_FILE: plotly.offline.get_plotlyjs()}
    static = resources.files("pipeline.reports") / "static"
    for entry in sorted(static.iterdir(), key=lambda e: e.name):
        if entry.name.endswith((".css", ".js")):
            contents[entry.name] = entry.read_text(encoding="utf-8")
    return contents


_BARE_WRAP = '<div class="table-wrap">'
_LINK = re.compile(r'<link\b(?=[^>]*\brel="stylesheet")[^>]*\bhref="(?P<href>[^"]+)"[^>]*>')
_SCRIPT = re.compile(r'<script\b[^>]*\bsrc="(?P<href>[^"]+)"[^>]*>\s*</script>')
_MEDIA = re.compile(r'\bmedia="([^"]*)"')


def inline_assets(text: str, assets: str, *, plotly: bool = False) -> str:
    """`text` with each stylesheet link and script tag naming one of our asset files replaced by its text.

    `assets` is the relative prefix the page used (e.g. "../assets/"). plotly.min.js is inlined only when
    `plotly` is true; other links (or names not in static/) are left as they are. A stylesheet's media
    attribute is kept (print.css linked with media="print" stays print-only).
    """
    files = _shared_asset_texts()

    def asset(href: str) -> str | None:
        name = href.removeprefix(assets) if href.startswith(assets) else None
        if name is None or name not in files or (name == PLOTLY_FILE and not plotly):
            return None
        return files[name]

    def style(match: re.Match) -> str:
        css = asset(match["href"])
        if css is None:
            return match[0]
        media = _MEDIA.search(match[0])
        # "</" cannot occur in our CSS, but a stray one would end the element early.
        return (f'<style data-asset="{match["href"].removeprefix(assets)}"'
                + (f' media="{media[1]}"' if media else "") + ">\n" + css.replace("</", "<\\/") + "\n</style>")

    def script(match: re.Match) -> str:
        js = asset(match["href"])
        if js is None:
            return match[0]
        # A script element ends at the first "</script": escape any (a JS string keeps "<\/" as "</").
        return (f'<script data-asset="{match["href"].removeprefix(assets)}">\n'
                + re.sub(r"</(script)", r"<\\/\1", js, flags=re.IGNORECASE) + "\n</script>")

    return _SCRIPT.sub(script, _LINK.sub(style, text))


def write_atomic(path: Path, text: str) -> None:
    """Write via a temporary file and rename, so a reader never opens half a report."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def render_report(reports_dir: Path, relative_path: str, template: str, meta: ReportMeta, **context) -> Path:
    """Render `template` into <reports>/<relative_path>, with the shared assets beside it."""
    write_shared_assets(reports_dir)
    target = reports_dir / relative_path
    depth = len(Path(relative_path).parts) - 1
    root = "../" * depth
    assets = f"{root}{ASSETS_DIR}/"
    text = environment().get_template(template).render(
        meta=meta, meta_tags=meta.tags(), meta_prefix=META_PREFIX, assets=assets, root=root, **context,
    )
    # A table box a template left bare (without the label the shared macro gives) still scrolls by keyboard,
    # under a name of its own (landmarks must differ).
    bare = iter(range(1, text.count(_BARE_WRAP) + 1))
    text = re.sub(re.escape(_BARE_WRAP), lambda _: (f'<div class="table-wrap" tabindex="0" role="region" '
                                                   f'aria-label="Table {next(bare)} of this page">'), text)
    write_atomic(target, inline_assets(text, assets, plotly=self_contained()))
    return target


class _MetaReader(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        if tag != "meta":
            return
        attrs = dict(attrs)
        name = attrs.get("name") or ""
        if name.startswith(META_PREFIX) and attrs.get("content") is not None:
            self.values[name.removeprefix(META_PREFIX)] = attrs["content"]


def read_meta(path: Path) -> ReportMeta | None:
    """The ReportMeta of a report file written by render_report; None for any other file."""
    reader = _MetaReader()
    with path.open(encoding="utf-8") as fh:
        # The meta tags are in <head>; no need to parse a whole report.
        reader.feed(fh.read(8192))
    v = reader.values
    try:
        return ReportMeta(
            kind=v["report"], title=v["title"], data_from=date.fromisoformat(v["data-from"]),
            data_to=date.fromisoformat(v["data-to"]), built_at=datetime.fromisoformat(v["built-at"]),
        )
    except (KeyError, ValueError):
        return None
