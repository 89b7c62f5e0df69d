"""Rendering reports: one Jinja2 environment with autoescape, the number formats, the shared assets.

Every report is a static file that must open from file:// with no network, so
the chart library, the stylesheet and the small chart script are written once
into `<reports>/assets/` and each report links them with a relative path.
plotly.min.js is 4.8 MB: inlining it per report would make each weekly file
that large.

Autoescape is on for every template: strings that came from input (file
names, codes) are escaped wherever they appear. Chart specifications are
embedded with Jinja's `tojson`, which escapes <, >, & and ' so a value can
never close the <script> element that holds it.
"""

from __future__ import annotations

import html.parser
import os
import tempfile
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from importlib import resources
from pathlib import Path

import jinja2

ASSETS_DIR = "assets"
PLOTLY_FILE = "plotly.min.js"
STATIC_FILES = ("report.css", "charts.js", "print.css")   # print.css: the council print summary
META_PREFIX = "heart-"


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
    """plotly.min.js and the static files, read once per process (a backfill renders 100+ pages)."""
    import plotly.offline

    contents = {PLOTLY_FILE: plotly.offline.get_plotlyjs()}
    static = resources.files("pipeline.reports") / "static"
    for name in STATIC_FILES:
        contents[name] = (static / name).read_text(encoding="utf-8")
    return contents


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
    text = environment().get_template(template).render(
        meta=meta, meta_tags=meta.tags(), meta_prefix=META_PREFIX, assets=f"{root}{ASSETS_DIR}/", root=root,
        **context,
    )
    write_atomic(target, text)
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
