"""The words every stage shares, declared once: units, unmet reasons, hours, weekdays, public folders.

The input contract (pipeline/ingest/contract.py) owns the codes a source may carry
(HEART_UNITS, their names, outcomes); this module owns the words the marts,
metrics, reports and open data use to slice them. The SQL side keeps its own
copy where it must (the unmet_reasons() macro in sql/metrics/_macros.sql), and
tests/test_metric_readings.py holds the two in step.
"""

from __future__ import annotations

from pipeline.ingest.contract import HEART_UNIT_NAMES, HEART_UNITS

# The crisis-response units (every HEART unit but Care Navigation, which follows up rather than responds).
CRISIS_UNITS = ("CCD", "CR", "COR")
assert set(CRISIS_UNITS) < set(HEART_UNITS)

# Why an eligible call was not answered by HEART, in the order reports and open data list them:
# the first two are outside the program's coverage, the last two inside it.
UNMET_REASON_LABELS = {
    "outside_service_hours": "Outside service hours",
    "outside_service_area": "Outside service area",
    "no_team_free": "No team free",
    "not_routed": "Not routed to HEART",
}
UNMET_REASONS = tuple(UNMET_REASON_LABELS)

# Hours of the day as the metric dimensions spell them ("00" .. "23"), and weekdays in ISO order (Mon = 1).
HOURS = tuple(f"{h:02d}" for h in range(24))
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

# The open-data files' folder under the reports folder (a pinned path: portals harvest it).
OPEN_DATA_DIR = "open-data"

__all__ = ["CRISIS_UNITS", "HEART_UNITS", "HEART_UNIT_NAMES", "HOURS", "OPEN_DATA_DIR", "UNMET_REASONS",
           "UNMET_REASON_LABELS", "WEEKDAYS"]
