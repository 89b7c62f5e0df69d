"""The one-screen run summary: per source and per file, the top quarantine reasons, the headline."""

from __future__ import annotations

from pathlib import Path

import duckdb

import math

from pipeline import config_fit, marts, validate
from pipeline.ingest import versions as profile_versions
from pipeline.disclosure.redaction import counted, quotable
from pipeline.program import ProgramConfigError, load_program
from pipeline.warehouse.sqlfiles import query_sql_file
from pipeline.warehouse import has_table

MAX_FILE_LINES = 12
MAX_BLOCKING_REASONS = 3


def _fmt(n: int) -> str:
    return f"{n:,}"


def render_summary(con: duckdb.DuckDBPyConnection, warehouse: Path, reports: Path,
                   program: Path | None = None, fit: config_fit.Fit | None = None) -> str:
    """The run summary; `fit` is the program configuration against the data when the caller has it already."""
    files = validate.load_audit_rows(con)
    reasons = validate.top_quarantine_reasons(con, limit=6)
    lines: list[str] = []
    lines.extend(_profile_lines(con, program))
    lines.append("Sources")
    lines.append(f"  {'source':<8} {'files':>6} {'unreadable':>10} {'read':>10} {'accepted':>10} {'quarantined':>11}")
    for kind in ("cad", "heart"):
        mine = [f for f in files if f["kind"] == kind]
        lines.append(
            f"  {kind:<8} {len(mine):>6} {sum(f['status'] == 'unreadable' for f in mine):>10}"
            f" {_fmt(sum(f['rows_read'] for f in mine)):>10} {_fmt(sum(f['rows_accepted'] for f in mine)):>10}"
            f" {_fmt(sum(f['rows_quarantined'] for f in mine)):>11}"
        )
    unmatched = [f for f in files if f["kind"] is None]
    if unmatched:
        lines.append(f"  {'(none)':<8} {len(unmatched):>6} {len(unmatched):>10}")
    lines.append("")
    # Files worth a look first: unreadable ones, then the most quarantined.
    shown = sorted(files, key=lambda f: (f["status"] != "unreadable", -f["rows_quarantined"], f["file_name"]))
    lines.append(f"Files ({len(files)} in the warehouse; unreadable and most-quarantined first)")
    lines.append(f"  {'file':<36} {'read':>8} {'accepted':>9} {'quarantined':>11}  reconciles")
    for f in shown[:MAX_FILE_LINES]:
        if f["status"] == "unreadable":
            lines.append(f"  {f['file_name'][:36]:<36} UNREADABLE: {f['error']}")
        else:
            lines.append(
                f"  {f['file_name'][:36]:<36} {_fmt(f['rows_read']):>8} {_fmt(f['rows_accepted']):>9}"
                f" {_fmt(f['rows_quarantined']):>11}  {'yes' if f['reconciles'] else 'NO'}"
            )
    if len(shown) > MAX_FILE_LINES:
        rest = shown[MAX_FILE_LINES:]
        ok = all(f["reconciles"] for f in rest)
        lines.append(
            f"  ... {len(rest)} more files, {_fmt(sum(f['rows_quarantined'] for f in rest))} rows quarantined,"
            f" {'all reconcile' if ok else 'SOME DO NOT RECONCILE'} (SELECT * FROM audit.load_audit)"
        )
    lines.append("")
    lines.append("Top quarantine reasons")
    if not reasons:
        lines.append("  none")
    for r in reasons:
        lines.append(
            f"  {r['kind']:<6} {r['column_name'] + ': ' + r['check_name']:<40} {_fmt(r['rows_affected']):>7} rows"
            + _example_words(r, "  e.g. {}", "  ({})")
        )
    lines.append("")
    fit = fit if fit is not None else program_fit(con, program)
    if fit is not None:
        lines.extend(_fit_lines(fit))
    # Said once per run, here: what the impact marts cannot count for want of a profile mapping.
    notes = marts.impact_notes(con)
    if notes:
        lines += ["Impact outcomes (marts.impact_beat_week, impact_hour_week)", *(f"  {n}" for n in notes), ""]
    lines.extend(_headline(con, heart_log=fit.heart_log_loaded if fit is not None else True))
    lines.append(f"Warehouse: {warehouse}")
    lines.append(f"Reports:   {reports}")
    return "\n".join(lines)


def _headline(con: duckdb.DuckDBPyConnection, heart_log: bool = True) -> list[str]:
    """Program to date, when the metrics were built; how to ask for any other window.

    Without a HEART log only the CAD side (eligible calls): the rest would read 0.
    """
    if not has_table(con, "metrics", "metric_values"):
        return []
    rows = query_sql_file(con, "metrics/_summary.sql")
    if not heart_log:
        rows = [r for r in rows if r["metric_id"] == "eligible_calls"]
    if not rows:
        return []
    first, end = rows[0]["period_start"], rows[0]["period_end"]
    lines = [f"Program to date ({first} to {end}, end exclusive; all figures in metrics.metric_values)"]
    for r in rows:
        if r["kind"] == "rate":
            shown = f"{100 * r['value']:.1f}%  ({_fmt(int(r['numerator']))} of {_fmt(int(r['denominator']))})"
        else:
            shown = _fmt(round(r["value"]))
        lines.append(f"  {r['name']:<40} {shown}")
    lines.append("  Any window: heart metrics --start YYYY-MM-DD --end YYYY-MM-DD")
    lines.append("")
    return lines


def shown_example(kind: str, column: str, check: str, value: str | None) -> str | None:
    """An offending value as the summary may print it (pipeline/disclosure/redaction.py: quotable)."""
    return quotable(kind, column, check, value)


def _example_words(r: dict, quoted: str, hidden: str) -> str:
    """A reason's example when it may be quoted, else how many distinct values and rows (never a value)."""
    example = shown_example(r["kind"], r["column_name"], r["check_name"], r["example_value"])
    if example:
        return quoted.format(example)
    if r["example_value"] is not None:   # a code column or a time whose values may not be quoted: a count
        return hidden.format(counted(int(r["distinct_values"]), int(r["rows_affected"])))
    return ""


def _profile_lines(con: duckdb.DuckDBPyConnection, program: Path | None) -> list[str]:
    """Files brought up to date because their profile changed, and times read in another zone than the program's."""
    lines: list[str] = []
    if has_table(con, "audit", "profile_revalidations"):
        changes = profile_versions.summary_lines(con)
        if changes:
            lines += ["Profiles changed since the files were loaded", *(f"  {c}" for c in changes), ""]
    try:
        program_timezone = load_program(program).timezone if program is not None else None
    except ProgramConfigError:
        program_timezone = None
    zones = profile_versions.timezone_lines(con, program_timezone) if program_timezone else []
    if zones:
        lines += ["Time zones", *(f"  {z}" for z in zones), ""]
    return lines


def program_fit(con: duckdb.DuckDBPyConnection, program: Path | None) -> config_fit.Fit | None:
    """The program configuration file against the data (None without a readable one)."""
    if program is None:
        return None
    try:
        return config_fit.check_fit(con, load_program(program))
    except ProgramConfigError:
        return None


def _fit_lines(fit: config_fit.Fit) -> list[str]:
    """The program configuration against the data: what does not fit, and a missing HEART log."""
    lines = ["Program configuration against the data"]
    if not fit.heart_log_loaded:
        lines.append(f"  {config_fit.NO_HEART_LOG}: the program-to-date figures below are the CAD side only")
    lines.extend(f"  {finding}" for finding in fit.findings)
    if fit.blocking_reason:
        lines.append(f"  FAILED: {fit.blocking_reason}")
    if len(lines) == 1:
        lines.append("  fits: every CAD incident and HEART response is inside the program's dates, and every "
                     "eligible call type and beat is in the data")
    lines.append("")
    return lines


def blocking_paragraph(con: duckdb.DuckDBPyConnection, kind: str, limit: float, profiles: dict[str, Path],
                       reports: Path) -> str:
    """What to do when a source's quarantined share blocked the run, as one paragraph.

    The share and the limit, the top reasons (column, check, rows; an example only when it is a short
    code-like token), the profile to fix and the flag to raise.
    """
    share = validate.quarantine_share(con, kind)
    name = {"cad": "CAD", "heart": "HEART log"}[kind]
    reasons = validate.top_quarantine_reasons(con, limit=MAX_BLOCKING_REASONS, kind=kind)
    shown = []
    used: list[str] = []
    for r in reasons:
        rows = int(r["rows_affected"])
        shown.append(f"{r['column_name']} {r['check_name']}, {_fmt(rows)} row{'s' if rows != 1 else ''}"
                     + _example_words(r, " (e.g. {})", " ({})"))
        used += [p for p in r["profiles"] or [] if p not in used]
    files = [config_fit.config_label(profiles[p]) if p in profiles else f"profile {p}" for p in used]
    raise_to = math.ceil(round(share.share * 100, 6)) / 100
    text = (f"Blocked: {_fmt(share.rows_quarantined)} of {_fmt(share.rows_read)} {name} rows "
            f"({share.share:.1%}) were quarantined, above the limit of {limit:.1%} (--max-quarantine-share {limit:g}), "
            "so the canonical tables were not updated from this batch.")
    if shown:
        text += " Top reasons: " + "; ".join(shown) + "."
    text += (f" If the export is right and is read wrongly (a lookup missing codes, a time format, a column name), "
             f"fix {' or '.join(files) if files else 'its source profile'} and run again; to accept this batch as "
             f"it is, run again with --max-quarantine-share {raise_to:g}. Details: "
             f"{reports / 'quality' / 'data-quality.html'}")
    return text
