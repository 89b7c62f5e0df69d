"""Chart specifications for the reports: aggregates only, each with the table of numbers behind it.

A Chart holds a plotly figure as plain JSON (drawn in the browser by
assets/charts.js with the shared plotly.min.js) plus a caption and the same
numbers as a table, so a reader without the chart (print, screen reader, no
JavaScript) still has every figure.

Colour never carries meaning alone: series also differ by bar pattern or by
line dash and marker, values are written on the bars and heat-map cells, and
the palette is Okabe-Ito (distinguishable with the common colour-vision
deficiencies); the heat map uses cividis, reversed so that darker is more.

Every chart also carries a one-sentence text summary computed from its own
numbers (the largest value, the latest point and its change, in words): the
plot is an image for a screen reader, named by its title and that summary.
Legends sit below the plot and every axis label has automargin, so nothing is
clipped or overlapped on a 390-pixel phone screen.

Plotly renders text as a small HTML subset, so every label is HTML-escaped
before it goes into a figure (plotly shows &lt; as "<"): a call type named
"<script>" is drawn as text.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import plotly.graph_objects as go

# Okabe & Ito (2008), without yellow (too faint on white for thin lines).
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000")
PATTERNS = ("", "/", ".", "x", "-", "|", "+")
DASHES = ("solid", "dash", "dot", "dashdot", "longdash", "longdashdot", "solid")
# Filled and open markers alternate, and each later line is drawn thinner, so two lines that run on top of
# each other still show both (a thin dashed line with open squares over a thick solid one with dots).
SYMBOLS = ("circle", "square-open", "diamond", "triangle-up-open", "x", "cross-open", "star")
WIDTHS = (3.5, 2.5, 1.8, 1.8, 1.5, 1.5, 1.5)
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"


@dataclass
class Table:
    columns: list[str]
    rows: list[list[str]] = field(default_factory=list)
    note: str = ""
    caption: str = ""   # the table's <caption> (a chart's table is captioned with the chart's title)


@dataclass
class Chart:
    chart_id: str
    title: str
    caption: str
    spec: dict
    table: Table
    summary: str = ""   # the key figure and trend in words, from the chart's own numbers

    @property
    def dom_id(self) -> str:
        return "chart-" + re.sub(r"[^a-z0-9-]+", "-", self.chart_id.lower())


def label(text) -> str:
    """A category or series name as plotly must receive it: HTML-escaped."""
    return html.escape(str(text), quote=False)


AXIS_TITLE_LINE = 28   # characters: about what a 390-pixel phone screen holds across a chart
# A horizontal bar's category name beside the axis: on a 390-pixel phone one long name on a line took
# most of the width and squeezed the bars (and the axis title centred on them) off the screen's edge.
CATEGORY_LINE = 16


def _lines(text, width: int) -> str:
    """Escaped text broken at spaces into lines of at most `width` characters, with plotly's line break."""
    lines: list[str] = []
    for word in str(text).split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    # Escaped line by line, joined with plotly's own line break.
    return "<br>".join(label(line) for line in lines)


def axis_title(text) -> str:
    """An axis title, escaped, broken into lines of at most AXIS_TITLE_LINE characters (a phone cuts a long one)."""
    return _lines(text, AXIS_TITLE_LINE)


def _layout(title_x: str = "", title_y: str = "", height: int = 340, **extra) -> dict:
    layout = {
        "font": {"family": FONT, "size": 13, "color": "#1f2328"},
        "margin": {"l": 60, "r": 20, "t": 30, "b": 50},
        "height": height,
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        # Below the plot, anchored to the figure's bottom edge (plotly makes room for it): on a phone a
        # legend above the plot overlaps the title and the top bars.
        "legend": {"orientation": "h", "x": 0, "xanchor": "left", "yref": "container", "y": 0, "traceorder": "normal",
                   "yanchor": "bottom"},
        "xaxis": {"title": {"text": axis_title(title_x)}, "gridcolor": "#e5e7eb", "automargin": True},
        "yaxis": {"title": {"text": axis_title(title_y)}, "gridcolor": "#e5e7eb", "rangemode": "tozero",
                  "automargin": True},
        "colorway": list(PALETTE),
    }
    layout.update(extra)
    return layout


def _number(value, fmt: str = ",.0f", percent: bool = False, digits: int = 0) -> str:
    return f"{100 * value:.{digits}f}%" if percent else format(value, fmt)


def _change_words(now, before, fmt: str, percent: bool, digits: int) -> str:
    """"up 12", "down 3 points", "unchanged": a change in words, never by colour or sign alone."""
    # A share's change is taken between the values as shown (rounded), so the words never contradict the
    # numbers beside them ("22%, down 1 point from 22%").
    delta = (round(100 * now, digits) - round(100 * before, digits)) if percent else (now - before)
    shown = f"{abs(delta):.{digits}f}" if percent else format(abs(delta), fmt)
    if float(shown.replace(",", "")) == 0:
        return "unchanged"
    unit = (" point" if float(shown) == 1 else " points") if percent else ""
    return ("up " if delta > 0 else "down ") + shown + unit


def line_summary(x: Sequence, series: Sequence[tuple[str, Sequence]], *, fmt: str = ",.0f",
                 percent: bool = False, digits: int = 0) -> str:
    """Each series' latest value, its change from the point before, and its range over the points shown."""
    parts = []
    for name, values in series:
        points = [(str(xv), v) for xv, v in zip(x, values) if v is not None]
        if not points:
            parts.append(f"{name}: no value shown")
            continue
        (last_x, last), shown = points[-1], [v for _, v in points]
        text = f"{name}: {_number(last, fmt, percent, digits)} for {last_x}"
        if len(points) > 1:
            before_x, before = points[-2]
            text += (f", {_change_words(last, before, fmt, percent, digits)} from "
                     f"{_number(before, fmt, percent, digits)} for {before_x}; lowest "
                     f"{_number(min(shown), fmt, percent, digits)}, highest {_number(max(shown), fmt, percent, digits)}"
                     f" over the {len(points)} points shown")
        parts.append(text)
    return ". ".join(parts) + "."


def bar_summary(categories: Sequence, series: Sequence[tuple[str, Sequence]],
                value_text: Sequence[Sequence[str]] | None = None) -> str:
    """For each series, the category with the largest value (and the smallest, for a single series).

    Only bars whose value is written as a number rank: a suppressed ("<11") or hidden one is left out.
    """
    parts = []
    for i, (name, values) in enumerate(series):
        texts = value_text[i] if value_text is not None else ["" if v is None else f"{v:,.0f}" for v in values]
        # A bar shown as "<11" (or with no text: hidden) never ranks: its order against the others
        # would say more than the page does.
        shown = [(v, str(c), t) for c, v, t in zip(categories, values, texts)
                 if v is not None and t and not t.lstrip().startswith("<")]
        if not shown:
            parts.append(f"{name}: no value shown")
            continue
        top = max(shown, key=lambda item: item[0])
        text = (f"{name}: largest" if len(series) > 1 else "Largest") + f" {top[1]} ({top[2]})"
        if len(series) == 1 and len(shown) > 1:
            low = min(shown, key=lambda item: item[0])
            text += f", smallest {low[1]} ({low[2]})"
        if value_text is None:
            text += f"; {sum(v for v, _, _ in shown):,.0f} in all"
        parts.append(text)
    return ". ".join(parts) + "."


def heatmap_summary(x: Sequence, y: Sequence, z: Sequence[Sequence], x_suffix: str = "") -> str:
    """The busiest cell, the total, and how many cells are empty."""
    cells = [(v, str(yv), str(xv)) for yv, row in zip(y, z) for xv, v in zip(x, row) if v is not None]
    if not cells:
        return "No value shown."
    top = max(cells, key=lambda item: item[0])
    empty = sum(1 for v, _, _ in cells if v == 0)
    return (f"Busiest: {top[1]} at {top[2]}{x_suffix} ({top[0]:,.0f}); {sum(v for v, _, _ in cells):,.0f} in all; "
            f"{empty} of {len(cells)} cells are 0.")


def _plain(fig: go.Figure) -> dict:
    """The figure as plain JSON-able data (plotly validated it on the way)."""
    return json.loads(fig.to_json())


def _inside_long_bars(values: Sequence, series: Sequence[tuple[str, Sequence]]) -> list[str]:
    """Horizontal bars: a value written outside a bar near the axis's end runs past a phone's screen, so
    bars at least 60% of the longest write theirs inside; shorter ones (and zeros) keep theirs outside."""
    longest = max((v for _, vs in series for v in vs if v is not None), default=0) or 0
    return ["inside" if v is not None and longest and v >= 0.6 * longest else "outside" for v in values]


def bar_chart(
    chart_id: str, title: str, caption: str, categories: Sequence, series: Sequence[tuple[str, Sequence]],
    *, axis_x: str = "", axis_y: str = "", stacked: bool = False, value_text: Sequence[Sequence[str]] | None = None,
    table: Table, horizontal: bool = False, height: int = 340, summary: str | None = None,
) -> Chart:
    """Grouped (or stacked) bars; each series has its own colour and pattern and its values written on it.

    A value of None is a gap (for example a suppressed count), never a zero.
    """
    fig = go.Figure()
    cats = [_lines(c, CATEGORY_LINE) if horizontal else label(c) for c in categories]
    for i, (name, values) in enumerate(series):
        text = value_text[i] if value_text is not None else ["" if v is None else f"{v:,.0f}" for v in values]
        bar = dict(
            # Values written horizontally above each bar (inside when stacked): readable at any height.
            name=label(name), text=[label(t) for t in text], textangle=0,
            textposition="inside" if stacked else (_inside_long_bars(values, series) if horizontal else "outside"),
            cliponaxis=False,
            marker={"color": PALETTE[i % len(PALETTE)],
                    "pattern": {"shape": PATTERNS[i % len(PATTERNS)], "fgcolor": "#ffffff", "solidity": 0.25},
                    "line": {"color": "#1f2328", "width": 0.5}},
            hovertemplate="%{fullData.name}: %{text}<extra></extra>" if len(series) > 1 else "%{text}<extra></extra>",
        )
        if horizontal:
            fig.add_trace(go.Bar(y=cats, x=list(values), orientation="h", **bar))
        else:
            fig.add_trace(go.Bar(x=cats, y=list(values), **bar))
    layout = _layout(axis_y if horizontal else axis_x, axis_x if horizontal else axis_y, height=height,
                     barmode="stack" if stacked else "group", showlegend=len(series) > 1)
    if horizontal:
        layout["yaxis"]["autorange"] = "reversed"
        layout["yaxis"]["type"] = "category"
        layout["xaxis"]["rangemode"] = "tozero"
    else:
        layout["xaxis"]["type"] = "category"
    fig.update_layout(**layout)
    return Chart(chart_id, title, caption, _plain(fig), table,
                 summary if summary is not None else bar_summary(categories, series, value_text))


def line_chart(
    chart_id: str, title: str, caption: str, x: Sequence, series: Sequence[tuple[str, Sequence]],
    *, axis_x: str = "", axis_y: str = "", y_format: str = ",.0f", percent: bool = False,
    percent_digits: int = 0, table: Table,
    bands: Sequence[tuple[Sequence, Sequence] | None] | None = None, height: int = 340,
    summary: str | None = None,
) -> Chart:
    """Lines over time; series differ by colour, dash and marker. Optional shaded interval per series."""
    fig = go.Figure()
    xs = [label(v) for v in x]
    for i, (name, values) in enumerate(series):
        colour = PALETTE[i % len(PALETTE)]
        band = bands[i] if bands else None
        if band is not None:
            low, high = band
            fig.add_trace(go.Scatter(x=xs, y=list(high), mode="lines", line={"width": 0}, hoverinfo="skip",
                                     showlegend=False))
            fig.add_trace(go.Scatter(x=xs, y=list(low), mode="lines", line={"width": 0}, fill="tonexty",
                                     fillcolor=_transparent(colour), hoverinfo="skip", showlegend=False))
        fig.add_trace(go.Scatter(
            x=xs, y=list(values), name=label(name), mode="lines+markers", connectgaps=False,
            line={"color": colour, "dash": DASHES[i % len(DASHES)], "width": WIDTHS[i % len(WIDTHS)]},
            marker={"symbol": SYMBOLS[i % len(SYMBOLS)], "size": 9 if i % 2 else 7, "color": colour,
                    "line": {"color": colour, "width": 1.5}},
            hovertemplate=f"%{{fullData.name}}: %{{y:{f'.{percent_digits + 1}%' if percent else y_format}}}<extra></extra>",
        ))
    layout = _layout(axis_x, axis_y, height=height, hovermode="x unified", showlegend=len(series) > 1)
    layout["xaxis"]["type"] = "category"
    if percent:
        layout["yaxis"]["tickformat"] = f".{percent_digits}%"
        if all(v is None for _, values in series for v in values):
            # Every point hidden or missing: plotly's empty-axis default would read 0-400%.
            layout["yaxis"]["range"] = [0, 1]
    fig.update_layout(**layout)
    if summary is None:
        summary = line_summary(x, series, fmt=y_format, percent=percent, digits=percent_digits)
    return Chart(chart_id, title, caption, _plain(fig), table, summary)


def heatmap_chart(
    chart_id: str, title: str, caption: str, x: Sequence[str], y: Sequence[str], z: Sequence[Sequence],
    *, text: Sequence[Sequence[str]], axis_x: str = "", axis_y: str = "", colour_title: str = "",
    outlines: Sequence[tuple[int, float, float]] = (), table: Table, height: int = 360,
    summary: str | None = None, x_suffix: str = "",
) -> Chart:
    """A grid of counts with each cell's number written in it; darker is more (0 is the palest).

    `outlines` are (row index, first column, last column + 1) spans drawn as
    boxes: in the weekly report, the hours HEART served on each day.
    """
    fig = go.Figure(go.Heatmap(
        x=[label(v) for v in x], y=[label(v) for v in y], z=[list(r) for r in z],
        text=[[label(t) for t in r] for r in text], texttemplate="%{text}",
        # Reversed cividis: the lowest count is the palest cell and the highest the darkest, so a caption
        # can say "darker is more" (plain cividis runs dark to light).
        colorscale="Cividis", reversescale=True, zmin=0,
        colorbar={"title": {"text": label(colour_title)}}, xgap=1, ygap=1,
        hovertemplate="%{y} %{x}:00: %{text}<extra></extra>",
    ))
    shapes = [
        {"type": "rect", "xref": "x", "yref": "y", "x0": start - 0.5, "x1": end - 0.5, "y0": row - 0.5,
         "y1": row + 0.5, "line": {"color": "#D55E00", "width": 3}, "fillcolor": "rgba(0,0,0,0)"}
        for row, start, end in outlines
    ]
    layout = _layout(axis_x, axis_y, height=height, shapes=shapes)
    layout["xaxis"].update(type="category", gridcolor="rgba(0,0,0,0)")
    layout["yaxis"].update(type="category", autorange="reversed", gridcolor="rgba(0,0,0,0)")
    fig.update_layout(**layout)
    return Chart(chart_id, title, caption, _plain(fig), table,
                 summary if summary is not None else heatmap_summary(x, y, z, x_suffix))


def _transparent(hex_colour: str, alpha: float = 0.18) -> str:
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"
