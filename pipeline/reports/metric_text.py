"""A metric_values row as a report prints it: the value, its interval, the counts behind it; and public pages' plain words."""

from __future__ import annotations

import re

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


# --------------------------------------------------------------------------------------------
# Public pages speak a resident's language: the metric headers (sql/metrics/) are written for
# analysts and name the 911 system (CAD), warehouse tables and metric ids. public_text rewrites
# what has a plain equivalent and drops any sentence still carrying such a token, so a new
# technical word in a header can cost the public page a sentence but never print.
# --------------------------------------------------------------------------------------------
# Anything that reads as a path, file, table, column or the pipeline's own words.
TECHNICAL = re.compile(
    r"\w+\.\w+_\w+|\w+_\w+|config/|\.toml|\.sql|\.md\b|\.csv|/shared/|/work/|\bCAD\b|person key|DuckDB|\bmarts\b"
    r"|metric_values|\[\[|\bALL\b|\bCN\b|\bCCD\b|\bCOR\b|(?:^|\s)/\w+")

_PLAIN = (
    (r"by the log's pseudonymous person key", "each person counted once"),
    (r"distinct person keys", "distinct people"),
    (r"no person key", "no record of who was helped"),
    (r"\bCAD incidents\b", "911 calls"),
    (r"\bCAD incident\b", "911 call"),
    (r"\bCAD record\b", "911 record"),
    (r"\bin CAD\b", "in the 911 record"),
    (r"\bthe CAD received time\b", "the moment the 911 call came in"),
    (r"\bCAD (shows|wins)\b", r"the 911 record \1"),
    (r"\bCAD\b", "911"),
    (r"\bALL (counts|includes)\b", r"The all-units figure \1"),
    (r"\bALL:", "All units:"),
    (r"\bunit ALL\b", "all units"),
    (r"\bunit CN\b", "Care Navigation"),
    (r"\boutside_service_hours\b", "outside service hours"),
    (r"\boutside_service_area\b", "outside the service area"),
    (r"\bno_team_free\b", "no team free"),
    (r"\bnot_routed\b", "not sent to HEART"),
)


def public_text(text: str) -> str:
    """A definition as a public page prints it: plain words, no table, column, file or metric id."""
    if not text:
        return ""
    text = re.sub(r"\s*\(([^()]*)\)", lambda m: "" if TECHNICAL.search(m.group(1)) else m.group(0), text)
    for pattern, plain in _PLAIN:
        text = re.sub(pattern, plain, text)
    sentences = re.split(r"(?<=[.])\s+(?=[A-Z\"(])", text.strip())
    return " ".join(s for s in sentences if not TECHNICAL.search(s)).strip()


def no_paths(text: str) -> str:
    """A configured string (a budget's source) without any path or file name in it."""
    text = re.sub(r"\s*\([^()]*(?:/|\.\w{2,4}\b)[^()]*\)", "", text or "")
    return re.sub(r"\S*/\S*|\S+\.(?:md|toml|txt|csv|sql|html?)\b", "", text).strip(" ,;:")


def per_ten(share: float | None, among: str, happened: str) -> str:
    """'Of every 10 calls HEART could take, about 3 got a HEART response.' (per 100 below 5%)."""
    if share is None:
        return ""
    if share == 0:
        return f"None of the {among} {happened}."
    tens = round(share * 10)
    if 1 <= tens <= 9 and share >= 0.05:
        return f"Of every 10 {among}, about {tens} {happened}."
    if tens >= 10:
        return f"Nearly all of the {among} {happened}." if share < 1 else f"All of the {among} {happened}."
    hundreds = round(share * 100)
    return (f"Of every 100 {among}, about {hundreds} {happened}." if hundreds >= 1
            else f"Fewer than 1 in 100 of the {among} {happened}.")
