"""The weekly operations report (department staff): one file per week, Monday to Sunday, local time.

Every figure is a metric_values row of grain `week` (the same rows `heart
metrics` and the council dashboard read), except three plain aggregates the
metric layer does not hold, each from its own SQL file under sql/reports/:
the hours served on each day, the response-time distribution in 5-minute
bands, and the week's data-quality counts.

It opens with what needs attention (pipeline/reports/attention.py holds the
rule for an unusual figure): headline figures outside their range of the
previous 12 weeks, quarantine above its limit, follow-ups overdue or pending.

This report is for staff, so counts are not suppressed; it says so at the
top. It still carries aggregates only: no call, person or address.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb

from pipeline.ingest.contract import HEART_UNIT_NAMES, HEART_UNITS, OUTCOMES
from pipeline.vocabulary import HOURS, UNMET_REASON_LABELS, UNMET_REASONS, WEEKDAYS
from pipeline.metrics import values
from pipeline.reports import attention, charts, metric_text, render
from pipeline.reports.charts import Table
from pipeline.settings import DEFAULT_MAX_QUARANTINE_SHARE
from pipeline.warehouse.sqlfiles import query_sql_file

TREND_WEEKS = 12
# The headline cards, in reading order: (metric_id, unit).
HEADLINES = (
    ("eligible_calls", "ALL"), ("responses", "ALL"), ("eligible_answered_rate", "ALL"),
    ("unmet_eligible_calls", "ALL"), ("diversion_rate", "CR"), ("resolved_without_in_person_rate", "CCD"),
    ("heart_response_time_median", "ALL"), ("police_response_time_median", "ALL"), ("felt_safe_rate", "ALL"),
    ("officer_hours_saved", "ALL"), ("people_reached", "CN"), ("care_nav_followup_48h_rate", "CN"),
)
# The headline figures the CAD export alone gives, shown when no HEART log has been loaded.
CAD_SIDE = ("eligible_calls", "police_response_time_median")
OUTCOME_LABELS = {o: o.replace("_", " ").capitalize() for o in OUTCOMES}
CONTACT_LABELS = {"in_person": "In person", "phone": "Phone", "none": "No contact"}
SOURCE_LABELS = {"cad": "CAD export", "heart": "HEART log"}
REPORT_DIR = "weekly"


def report_path(week: date) -> str:
    return f"{REPORT_DIR}/weekly-{week.isoformat()}.html"


def _formatters(definition: dict):
    """How a value and a change of this metric are written: 45.0% and 3.0 points, 12 and 3, 13.9 min."""
    def value(v):
        return metric_text.format_value({"value": v}, definition)

    if definition["kind"] == "rate":
        return value, lambda v: f"{100 * v:.1f} points"
    if definition["value_unit"] == "minutes":
        return value, lambda v: f"{v:.1f} min"
    if definition["value_unit"] == "hours":
        return value, lambda v: f"{v:,.1f} h"
    return value, lambda v: f"{v:,.0f}"


def _title(definition: dict, unit: str) -> str:
    """The metric's name, with the unit's name unless it already says it."""
    if unit == "ALL" or HEART_UNIT_NAMES[unit] in definition["name"]:
        return definition["name"]
    return f"{definition['name']}: {HEART_UNIT_NAMES[unit]}"


def _card(mv, defs, metric_id, unit, week, previous_week) -> dict:
    """A headline card: the value, its change from last week in words, and a flag when it is unusual."""
    d = defs[metric_id]
    row = mv.row(metric_id, week, unit)
    before = mv.row(metric_id, previous_week, unit)
    history = [_num(mv.row(metric_id, week - timedelta(days=7 * k), unit))
               for k in range(attention.HISTORY_WEEKS, 0, -1)]
    value, delta = _formatters(d)
    now = _num(row)
    side = attention.unusual(now, history)
    usual = attention.usual_range(history)
    anchor = f"card-{metric_id}-{unit}".lower()
    return {
        "metric_id": metric_id, "unit": unit, "title": _title(d, unit), "anchor": anchor,
        "raw_value": "" if now is None else repr(float(now)),
        "value_text": metric_text.format_value(row, d), "interval_text": metric_text.interval_text(row, d),
        "counts_text": metric_text.counts_text(row, d),
        "change_text": attention.change_words(now, _num(before), value, delta),
        "direction": attention.direction(now, _num(before)),
        "unusual": side,
        "unusual_text": (f"Unusual: {side} the range of the previous {attention.HISTORY_WEEKS} weeks "
                         f"({value(usual[0])} to {value(usual[1])})") if side else "",
        "attention": attention.unusual_item(_title(d, unit), anchor, now, history, value),
        "definition": d,
    }


def _num(row, field="value"):
    return None if row is None else row[field]


def _count_text(value) -> str:
    return "—" if value is None else f"{value:,.0f}"


def _trend_charts(mv, defs, weeks) -> list[charts.Chart]:
    labels = [w.strftime("%d %b") for w in weeks]
    eligible = [_num(mv.row("eligible_calls", w)) for w in weeks]
    answered = [_num(mv.row("eligible_answered_rate", w), "numerator") for w in weeks]
    responses = [_num(mv.row("responses", w)) for w in weeks]
    counts_table = Table(["Week starting", "Eligible calls", "Answered by HEART", "HEART responses"],
                         [[w.isoformat(), _count_text(e), _count_text(a), _count_text(r)]
                          for w, e, a, r in zip(weeks, eligible, answered, responses)])
    demand = charts.line_chart(
        "trend-counts", f"Demand and responses, last {len(weeks)} weeks",
        "Eligible calls received, eligible calls a HEART unit answered, and all HEART responses "
        "(Crisis Call Diversion, Community Response, Co-Response), per week starting Monday.",
        labels, [("Eligible calls", eligible), ("Answered by HEART", answered), ("HEART responses", responses)],
        axis_x="Week starting", axis_y="Calls / responses", table=counts_table)
    rate_rows = {m: [mv.row(m, w, u) for w in weeks] for m, u in
                 (("eligible_answered_rate", "ALL"), ("diversion_rate", "CR"))}
    rates_table = Table(
        ["Week starting", "Eligible calls answered", "95% interval", "Community Response diversion", "95% interval"],
        [[w.isoformat()] + sum(([metric_text.format_value(r, defs[m]), metric_text.interval_text(r, defs[m])
                                 .removeprefix("95% interval ")] for m, r in
                                (("eligible_answered_rate", a), ("diversion_rate", d))), [])
         for w, a, d in zip(weeks, rate_rows["eligible_answered_rate"], rate_rows["diversion_rate"])])
    shares = charts.line_chart(
        "trend-rates", f"Shares, last {len(weeks)} weeks",
        "Share of eligible calls a HEART unit answered, and share of Community Response calls handled with "
        "no police unit on scene. Shaded: 95% interval (Wilson).",
        labels, [("Eligible calls answered", [_num(r) for r in rate_rows["eligible_answered_rate"]]),
                 ("Community Response diversion", [_num(r) for r in rate_rows["diversion_rate"]])],
        axis_x="Week starting", axis_y="Share", percent=True, table=rates_table,
        bands=[([_num(r, "ci_low") for r in rows], [_num(r, "ci_high") for r in rows])
               for rows in rate_rows.values()])
    return [demand, shares]


def _units_chart(mv, week, previous_week) -> charts.Chart:
    this = [_num(mv.row("responses", week, u)) or 0 for u in HEART_UNITS]
    before = [_num(mv.row("responses", previous_week, u)) or 0 for u in HEART_UNITS]
    modes = {u: mv.breakdown("responses", week, u, "contact_mode") for u in HEART_UNITS}
    rows = []
    for u, now, prev in zip(HEART_UNITS, this, before):
        rows.append([HEART_UNIT_NAMES[u], _count_text(now), _count_text(prev), render.fmt_signed(now - prev)]
                    + [_count_text(_num(modes[u].get(m)) or 0) for m in CONTACT_LABELS])
    table = Table(["Unit", "This week", "Previous week", "Change", *CONTACT_LABELS.values()], rows,
                  note="Care Navigation responses are follow-ups after a crisis response; "
                       "the headline response count leaves them out.")
    return charts.bar_chart(
        "responses-by-unit", "Responses by unit",
        "HEART responses this week and the week before, by unit.",
        [HEART_UNIT_NAMES[u] for u in HEART_UNITS], [("Previous week", before), ("This week", this)],
        axis_y="Responses", table=table)


def _unmet_chart(mv, defs, week) -> charts.Chart:
    eligible = _num(mv.row("eligible_calls", week)) or 0
    answered = _num(mv.row("eligible_answered_rate", week), "numerator") or 0
    reasons = mv.breakdown("unmet_eligible_calls", week, "ALL", "reason")
    categories = ["Answered by HEART", *UNMET_REASON_LABELS.values()]
    counts = [answered] + [_num(reasons.get(r)) or 0 for r in UNMET_REASONS]

    def share(n):
        return render.fmt_pct(n / eligible) if eligible else "—"

    table = Table(["Eligible calls", "Calls", "Share of eligible"],
                  [[c, _count_text(n), share(n)] for c, n in zip(categories, counts)]
                  + [["All eligible calls", _count_text(eligible), share(eligible) if eligible else "—"]],
                  note="Every eligible call is either answered or unmet for exactly one reason. "
                       + defs["unmet_eligible_calls"]["caveats"])
    return charts.bar_chart(
        "answered-unmet", "Eligible calls: answered, and unmet by reason",
        "Each eligible call this week, answered by a HEART unit or, if not, why not.",
        categories, [("Calls", counts)], axis_y="Eligible calls", table=table, horizontal=True, height=300)


def _heatmap(con, mv, week) -> charts.Chart:
    cells = mv.breakdown("eligible_calls", week, "ALL", "weekday+hour_of_day")
    grid = [[int(_num(cells.get(f"{day}|{hour}")) or 0) for hour in HOURS] for day in WEEKDAYS]
    served = query_sql_file(con, "reports/weekly_service_hours.sql", {"week_start": week})
    by_day = {s["iso_weekday"]: s for s in served}
    outlines, served_text = [], []
    for i, day in enumerate(WEEKDAYS):
        s = by_day.get(i + 1)
        if s and s["service_start"] is not None and s["service_end"] is not None:
            start = s["service_start"].hour + s["service_start"].minute / 60
            end = s["service_end"].hour + s["service_end"].minute / 60
            outlines.append((i, start, end))
            served_text.append(f"{s['service_start']:%H:%M}–{s['service_end']:%H:%M}")
        else:
            served_text.append("not served")
    row_labels = [f"{day} {(week + timedelta(days=i)):%d %b}" for i, day in enumerate(WEEKDAYS)]
    table = Table(["Day", "HEART hours", *HOURS, "Total"],
                  [[label, served_text[i], *[_count_text(n) for n in grid[i]], _count_text(sum(grid[i]))]
                   for i, label in enumerate(row_labels)],
                  note="Columns are the hour of the day the call was received (00 = midnight to 1am), local time.")
    return charts.heatmap_chart(
        "eligible-heatmap", "Eligible calls by day and hour, against the hours served",
        "Eligible calls received in each hour of each day this week (the number in each cell; darker is more, "
        "the lightest cells had none). "
        "Outlined in orange: the hours HEART took calls that day. Calls outside the outline could not be answered.",
        list(HOURS), row_labels, grid, text=[[("" if n == 0 else f"{n:,}") for n in row] for row in grid],
        axis_x="Hour of day (local)", colour_title="Calls", outlines=outlines, table=table, x_suffix=":00")


def _response_time_chart(con, mv, defs, week) -> charts.Chart:
    bands = query_sql_file(con, "reports/weekly_response_time_buckets.sql", {"week_start": week})
    starts = sorted({b["band_start"] for b in bands})
    labels = [f"{s}–{s + 4}" if s < 60 else "60+" for s in starts]
    series = {g: [next(b["responses"] for b in bands if b["responder_group"] == g and b["band_start"] == s)
                  for s in starts] for g in ("HEART", "Police")}
    medians = {name: mv.row(m, week) for name, m in (("HEART", "heart_response_time_median"),
                                                     ("Police", "police_response_time_median"))}
    table = Table(["Minutes to arrival", "HEART (Community Response, Co-Response)", "Police, eligible calls HEART did not answer"],
                  [[label, _count_text(h), _count_text(p)] for label, h, p in
                   zip(labels, series["HEART"], series["Police"])],
                  note="Medians this week: " + "; ".join(
                      f"{name} {metric_text.format_value(r, defs['heart_response_time_median'])}"
                      for name, r in medians.items()) + ".")
    return charts.bar_chart(
        "response-times", "Response times",
        "Minutes from the 911 call being received to the first unit arriving on scene, in 5-minute bands: "
        "HEART in-person units against police on the same eligible call types HEART did not answer.",
        labels, [("HEART", series["HEART"]), ("Police", series["Police"])],
        axis_x="Minutes from call to arrival", axis_y="Calls", table=table)


def _outcomes_chart(mv, week) -> charts.Chart:
    shares = {u: mv.breakdown("outcome_share", week, u, "outcome") for u in HEART_UNITS}
    series = [(HEART_UNIT_NAMES[u], [_num(shares[u].get(o)) for o in OUTCOMES]) for u in HEART_UNITS]
    text = [[("" if v is None else render.fmt_pct(v, 0)) for v in vals] for _, vals in series]

    def cell(u, o):
        r = shares[u].get(o)
        return "—" if r is None or not r["denominator"] else f"{r['numerator']:,.0f} ({render.fmt_pct(r['value'])})"

    table = Table(["Outcome", *[HEART_UNIT_NAMES[u] for u in HEART_UNITS]],
                  [[OUTCOME_LABELS[o], *[cell(u, o) for u in HEART_UNITS]] for o in OUTCOMES],
                  note="Each cell: responses with that outcome (share of the unit's responses with an outcome recorded).")
    chart = charts.bar_chart(
        "outcomes", "Outcomes by unit", "Share of each unit's responses this week ending in each outcome.",
        [OUTCOME_LABELS[o] for o in OUTCOMES], series, axis_y="Share of responses", table=table, value_text=text)
    chart.spec["layout"]["yaxis"]["tickformat"] = ".0%"
    return chart


def _rate_table(mv, defs, week, metric_id, units) -> Table:
    d = defs[metric_id]
    rows = []
    for u in units:
        r = mv.row(metric_id, week, u)
        rows.append([("All units" if u == "ALL" else HEART_UNIT_NAMES[u]), metric_text.format_value(r, d),
                     metric_text.counts_text(r, d), metric_text.interval_text(r, d).removeprefix("95% interval ")])
    return Table(["Unit", d["name"], "Count", "95% interval"], rows)


def _rows_by_source(files) -> dict[str, tuple[int, int]]:
    """(rows quarantined, rows read) per source over the readable files."""
    totals: dict[str, tuple[int, int]] = {}
    for f in files:
        if f["status"] == "unreadable" or f["rows_read"] is None:
            continue
        label = SOURCE_LABELS.get(f["kind"], str(f["kind"]))
        q, r = totals.get(label, (0, 0))
        totals[label] = (q + (f["rows_quarantined"] or 0), r + f["rows_read"])
    return totals


def _attention(con, mv, cards, care, pending, files, week, data_last, limit) -> list[attention.Item]:
    """The "Needs attention" strip, in the order attention.py gives."""
    items = [c["attention"] for c in cards if c["attention"] is not None]
    before = query_sql_file(con, "reports/weekly_files.sql", {"week_start": week - timedelta(days=7)})
    items += attention.quarantine_items(_rows_by_source(files), _rows_by_source(before), limit)
    care_before = mv.row("care_nav_followup_48h_rate", week - timedelta(days=7), "CN")
    def not_on_time(row):
        return None if row is None or row["denominator"] is None else int(row["denominator"] - row["numerator"])

    overdue = attention.overdue_item(not_on_time(care), not_on_time(care_before))
    items += [i for i in (overdue, attention.pending_item(pending["pending"], data_last, pending["first_due"]))
              if i is not None]
    return items


def build_weekly_context(con: duckdb.DuckDBPyConnection, week: date,
                         max_quarantine_share: float = DEFAULT_MAX_QUARANTINE_SHARE) -> dict:
    """Everything the weekly template shows for the week starting `week` (a Monday)."""
    if week.weekday() != 0:
        raise ValueError(f"a week starts on a Monday; {week} is a {week:%A}")
    previous_week = week - timedelta(days=7)
    weeks = [week - timedelta(days=7 * k) for k in reversed(range(TREND_WEEKS))]
    # The trend shows TREND_WEEKS; the "unusual" rule looks at the HISTORY_WEEKS before this one.
    mv = values.MetricValues.load(con, "week", sorted(set(weeks) | {
        week - timedelta(days=7 * k) for k in range(attention.HISTORY_WEEKS + 1)}))
    defs = values.load_definitions(con)
    first, last = values.data_range(con)
    in_data = [w for w in weeks if first is not None and w + timedelta(days=6) >= first and w <= last]
    heart_log = values.heart_log_loaded(con)
    # Without a HEART log only the CAD side is shown: anything answered or responded would read 0.
    cards = [_card(mv, defs, m, u, week, previous_week) for m, u in HEADLINES if heart_log or m in CAD_SIDE]
    care = mv.row("care_nav_followup_48h_rate", week, "CN")
    pending = query_sql_file(con, "reports/weekly_pending_followups.sql")[0]
    files = query_sql_file(con, "reports/weekly_files.sql", {"week_start": week})
    exports = {f["kind"]: f["export_as_of"] for f in files}
    quality = {
        "files": files,
        "reasons": query_sql_file(con, "reports/weekly_quarantine_reasons.sql",
                                  {"file_ids": [f["file_id"] for f in files]}),
        "records": query_sql_file(con, "reports/weekly_late_updated.sql", {
            "week_start": week, "cad_export": exports.get("cad"), "heart_export": exports.get("heart")}),
    }
    used = [m for m in dict.fromkeys([m for m, _ in HEADLINES] + ["outcome_share", "police_backup_rate"])]
    return {
        "week": week, "week_end": week + timedelta(days=6), "previous_week": previous_week,
        "has_data": mv.row("eligible_calls", week) is not None,
        "data_first": first, "data_last": last,
        "cards": cards,
        "heart_log_loaded": heart_log,
        "no_heart_log": values.NO_HEART_LOG,
        "trend": _trend_charts(mv, defs, in_data or [week]) if heart_log else [],
        "units": _units_chart(mv, week, previous_week),
        "unmet": _unmet_chart(mv, defs, week),
        "heatmap": _heatmap(con, mv, week),
        "response_times": _response_time_chart(con, mv, defs, week),
        "outcomes": _outcomes_chart(mv, week),
        "safety": [_rate_table(mv, defs, week, "felt_safe_rate", ("ALL", "CR", "COR", "CN")),
                   _rate_table(mv, defs, week, "police_backup_rate", ("ALL", "CR", "COR", "CN"))],
        "care": {
            "due": _num(care, "denominator"), "on_time": _num(care, "numerator"),
            "not_on_time": None if care is None else care["denominator"] - care["numerator"],
            # Due after the data's last day: in no week's rate yet (see care_nav_followup_48h_rate).
            "pending": pending["pending"], "pending_first_due": pending["first_due"],
            # Repeats of headline cards: no anchor, so the strip's links (and ids) stay unique.
            "card": dict(_card(mv, defs, "care_nav_followup_48h_rate", "CN", week, previous_week), anchor=""),
            "people": dict(_card(mv, defs, "people_reached", "CN", week, previous_week), anchor=""),
        },
        "quality": quality,
        "attention": _attention(con, mv, cards if heart_log else [c for c in cards if c["metric_id"] in CAD_SIDE],
                                care if heart_log else None, pending if heart_log else {"pending": 0, "first_due": None},
                                files, week, last, max_quarantine_share),
        "attention_rule": attention.RULE_TEXT,
        "max_quarantine_share": max_quarantine_share,
        "definitions": [defs[m] for m in used],
    }


def write_weekly_report(con: duckdb.DuckDBPyConnection, reports_dir: Path, week: date, built_at: datetime,
                        max_quarantine_share: float = DEFAULT_MAX_QUARANTINE_SHARE) -> Path:
    context = build_weekly_context(con, week, max_quarantine_share)
    last = context["data_last"]
    data_to = min(context["week_end"], last) if last is not None and last >= week else context["week_end"]
    meta = render.ReportMeta("weekly", f"HEART weekly operations report: week of {week:%-d %b %Y}",
                             week, data_to, built_at)
    # Link the week before only when its file exists: heart run builds just the latest week.
    previous_built = (reports_dir / report_path(context["previous_week"])).is_file()
    return render.render_report(reports_dir, report_path(week), "weekly.html", meta,
                                previous_built=previous_built, **context)
