"""Reading figures back out of a rendered report, the way a test checks them against metric_values."""

from __future__ import annotations

import html.parser
from pathlib import Path


class _ReportReader(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.cards: dict[tuple[str, str], dict] = {}
        self.tables: dict[str, list[list[str]]] = {}
        self._figure: str | None = None
        self._card: dict | None = None
        self._table_name: str | None = None
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._value: list[str] | None = None
        self._unnamed = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "figure" and a.get("id"):
            self._figure = a["id"]
        elif tag == "section" and "card" in (a.get("class") or "").split():
            self._card = {"metric": a.get("data-metric"), "unit": a.get("data-unit"), "value": None, "text": ""}
        elif tag == "p" and self._card is not None and a.get("class") == "value":
            self._card["value"] = a.get("data-value")
            self._value = []
        elif tag == "table":
            name = a.get("data-table") or self._figure
            if name is None:
                self._unnamed += 1
                name = f"table-{self._unnamed}"
            while name in self.tables:
                name += "+"
            self._table_name = name
            self.tables[name] = []
        elif tag == "tr" and self._table_name:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "figure":
            self._figure = None
        elif tag == "section" and self._card is not None:
            self.cards[(self._card["metric"], self._card["unit"])] = self._card
            self._card = None
        elif tag == "p" and self._value is not None:
            self._card["text"] = "".join(self._value).strip()
            self._value = None
        elif tag == "table":
            self._table_name = None
        elif tag == "tr" and self._row is not None:
            self.tables[self._table_name].append(self._row)
            self._row = None
        elif tag in ("td", "th") and self._cell is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)
        if self._value is not None:
            self._value.append(data)


def read_report(path: Path) -> _ReportReader:
    reader = _ReportReader()
    reader.feed(path.read_text(encoding="utf-8"))
    return reader


def table_dict(rows: list[list[str]]) -> dict[str, list[str]]:
    """A table's body as {first cell: the other cells} (the header row included under its first cell)."""
    return {row[0]: row[1:] for row in rows}
