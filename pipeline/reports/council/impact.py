"""The council dashboard's "Is it working?" section: did the program change anything beyond the calls it took?

Reads metrics.impact_estimates and metrics.impact_event_study (pipeline/impact/, written by the
impact asset) and returns the section's data: a headline sentence in plain words with its interval,
a table of every outcome and comparison with its checks (trends before the start, a placebo start
a year earlier, and the plausibility bound against the calls HEART answered), the event-study chart
of the headline outcome with its table, and what the estimates cannot say.

Reading rules, one per verdict (docs/impact.md):
- 'finding': the interval excludes no change, trends before the start did not differ, the placebo
  found no change and the estimate is within the program's own volume: said as a change.
- 'no clear change': the interval includes no change: said as "no clear change", never as an effect.
- 'implausible': larger than the calls HEART answered where it was: flagged, and the number is not
  given as a finding.
- 'not estimable': the reason, in plain words.

Disclosure: estimates are model output over many cells, not counts of people; they are printed as
whole percentages. The one count printed, the calls HEART answered in the served places and times,
goes through the small-count rule (pipeline/disclosure/suppression.is_small).

Public page: no table, column or file names; every string from the warehouse is escaped by the
template (autoescape) and the chart labels by charts.label.
"""

from __future__ import annotations

from datetime import date

import duckdb

from pipeline.disclosure.suppression import DEFAULT_THRESHOLD, is_small
from pipeline.reports.charts import Table, line_chart
from pipeline.warehouse import has_table
from pipeline.warehouse.sqlfiles import query_sql_file

# What each outcome is, in a resident's words; the order is the order of the table and of the
# headline's preference (the first outcome with a usable estimate leads).
OUTCOME_WORDS = {
    "arrests": "Arrests, per eligible call police handled without HEART",
    "ems_transports": "Ambulance transports, per eligible call police handled without HEART",
    "police_handled_calls": "Eligible calls police handled",
    "police_unit_hours": "Police officer-hours on eligible calls",
    "repeat_calls": "Repeat calls to the same place",
}
# The same, inside a sentence ("... fell by 31% ...").
OUTCOME_SENTENCE = {
    "arrests": "the share of eligible calls police handled without HEART that ended in an arrest",
    "ems_transports": "the share of eligible calls police handled without HEART that ended in an ambulance transport",
    "police_handled_calls": "the number of eligible calls police handled",
    "police_unit_hours": "the police officer-hours spent on eligible calls",
    "repeat_calls": "the number of repeat calls to the same place",
}
DESIGN_WORDS = {
    "staggered_beats": "Served beats against beats not yet served",
    "served_hours": "Served hours against unserved hours (nights)",
}
DESIGN_SENTENCE = {
    "staggered_beats": "comparing police beats after HEART began serving them with beats it did not serve yet",
    "served_hours": "comparing the hours HEART served with the night hours it never served, in the same beats",
}
VERDICT_WORDS = {
    "finding": "A change",
    "no clear change": "No clear change",
    "implausible": "Flagged: larger than the calls HEART answered",
    "not estimable": "Not estimable",
}
HEADLINE_PREFERENCE = ("arrests", "police_handled_calls", "ems_transports", "police_unit_hours", "repeat_calls")
# The event-study chart shows this many 4-week periods either side of the start (about a year): further out
# fewer units have weeks there and the intervals grow too wide to read.
EVENT_WINDOW = 13
PERIOD_WEEKS = 4


def pct(value: float | None, signed: bool = True) -> str:
    if value is None:
        return ""
    rounded = round(100 * value)
    if not signed:
        return f"{abs(rounded)}%"
    return f"{rounded:+d}%" if rounded else "0%"


def interval(low: float | None, high: float | None) -> str:
    return "" if low is None or high is None else f"{pct(low)} to {pct(high)}"


def _fmt_day(day: date | None) -> str:
    return "" if day is None else f"{day:%-d %B %Y}"


def _pretrend_words(p: float | None) -> str:
    if p is None:
        return "Not tested (too few weeks before the start)"
    return ("Trends differed before the start: not a finding" if p < 0.05
            else f"No difference before the start (test p = {p:.2f})")


def _placebo_words(row: dict) -> str:
    est, low, high = row["placebo_estimate"], row["placebo_ci_low"], row["placebo_ci_high"]
    if est is None:
        return "Not run (no data a year before the start)"
    covers = low is not None and high is not None and low <= 0 <= high
    return (f"{pct(est)} ({interval(low, high)}): "
            + ("no change, as expected" if covers else "a change where there should be none: treat with care"))


def _plausibility_words(row: dict, threshold: int) -> str:
    answered = row["heart_answered_in_treated"]
    if answered is None:
        return ""
    shown = f"fewer than {threshold}" if is_small(answered, threshold) else f"{answered:,.0f}"
    if row["plausible"] is False:
        return f"Larger than the {shown} calls HEART answered there"
    return f"Within the {shown} calls HEART answered there"


def _estimate_words(row: dict) -> str:
    if row["verdict"] == "not estimable" or row["estimate"] is None:
        return "—"
    if row["verdict"] == "implausible":
        return "Not given (see the check)"
    return f"{pct(row['estimate'])} ({interval(row['ci_low'], row['ci_high'])})"


def _clause(r: dict) -> str:
    how = DESIGN_SENTENCE.get(r["design"], r["design"])
    if r["verdict"] == "finding":
        direction = "fell" if r["estimate"] < 0 else "rose"
        return (f"{direction} by about {pct(r['estimate'], signed=False)} (95% interval "
                f"{interval(r['ci_low'], r['ci_high'])}) {how}")
    return (f"showed no clear change {how} (estimate {pct(r['estimate'])}; its 95% interval, "
            f"{interval(r['ci_low'], r['ci_high'])}, includes no change)")


def headline(rows: list[dict]) -> str:
    """One sentence on the headline outcome (the first in HEADLINE_PREFERENCE with an estimate a reader may
    use), one clause per comparison that gave one: findings first."""
    usable = [r for r in rows if r["verdict"] in ("finding", "no clear change")]
    for outcome in HEADLINE_PREFERENCE:
        mine = sorted((r for r in usable if r["outcome"] == outcome),
                      key=lambda r: (r["verdict"] != "finding", list(DESIGN_WORDS).index(r["design"])
                                     if r["design"] in DESIGN_WORDS else len(DESIGN_WORDS)))
        if mine:
            what = OUTCOME_SENTENCE.get(outcome, outcome)
            return f"Where and when HEART served, {what} " + "; and it ".join(_clause(r) for r in mine) + "."
    if any(r["verdict"] == "implausible" for r in rows):
        return ("The estimates so far are larger than the calls HEART itself answered, so they are not given as "
                "findings.")
    return "There is not yet enough data before and after the program started to estimate a change."


def impact_section(con: duckdb.DuckDBPyConnection, threshold: int = DEFAULT_THRESHOLD) -> dict | None:
    """The section's data, or None when the warehouse holds no impact estimates."""
    if not (has_table(con, "metrics", "impact_estimates") and has_table(con, "metrics", "impact_event_study")):
        return None
    rows = query_sql_file(con, "impact/council_estimates.sql")
    if not rows:
        return None
    order = {o: i for i, o in enumerate(OUTCOME_WORDS)}
    rows.sort(key=lambda r: (order.get(r["outcome"], len(order)), r["outcome"], r["design"]))
    table = Table(["What was measured", "Comparison", "Estimated change (95% interval)", "Before the start",
                   "Placebo: a start one year earlier", "Check against HEART's own calls", "Reading"])
    for r in rows:
        table.rows.append([
            OUTCOME_WORDS.get(r["outcome"], r["outcome"]), DESIGN_WORDS.get(r["design"], r["design"]),
            _estimate_words(r),
            "" if r["verdict"] == "not estimable" else _pretrend_words(r["pretrend_p"]),
            "" if r["verdict"] == "not estimable" else _placebo_words(r),
            _plausibility_words(r, threshold),
            # The reason is shown where it explains a number withheld; a change or no change speaks for itself.
            VERDICT_WORDS.get(r["verdict"], r["verdict"])
            + (f": {r['reason']}" if r["reason"] and r["verdict"] in ("implausible", "not estimable") else ""),
        ])
    table.note = ("Changes are relative to what the comparison places or hours suggest would have happened "
                  "without HEART, as whole percentages. An estimate larger than the calls HEART answered where "
                  "it was cannot be the program's doing alone, so it is flagged, not given.")
    first = min((r["first_week"] for r in rows if r["first_week"] is not None), default=None)
    last = max((r["last_week"] for r in rows if r["last_week"] is not None), default=None)
    return {
        "headline": headline(rows),
        "window": f"{_fmt_day(first)} to {_fmt_day(last)}" if first and last else "",
        "table": table,
        "charts": [c for c in (_event_chart(con, r) for r in _chart_rows(rows)) if c is not None],
    }


def _chart_rows(rows: list[dict]) -> list[dict]:
    """The headline outcome's estimates (one chart per design) that a reader may use."""
    for outcome in HEADLINE_PREFERENCE:
        chosen = [r for r in rows if r["outcome"] == outcome and r["verdict"] in ("finding", "no clear change")]
        if chosen:
            return chosen
    return []


def _event_chart(con: duckdb.DuckDBPyConnection, row: dict):
    points = query_sql_file(con, "impact/council_event_study.sql",
                            {"outcome": row["outcome"], "design": row["design"]})
    points = [p for p in points if p["estimate"] is not None and p["ci_low"] is not None and p["ci_high"] is not None
              and -EVENT_WINDOW <= p["event_time"] <= EVENT_WINDOW]
    if len(points) < 2:
        return None
    x = [str(p["event_time"]) for p in points]
    est = [round(100 * p["estimate"], 1) for p in points]
    low = [None if p["ci_low"] is None else round(100 * p["ci_low"], 1) for p in points]
    high = [None if p["ci_high"] is None else round(100 * p["ci_high"], 1) for p in points]
    table = Table([f"{PERIOD_WEEKS}-week periods since the start", "Estimated change", "95% interval"],
                  [[t, f"{e:+.0f}%", f"{lo:+.0f}% to {hi:+.0f}%"]
                   for t, e, lo, hi in zip(x, est, low, high)])
    what = OUTCOME_WORDS.get(row["outcome"], row["outcome"])
    design = DESIGN_WORDS.get(row["design"], row["design"])
    before = [e for t, e in zip(points, est) if t["event_time"] < 0]
    after = [e for t, e in zip(points, est) if t["event_time"] >= 0]
    summary = (f"Before the start the estimates stay between {min(before):+.0f}% and {max(before):+.0f}%; "
               if before else "") + (f"after it they run from {min(after):+.0f}% to {max(after):+.0f}%." if after else "")
    return line_chart(
        f"impact-{row['outcome']}-{row['design']}", f"{what}: change by time since HEART started ({design.lower()})",
        f"Each point is the estimated change over {PERIOD_WEEKS} weeks against the comparison, with its 95% interval "
        f"shaded, for about a year ({EVENT_WINDOW} periods) either side of the start; periods before 0 are before "
        "service started, where a flat line near 0% means the places or hours moved together. Period -1, the last "
        "before the start, is the baseline the others are measured from, so it has no point of its own.",
        x, [("Estimated change (%)", est), ("No change", [0.0] * len(est))],
        axis_x=f"{PERIOD_WEEKS}-week periods since service started (negative: before)", axis_y="Estimated change (%)",
        y_format="+.0f", table=table, bands=[(low, high), None], summary=summary)
