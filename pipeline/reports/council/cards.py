"""The headline cards of a council page: counts, rates with their intervals, medians, officer-hours."""

from __future__ import annotations

from pipeline.reports import metric_text
from pipeline.reports.council.base import PageBase
from pipeline.vocabulary import HEART_UNIT_NAMES


class HeadlineCards(PageBase):
    """The cards at the top of the page; a figure is shown only when every count behind it is."""

    def count_card(self, metric_id: str, unit: str, title: str, name: str, note: str = "") -> dict:
        key = self.key(name)
        visible = self.plan.visible(key)
        value = self.plan.cells[key]
        return {
            "metric_id": metric_id, "unit": unit, "title": title, "cell": key,
            "raw_value": repr(value) if visible else "",
            "value_text": self.text(key), "interval_text": "",
            "counts_text": note if visible else self.hidden_note(key),
            "change_text": "", "definition": self.definition(metric_id),
        }

    def rate_card(self, metric_id: str, unit: str, title: str, num: str, rest: str, den_key: str, noun: str) -> dict:
        """A rate with its interval and counts; only when its numerator, the rest and the denominator are all shown."""
        keys = (self.key(num), self.key(rest), den_key)
        d = self.definition(metric_id)
        row = self.row(metric_id, unit)
        card = {"metric_id": metric_id, "unit": unit, "title": title, "cell": keys[0], "definition": d,
                "change_text": "", "interval_text": ""}
        counts = f"{self.text(keys[0])} of {self.text(keys[2])} {noun}"
        if row is None or not row["denominator"]:
            return {**card, "raw_value": "", "value_text": "—", "counts_text": f"No {noun} in this period."}
        if not self.plan.visible(*keys):
            return {**card, "raw_value": "", "value_text": "Not published",
                    "counts_text": f"{counts}. {self.hidden_note(*keys)}"}
        return {**card, "raw_value": repr(float(row["value"])), "value_text": metric_text.format_value(row, d),
                "interval_text": metric_text.interval_text(row, d), "counts_text": counts}

    def median_card(self, metric_id: str, title: str, timed: str, noun: str) -> dict:
        d = self.definition(metric_id)
        row = self.row(metric_id)
        key = self.key(timed)
        card = {"metric_id": metric_id, "unit": "ALL", "title": title, "cell": key, "definition": d,
                "change_text": ""}
        if row is None or row["value"] is None:
            return {**card, "raw_value": "", "value_text": "—", "interval_text": "",
                    "counts_text": f"No {noun} in this period."}
        if not self.plan.visible(key):
            return {**card, "raw_value": "", "value_text": "Not published", "interval_text": "",
                    "counts_text": f"From {self.text(key)} {noun}. {self.hidden_note(key)}"}
        return {**card, "raw_value": repr(float(row["value"])), "value_text": metric_text.format_value(row, d),
                "interval_text": metric_text.interval_text(row, d), "counts_text": f"From {self.text(key)} {noun}."}

    def hours_card(self) -> dict:
        key, diverted = self.key("officer_hours"), self.key("diverted:ALL")
        d = self.definition("officer_hours_saved")
        card = {"metric_id": "officer_hours_saved", "unit": "ALL", "title": d["name"], "cell": key,
                "definition": d, "change_text": "", "interval_text": ""}
        if not self.plan.visible(key):
            return {**card, "raw_value": "", "value_text": "Not published",
                    "counts_text": f"From {self.text(diverted)} calls diverted from police. "
                                   + self.hidden_note(key, diverted)}
        return {**card, "raw_value": repr(self.plan.cells[key]), "value_text": self.text(key),
                "counts_text": f"From {self.text(diverted)} calls diverted from police "
                               "(an estimate: see the definition)."}

    def cards(self) -> list[dict]:
        if not self.data.heart_log_loaded:
            # Only what the CAD export gives: anything answered, diverted or responded would read 0.
            return [
                self.count_card("eligible_calls", "ALL", "Eligible 911 calls",
                                "eligible", "Calls of a HEART-eligible type, citywide, at any hour."),
                self.median_card("police_response_time_median", "Police response time on eligible calls, median",
                                 "timed:police", "police arrivals on eligible calls"),
            ]
        name = HEART_UNIT_NAMES
        return [
            self.count_card("responses", "ALL", "HEART responses", "responses:ALL",
                            f"{name['CCD']}, {name['CR']} and {name['COR']}; Care Navigation follow-ups are "
                            "counted separately."),
            self.count_card("eligible_calls", "ALL", "Eligible 911 calls", "eligible",
                            "Calls of a HEART-eligible type, citywide, at any hour."),
            self.rate_card("eligible_answered_rate", "ALL", "Eligible calls answered by HEART", "answered", "unmet",
                           self.key("eligible"), "eligible calls"),
            self.count_card("unmet_eligible_calls", "ALL", "Eligible calls HEART did not answer", "unmet",
                            "By reason: see Demand against capacity."),
            self.rate_card("diversion_rate", "CR", "Community Response calls with no police", "diverted:CR",
                           "not_diverted:CR", self.key("diverted:CR:of"), "calls Community Response handled"),
            self.rate_card("diversion_rate", "ALL", "Calls diverted from police, all crisis units", "diverted:ALL",
                           "not_diverted:ALL", self.key("diverted:ALL:of"), "calls HEART handled"),
            self.rate_card("resolved_without_in_person_rate", "CCD",
                           "Crisis Call Diversion calls resolved without in-person contact", "ccd_resolved_by_phone",
                           "ccd_not_resolved_by_phone", self.ccd_denominator(), "Crisis Call Diversion responses"),
            self.rate_card("felt_safe_rate", "ALL", "Responders felt safe", "felt_safe", "felt_not_safe",
                           self.key("felt_safe:of"), "in-person responses with the question answered"),
            self.count_card("responses", "CN", "Care Navigation follow-ups", "responses:CN",
                            "Follow-ups about 48 hours after a crisis response; not in HEART responses."),
            self.count_card("people_reached", "CN", "People reached by Care Navigation", "people:CN",
                            "Distinct people; they do not add up across periods."),
            self.count_card("people_reached", "ALL", "People reached, all units", "people:ALL",
                            "Distinct people HEART responded to, Care Navigation included."),
            self.hours_card(),
            self.median_card("heart_response_time_median", "HEART response time, median", "timed:heart",
                             "in-person HEART arrivals"),
            self.median_card("police_response_time_median", "Police response time on eligible calls, median",
                             "timed:police", "police arrivals on eligible calls HEART did not answer"),
        ]

    def ccd_denominator(self) -> str:
        own = self.key("ccd_resolved_by_phone:of")
        return own if own in self.plan.cells else self.key("responses:CCD")
