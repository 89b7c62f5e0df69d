"""What a value from an input file may show: a code, never a record.

The one rule for every message and page that quotes an input value (the run
summary and blocking paragraph, pipeline/cli/summary.py; the data-quality page,
pipeline/reports/quality.py; the configuration fit, pipeline/config_fit.py):
only values of the contract's code columns (and unreadable times) are ever read
out of the quarantine, and of those only the ones that look like a code are
quoted. Anything else is said as a count of distinct values and rows.
Also here: the CSV-injection rule for every CSV the project writes.
"""

from __future__ import annotations

import re

from pipeline.ingest import contract

# Dates and times are kept as they are; any other run of 7 or more digits, with or
# without separators, is treated as a phone number. Dates and times are matched
# first so "2022-07-02 24:61:00" reads as a time, not as a 12-digit number.
_DATE_OR_TIME = r"\d{4}-\d{1,2}-\d{1,2}|\d{1,2}/\d{1,2}/\d{2,4}|\d{1,2}:\d{2}(?::\d{2})?(?:\.\d+)?"
_PHONE = r"\+?\(?\d(?:[\s().\-/+]*\d){6,}"
_NUMBERS = re.compile(rf"(?P<keep>{_DATE_OR_TIME})|(?P<phone>{_PHONE})")

# A code is one short token: a profile's lookup key (MENTAL, 1016PT, K9, NR-No is not one).
# 12 characters is longer than any code in the sample or the real-data profiles; a name,
# a sentence or a formula (=HYPERLINK(...)) is longer, has a space, or a character outside this set.
MAX_CODE_CHARS = 12
_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_\-./:]*")
# An unreadable time is quoted when it is made of what times are made of: digits, separators, AM/PM.
_TIME = re.compile(r"[0-9][0-9 :/\-.T]*(?:\s?[AaPp][Mm])?")
MAX_TIME_CHARS = 25

# OWASP CSV injection: a cell starting with one of these is run as a formula by spreadsheets.
CSV_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def code_columns() -> list[str]:
    """'kind.column' for every contract field of type code: the only columns whose values may be shown."""
    return [f"{kind}.{f.name}" for kind, fields in contract.FIELDS.items() for f in fields if f.type == "code"]


def looks_like_phone(text: str) -> bool:
    return any(m.group("phone") for m in _NUMBERS.finditer(text))


def mask_phones(text: str) -> str:
    """The text with every phone-like run of digits replaced (dates and times left alone)."""
    return _NUMBERS.sub(lambda m: m.group("keep") or "[number hidden]", text)


def looks_like_code(text: str | None) -> bool:
    """Whether a value may be quoted as a code: one token of at most 12 letters, digits and - _ . / :,
    no space, and no run of digits like a phone number."""
    if text is None:
        return False
    text = text.strip()
    return (0 < len(text) <= MAX_CODE_CHARS and _CODE.fullmatch(text) is not None
            and not looks_like_phone(text))


def looks_like_time(text: str | None) -> bool:
    """Whether an unreadable time may be quoted: digits, separators and AM/PM only, and no phone number."""
    if text is None:
        return False
    text = " ".join(text.split())
    return (0 < len(text) <= MAX_TIME_CHARS and _TIME.fullmatch(text) is not None
            and not looks_like_phone(text))


def quotable(kind: str | None, column: str | None, check: str | None, value: str | None) -> str | None:
    """The value as a message may quote it (trimmed), or None when it must be counted instead.

    A value is quoted only from a contract code column or an unreadable time, and only when it
    looks like a code (or, for a time, like a time: "25:61:00", "TBD"); any other column may
    describe a person.
    """
    if value is None:
        return None
    text = " ".join(value.split())
    if check == "unparseable_timestamp":
        return text if looks_like_time(text) or looks_like_code(text) else None
    if f"{kind}.{column}" in code_columns() and looks_like_code(text):
        return text
    return None


def counted(values: int, rows: int) -> str:
    """What a message says instead of a value it may not quote."""
    return (f"{values:,} distinct value{'s' if values != 1 else ''} in {rows:,} row{'s' if rows != 1 else ''}, "
            "not quoted")


def neutralise_csv_cell(value):
    """A text cell as a CSV may hold it: one starting with = + - @, a tab or a carriage return gets a
    leading single quote, so a spreadsheet shows it as text instead of running it (OWASP). Anything
    that is not text (numbers, dates, None) is returned as it is: -3 is a number, not a formula."""
    if isinstance(value, str) and value.startswith(CSV_FORMULA_START):
        return "'" + value
    return value
