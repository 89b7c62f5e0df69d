"""Print rows as a terminal table, CSV or JSON (for `heart metrics`, and later `heart sql`)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from datetime import date, datetime


def _plain(value):
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def to_json(rows: Sequence[dict]) -> str:
    return json.dumps([{k: _plain(v) for k, v in row.items()} for row in rows], indent=2)


def to_csv(rows: Sequence[dict], columns: Sequence[str]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: "" if row.get(k) is None else _plain(row.get(k)) for k in columns})
    return buffer.getvalue()


def to_table(rows: Sequence[Sequence[str]], headers: Sequence[str], right_align: Sequence[bool]) -> str:
    """Fixed-width text table; `rows` are already-formatted strings."""
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(headers)]

    def line(cells):
        return "  ".join(c.rjust(w) if right else c.ljust(w) for c, w, right in zip(cells, widths, right_align)).rstrip()

    return "\n".join([line(headers), line(["-" * w for w in widths]), *(line(r) for r in rows)])
