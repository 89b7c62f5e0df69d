"""The council dashboard's expansion-scenarios section: what more HEART would cover and cost.

Reads metrics.scenario_results and metrics.scenario_backtests (pipeline/scenarios/, written by
the scenario asset) and returns the section's data: a comparison table, a chart of the share
answered with its table, the back-tests, and the assumptions in plain words.

Disclosure: the projections are model output, not records of people — no projected call is a
real call — so they are not cells of the suppression ledger; they are printed rounded (shares to
whole percent, calls to the nearest hundred, "fewer than 50" below that, costs to the nearest
$10,000 and $5 per call), which also keeps them from looking more precise than they are. The
back-tests compare with observed shares, which are records: a back-test over fewer calls than
the threshold prints "<N" and no share (pipeline/disclosure/suppression.is_small).

Public page: no table, column or file names; every string from the warehouse is escaped by the
template (autoescape) and the chart labels by charts.label.
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date, timedelta

import duckdb

from pipeline.disclosure.suppression import DEFAULT_THRESHOLD, is_small
from pipeline.reports.charts import Table, bar_chart
from pipeline.warehouse import has_table
from pipeline.warehouse.sqlfiles import query_sql_file

REASON_WORDS = {"outside_service_hours": "Outside service hours", "outside_service_area": "Outside service area",
                "no_team_free": "No team free", "not_routed": "Not sent to HEART"}
UNIT_WORDS = {"CCD": "911-center clinicians", "CR": "Community Response teams", "COR": "Co-Response teams"}
ROLE_WORDS = {"clinician": "clinician", "peer": "peer support specialist", "emt": "EMT", "officer": "police officer"}
TEST_WORDS = {"in_sample": "Reproduces the year", "out_of_sample": "Predicts the expansion",
              "diagnostic": "Check: after-expansion routing share"}


def pct(value: float | None) -> str:
    return "" if value is None else f"{100 * value:.0f}%"


def calls(value: float | None) -> str:
    """A projected number of calls, to the nearest hundred."""
    if value is None:
        return ""
    if value == 0:
        return "none"
    return "fewer than 50" if value < 50 else f"about {round(value, -2):,.0f}"


def dollars(value: float | None, step: int) -> str:
    return "" if value is None else f"${round(value / step) * step:,.0f}"


def _fmt_day(day) -> str:
    return f"{day:%-d %B %Y}"


def _words(text: str) -> str:
    """ISO dates in a text from the warehouse, as the page writes dates: 2023-10-23 -> 23 October 2023."""
    return re.sub(r"\b(\d{4})-(\d{2})-(\d{2})\b", lambda m: _fmt_day(date(*map(int, m.groups()))), text)


def _points(value: float) -> str:
    rounded = round(value, 1)
    return f"{rounded:+.1f} points" if rounded else "0.0 points"


def _by_scenario(rows: list[dict]) -> dict[str, dict]:
    out: dict[str, dict] = defaultdict(lambda: {"name": "", "m": {}})
    for r in rows:
        s = out[r["scenario_id"]]
        s["name"] = r["scenario_name"]
        s["m"][(r["measure"], r["unit"], r["dimension_value"])] = r
    return out


def scenario_section(con: duckdb.DuckDBPyConnection, threshold: int = DEFAULT_THRESHOLD) -> dict | None:
    """The section's data, or None when the warehouse holds no scenario results."""
    if not (has_table(con, "metrics", "scenario_results") and has_table(con, "metrics", "scenario_backtests")):
        return None
    rows = query_sql_file(con, "scenarios/council_results.sql")
    if not rows:
        return None
    scenarios = _by_scenario(rows)
    order = sorted(scenarios, key=lambda k: (k != "as_configured", k))
    first = rows[0]
    window = f"{_fmt_day(first['period_start'])} to {_fmt_day(first['period_end'] - timedelta(days=1))}"

    def value(sid, measure, unit="ALL", dim="ALL"):
        row = scenarios[sid]["m"].get((measure, unit, dim))
        return row and row["value"], row

    table = Table(["Option", "Share of eligible calls answered (range)", "Answered a year",
                   *REASON_WORDS.values(), "Staff needed (full-time)*", "Staffing cost a year*",
                   "Cost per answered call*"])
    shares, names = [], []
    for sid in order:
        share, row = value(sid, "share_answered")
        names.append(scenarios[sid]["name"])
        shares.append(None if share is None else round(100 * share))
        table.rows.append([
            scenarios[sid]["name"],
            f"{pct(share)} ({pct(row['low'])}–{pct(row['high'])})" if row else "",
            calls(value(sid, "answered_per_year")[0]),
            *(calls(value(sid, "unmet", "ALL", reason)[0]) for reason in REASON_WORDS),
            f"{value(sid, 'staff_needed')[0]:,.1f}" if value(sid, "staff_needed")[0] is not None else "",
            dollars(value(sid, "annual_cost_usd")[0], 10_000),
            dollars(value(sid, "cost_per_answered_call_usd")[0], 5),
        ])
    table.note = ("Projections, not counts of real calls: rounded to whole percent, the nearest hundred calls and "
                  "the nearest $10,000 ($5 per call). * Cost figures rest on assumed pay and benefits per position "
                  "(below), not on the city budget.")
    chart_table = Table(["Option", "Share of eligible calls answered"], [[n, f"{s}%"] for n, s in zip(names, shares)])
    chart = bar_chart(
        "scenario-share", "Share of eligible calls each option would answer",
        f"Each option replayed on the eligible calls of {window}; bars are the middle projection over the "
        "replays, rounded to whole percent.", names, [("Share answered (%)", shares)],
        axis_y="Share of eligible calls answered (%)", horizontal=True, table=chart_table,
        value_text=[[f"{s}%" for s in shares]], height=120 + 45 * len(names))
    return {
        "window": window,
        "seeds": int(first["seeds"]),
        "table": table,
        "chart": chart,
        "headline": _headline(scenarios, order, value),
        "backtests": _backtests(con, threshold),
        "assumptions": _assumptions(scenarios, order, value),
    }


def _headline(scenarios, order, value) -> str:
    if "citywide_24_7" not in scenarios or "as_configured" not in scenarios:
        return ""
    now, full = value("as_configured", "share_answered")[0], value("citywide_24_7", "share_answered")[0]
    return (f"Around-the-clock citywide service would answer about {pct(full)} of eligible calls "
            f"({calls(value('citywide_24_7', 'answered_per_year')[0])} a year), against {pct(now)} as configured "
            f"now; it would need about {value('citywide_24_7', 'staff_needed')[0]:,.0f} full-time staff, "
            f"{dollars(value('citywide_24_7', 'annual_cost_usd')[0], 10_000)} a year in assumed pay and benefits, "
            f"about {dollars(value('citywide_24_7', 'cost_per_answered_call_usd')[0], 5)} per answered call.")


def _backtests(con, threshold: int) -> dict:
    tests = query_sql_file(con, "scenarios/council_backtests.sql")
    rows, notes = [], []
    for b in tests:
        small = is_small(b["calls"], threshold)
        observed = f"<{threshold} calls" if small else pct(b["observed_share"])
        predicted = "" if small else f"{pct(b['predicted_share'])} ({pct(b['predicted_low'])}–{pct(b['predicted_high'])})"
        error = "" if small else _points(b["error_points"])
        verdict = ("" if b["tolerance_points"] is None or small else
                   ("within" if b["within_tolerance"] else "outside") + f" ±{b['tolerance_points']:g} points")
        rows.append([TEST_WORDS.get(b["kind"], b["kind"]), _words(b["label"]), observed, predicted, error, verdict])
        if b["kind"] == "out_of_sample" and not small:
            notes.append(
                f"The prediction of the expansion used only what was known before it: the share of calls in "
                f"hours and area sent to HEART in the six months before ({pct(b['routing_share'])}). "
                + ("It was within the tolerance" if b["within_tolerance"] else "It missed the tolerance")
                + (", and the observed share fell inside the model's range." if b["inside_interval"] else
                   ", and the observed share fell outside the model's range.")
                + ("" if b["within_tolerance"] else
                   " Compare the check below: when the model is close with the share actually sent after the change, "
                   "the miss comes from a change in how many calls the 911 center sent HEART, which no data from "
                   "before could show."))
        if b["kind"] == "diagnostic" and not small:
            notes.append(f"With the share actually sent after the expansion ({pct(b['routing_share'])}), the same "
                         f"model gives {pct(b['predicted_share'])} against {pct(b['observed_share'])} observed: "
                         "hours, area and team numbers are modelled well; the share of calls sent to HEART is the "
                         "uncertain part of any projection.")
    table = Table(["Test", "Period", "Observed share answered", "Model (range)", "Error", "Tolerance"], rows)
    return {"table": table, "notes": notes}


def _assumptions(scenarios, order, value) -> list[str]:
    sid = order[0]
    routing, row = value(sid, "routing_share_in_coverage")
    lines = []
    if routing is not None:
        lines.append(f"Of the eligible calls that come in during service hours and inside the service area, "
                     f"{pct(routing)} are sent to HEART, as observed recently ({_words(row['source'])}). "
                     "The same share is assumed at hours and in places HEART does not serve today.")
    minutes = [f"{UNIT_WORDS[u]} about {value(sid, 'service_minutes_median', u)[0]:.0f} minutes"
               for u in UNIT_WORDS if value(sid, "service_minutes_median", u)[0] is not None]
    if minutes:
        lines.append("How long a call keeps a team busy is drawn from the times observed, by unit and call type "
                     f"(typical: {', '.join(minutes)}).")
    after = []
    for u in UNIT_WORDS:
        minutes, row = value(sid, "after_call_minutes", u)
        if minutes is not None:
            spread = (f", {row['low']:.0f} to {row['high']:.0f} across runs"
                      if row.get("low") is not None and row["high"] > row["low"] else "")
            after.append(f"{UNIT_WORDS[u]} {minutes:.0f} minutes{spread}")
    if after:
        lines.append("After each call a team is assumed to stay unavailable a while longer for the trip back and "
                     f"notes, which no record shows: {'; '.join(after)}.")
    lines.append("When a team is sent but none is free, a 911-center clinician takes the call by phone if one is "
                 "free; otherwise the call goes to the usual responders.")
    hires = value(sid, "hires_per_24_7_post")[0]
    if hires is not None:
        lines.append(f"Staff needed counts every position on the schedule, with cover for leave and training: one "
                     f"post staffed around the clock takes about {hires:.1f} full-time hires.")
    roles = sorted({dim for (m, _, dim) in scenarios[sid]["m"] if m == "position_cost_usd"})
    if roles:
        costs = ", ".join(f"{ROLE_WORDS.get(r, r)} {dollars(value(sid, 'position_cost_usd', 'ALL', r)[0], 1000)}"
                          for r in roles)
        lines.append(f"Assumed yearly pay and benefits per position (not from the city budget): {costs}. A Community "
                     "Response team is three people (clinician, peer support specialist, EMT); a Co-Response team's "
                     "police officer is on the police budget and not counted; a 911-center post is one clinician.")
    return lines
