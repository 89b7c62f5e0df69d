"""A metric_values row as a report prints it: the value, its interval, the counts behind it."""

from __future__ import annotations

from pipeline.reports import render


def format_value(row: dict | None, definition: dict) -> str:
    """A metric's value as a reader sees it: 11.6%, 1,234, 13.9 min, 5,500 h; a dash when there is none."""
    if row is None or row["value"] is None:
        return "—"
    value, unit = row["value"], definition["value_unit"]
    if definition["kind"] == "rate":
        return render.fmt_pct(value)
    if unit == "minutes":
        return render.fmt_minutes(value)
    if unit == "hours":
        # A week's few diverted calls save a few hours: keep the decimal there.
        return f"{value:,.1f} h" if value < 100 else f"{value:,.0f} h"
    return render.fmt_count(value)


def interval_text(row: dict | None, definition: dict) -> str:
    """'95% interval 10.9–12.4%' for rates and quantiles; empty for counts."""
    if row is None or row.get("ci_low") is None or row.get("ci_high") is None:
        return ""
    if definition["kind"] == "rate":
        return f"95% interval {100 * row['ci_low']:.1f}–{100 * row['ci_high']:.1f}%"
    if definition["value_unit"] == "minutes":
        return f"95% interval {row['ci_low']:.1f}–{row['ci_high']:.1f} min"
    return ""


def counts_text(row: dict | None, definition: dict) -> str:
    """'804 of 6,932 eligible calls' for a rate; the number of events behind a median."""
    if row is None:
        return ""
    if definition["kind"] == "rate" and row["denominator"]:
        return f"{row['numerator']:,.0f} of {row['denominator']:,.0f}"
    if definition["kind"] in ("median", "p90") and row["denominator"]:
        return f"from {row['denominator']:,.0f} timed responses"
    return ""
