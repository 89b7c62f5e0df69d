"""What a value from an input file may show: only codes, never a phone number.

Shared by the data-quality report (pipeline/reports/quality.py) and the run
summary (pipeline/cli/summary.py), which both quote example values from the
quarantine.
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


def code_columns() -> list[str]:
    """'kind.column' for every contract field of type code: the only columns whose values may be shown."""
    return [f"{kind}.{f.name}" for kind, fields in contract.FIELDS.items() for f in fields if f.type == "code"]


def looks_like_phone(text: str) -> bool:
    return any(m.group("phone") for m in _NUMBERS.finditer(text))


def mask_phones(text: str) -> str:
    """The text with every phone-like run of digits replaced (dates and times left alone)."""
    return _NUMBERS.sub(lambda m: m.group("keep") or "[number hidden]", text)
