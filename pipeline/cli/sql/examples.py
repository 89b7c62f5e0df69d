"""The worked analyst questions in sql/examples/: their headers, finding one by number or name, reading a query."""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from pipeline.settings import SQL_DIR
from pipeline.cli.sql.engine import SqlError
from pipeline.warehouse.sqlfiles import read_header

EXAMPLES_DIR = SQL_DIR / "examples"
# Header keys every worked example starts with (`-- key: value`, continued on
# lines indented after `--`, as the metric files' headers are).
EXAMPLE_HEADER_KEYS = ("question", "reading", "tables", "defines", "caveats")

@dataclass(frozen=True)
class Example:
    path: Path
    header: dict[str, str]

    @property
    def name(self) -> str:
        return self.path.stem

    @property
    def question(self) -> str:
        return self.header.get("question", "")


# --- worked examples ----------------------------------------------------------------------


def parse_example_header(text: str) -> dict[str, str]:
    return read_header(text)


def examples(directory: Path = EXAMPLES_DIR) -> list[Example]:
    return [
        Example(path, parse_example_header(path.read_text(encoding="utf-8")))
        for path in sorted(directory.glob("*.sql"))
    ]


def find_example(name: str, directory: Path = EXAMPLES_DIR) -> Example | None:
    """An example by file name, stem, number (3, 03) or the words after the number."""
    wanted = name.strip().removesuffix(".sql")
    for example in examples(directory):
        stem = example.name
        number, _, words = stem.partition("_")
        if wanted in (stem, words) or (wanted.isdigit() and number.isdigit() and int(wanted) == int(number)):
            return example
    return None


def _read_source(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SqlError(f"cannot read {path}: {getattr(exc, 'strerror', None) or exc}") from exc


def resolve_query(query: str | None, file: str | None, stdin: IO[str] | None = None) -> str | None:
    """The SQL to run: --file, `-` (stdin), a .sql path, an example's name or number, or the text itself."""
    if file is not None and query is not None:
        raise SqlError("give either a query or --file, not both")
    source = file if file is not None else query
    if source is None:
        return None
    if source == "-":
        return (stdin or sys.stdin).read()
    token = source.strip()
    if token.endswith(".sql") and Path(token).is_file():
        return _read_source(Path(token))
    if file is not None or (token.endswith(".sql") and not any(c.isspace() for c in token)):
        if Path(token).is_file():
            return _read_source(Path(token))
        example = find_example(Path(token).name)
        if example is not None:
            return _read_source(example.path)
        raise SqlError(f"no such SQL file: {source}")
    if re.fullmatch(r"[\w.-]+", token):
        example = find_example(token)
        if example is not None:
            return _read_source(example.path)
    return source
