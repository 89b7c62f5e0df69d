"""Chart specifications for the reports: aggregates only, each with the table of numbers behind it.

A Chart holds a plotly figure as plain JSON (drawn in the browser by
assets/charts.js with the shared plotly.min.js) plus a caption and the same
numbers as a table, so a reader without the chart (print, screen reader, no
JavaScript) still has every figure.

Colour never carries meaning alone: series also differ by bar pattern or by
line dash and marker, values are written on the bars and heat-map cells, and
the palette is Okabe-Ito (distinguishable with the common colour-vision
deficiencies); the heat map uses cividis.

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
SYMBOLS = ("circle", "square", "diamond", "triangle-up", "x", "cross", "star")
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"


@dataclass
class Table:
    columns: list[str]
    rows: list[list[str]] = field(default_factory=list)
    note: str = ""


@dataclass
class Chart:
    chart_id: str
    title: str
    caption: str
    spec: dict
    table: Table

    @property
    def dom_id(self) -> str:
        return "chart-" + re.sub(r"[^a-z0-9-]+", "-", self.chart_id.lower())


def label(text) -> str:
    """A category or series name as plotly must receive it: HTML-escaped."""
    return html.escape(str(text), quote=False)


def _layout(title_x: str = "", title_y: str = "", height: int = 340, **extra) -> dict:
    layout = {
        "font": {"family": FONT, "size": 13, "color": "#1f2328"},
        "margin": {"l": 60, "r": 20, "t": 30, "b": 50},
        "height": height,
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "legend": {"orientation": "h", "y": 1.12, "x": 0},
        "xaxis": {"title": {"text": label(title_x)}, "gridcolor": "#e5e7eb", "automargin": True},
        "yaxis": {"title": {"text": label(title_y)}, "gridcolor": "#e5e7eb", "rangemode": "tozero",
                  "automargin": True},
        "colorway": list(PALETTE),
    }
    layout.update(extra)
    return layout


def _plain(fig: go.Figure) -> dict:
    """The figure as plain JSON-able data (plotly validated it on the way)."""
    return json.loads(fig.to_json())


def bar_chart(
    chart_id: str, title: str, caption: str, categories: Sequence, series: Sequence[tuple[str, Sequence]],
    *, axis_x: str = "", axis_y: str = "", stacked: bool = False, value_text: Sequence[Sequence[str]] | None = None,
    table: Table, horizontal: bool = False, height: int = 340,
) -> Chart:
    """Grouped (or stacked) bars; each series has its own colour and pattern and its values written on it.

    A value of None is a gap (for example a suppressed count), never a zero.
    """
    fig = go.Figure()
    cats = [label(c) for c in categories]
    for i, (name, values) in enumerate(series):
        text = value_text[i] if value_text is not None else ["" if v is None else f"{v:,.0f}" for v in values]
        bar = dict(
            # Values written horizontally above each bar (inside when stacked): readable at any height.
            name=label(name), text=[label(t) for t in text], textangle=0,
            textposition="inside" if stacked else "outside", cliponaxis=False,
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
    return Chart(chart_id, title, caption, _plain(fig), table)


def line_chart(
    chart_id: str, title: str, caption: str, x: Sequence, series: Sequence[tuple[str, Sequence]],
    *, axis_x: str = "", axis_y: str = "", y_format: str = ",.0f", percent: bool = False,
    percent_digits: int = 0, table: Table,
    bands: Sequence[tuple[Sequence, Sequence] | None] | None = None, height: int = 340,
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
            line={"color": colour, "dash": DASHES[i % len(DASHES)], "width": 2.5},
            marker={"symbol": SYMBOLS[i % len(SYMBOLS)], "size": 7, "color": colour},
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
    return Chart(chart_id, title, caption, _plain(fig), table)


def heatmap_chart(
    chart_id: str, title: str, caption: str, x: Sequence[str], y: Sequence[str], z: Sequence[Sequence],
    *, text: Sequence[Sequence[str]], axis_x: str = "", axis_y: str = "", colour_title: str = "",
    outlines: Sequence[tuple[int, float, float]] = (), table: Table, height: int = 360,
) -> Chart:
    """A grid of counts with each cell's number written in it.

    `outlines` are (row index, first column, last column + 1) spans drawn as
    boxes: in the weekly report, the hours HEART served on each day.
    """
    fig = go.Figure(go.Heatmap(
        x=[label(v) for v in x], y=[label(v) for v in y], z=[list(r) for r in z],
        text=[[label(t) for t in r] for r in text], texttemplate="%{text}", colorscale="Cividis",
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
    return Chart(chart_id, title, caption, _plain(fig), table)


def _transparent(hex_colour: str, alpha: float = 0.18) -> str:
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"
