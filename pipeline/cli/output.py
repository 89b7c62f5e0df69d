"""Print rows as a terminal table, CSV or JSON (for `heart metrics` and `heart sql`)."""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from pipeline.disclosure.redaction import neutralise_csv_cell


def plain_value(value: Any) -> Any:
    """A value JSON and CSV can carry: dates as ISO text, decimals as numbers, the rest as text."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return None if math.isnan(value) or math.isinf(value) else value
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [plain_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain_value(v) for k, v in value.items()}
    if isinstance(value, (bytes, bytearray)):
        return value.hex()
    return str(value)


def to_json(rows: Sequence[dict]) -> str:
    return json.dumps([{k: plain_value(v) for k, v in row.items()} for row in rows], indent=2)


def to_csv(rows: Sequence[dict], columns: Sequence[str]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _csv_cell(row.get(k)) for k in columns})
    return buffer.getvalue()


def _csv_cell(value: Any) -> Any:
    """A CSV cell: text a spreadsheet would run as a formula gets a leading quote; numbers stay numbers (-3)."""
    if value is None:
        return ""
    return neutralise_csv_cell(value) if isinstance(value, str) else plain_value(value)


def to_table(rows: Sequence[Sequence[str]], headers: Sequence[str], right_align: Sequence[bool]) -> str:
    """Fixed-width text table; `rows` are already-formatted strings."""
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(headers)]

    def line(cells):
        return "  ".join(c.rjust(w) if right else c.ljust(w) for c, w, right in zip(cells, widths, right_align)).rstrip()

    return "\n".join([line(headers), line(["-" * w for w in widths]), *(line(r) for r in rows)])
