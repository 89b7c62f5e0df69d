"""The one-screen run summary: per source and per file, the top quarantine reasons, the headline."""

from __future__ import annotations

from pathlib import Path

import duckdb

from pipeline import validate
from pipeline.sqlfiles import query_sql_file
from pipeline.warehouse import has_table

MAX_FILE_LINES = 12


def _fmt(n: int) -> str:
    return f"{n:,}"


def render_summary(con: duckdb.DuckDBPyConnection, warehouse: Path, reports: Path) -> str:
    files = validate.load_audit_rows(con)
    reasons = validate.top_quarantine_reasons(con, limit=6)
    lines: list[str] = []
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
            f"  e.g. {r['example_value']!r}"
        )
    lines.append("")
    lines.extend(_headline(con))
    lines.append(f"Warehouse: {warehouse}")
    lines.append(f"Reports:   {reports}")
    return "\n".join(lines)


def _headline(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Program to date, when the metrics were built; how to ask for any other window."""
    if not has_table(con, "metrics", "metric_values"):
        return []
    rows = query_sql_file(con, "metrics/_summary.sql")
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
