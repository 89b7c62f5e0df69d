"""The headline cards of a council page: counts, rates with their intervals, medians, officer-hours."""

from __future__ import annotations

from pipeline.reports import metric_text
from pipeline.reports.council.base import PageBase
from pipeline.vocabulary import HEART_UNIT_NAMES


class HeadlineCards(PageBase):
    """The cards at the top of the page; a figure is shown only when every count behind it is."""

    def when(self) -> str:
        """'in FY2023–24' or 'since the program began', for the cards' sentences."""
        return "since the program began" if self.period.grain == "all" else f"in {self.period.label}"

    def own_year_note(self) -> str:
        """On a page with the launch days folded in, said beside a figure that cannot add them in (a median,
        distinct people): it is for the fiscal year itself."""
        if not self.period.folded:
            return ""
        return (f" This figure is for {self.period.start:%-d %b %Y} on: a median or a count of distinct people "
                "cannot be added up with the launch days'.")

    def count_card(self, metric_id: str, unit: str, title: str, name: str, note: str = "", says: str = "") -> dict:
        key = self.key(name)
        visible = self.plan.visible(key)
        value = self.plan.cells[key]
        return {
            "metric_id": metric_id, "unit": unit, "title": title, "cell": key,
            "sentence": says.format(n=self.text(key), when=self.when()) if visible and says else "",
            "raw_value": repr(value) if visible else "",
            "value_text": self.text(key), "interval_text": "",
            "counts_text": ((note + (self.own_year_note() if metric_id == "people_reached" else "")).strip()
                            if visible else self.hidden_note(key)),
            "change_text": "", "definition": self.definition(metric_id),
        }

    def rate_card(self, metric_id: str, unit: str, title: str, num: str, rest: str, den_key: str, noun: str,
                  says: tuple[str, str] = ("", "")) -> dict:
        """A rate with its interval and counts; only when its numerator, the rest and the denominator are all shown."""
        keys = (self.key(num), self.key(rest), den_key)
        d = self.definition(metric_id)
        row = self.row(metric_id, unit)
        if self.period.folded and row is not None:
            # With the launch days folded in, the rate is the page's own counts' (no interval: metric_values
            # computes intervals for its own periods only, and the year without the launch days is not this page).
            n, den = self.plan.cells[keys[0]], self.plan.cells[keys[2]]
            row = {**row, "numerator": n, "denominator": den, "value": n / den if den else None,
                   "ci_low": None, "ci_high": None}
        card = {"metric_id": metric_id, "unit": unit, "title": title, "cell": keys[0], "definition": d,
                "change_text": "", "interval_text": "", "sentence": ""}
        counts = f"{self.text(keys[0])} of {self.text(keys[2])} {noun}"
        if row is None or not row["denominator"]:
            return {**card, "raw_value": "", "value_text": "—", "counts_text": f"No {noun} in this period."}
        if not self.plan.visible(*keys):
            return {**card, "raw_value": "", "value_text": "Not published",
                    "counts_text": f"{counts}. {self.hidden_note(*keys)}"}
        return {**card, "raw_value": repr(float(row["value"])), "value_text": metric_text.format_value(row, d),
                "interval_text": metric_text.interval_text(row, d), "counts_text": counts,
                "sentence": metric_text.per_ten(float(row["value"]), *says) if says[0] else ""}

    def median_card(self, metric_id: str, title: str, timed: str, noun: str, says: str = "") -> dict:
        d = self.definition(metric_id)
        row = self.row(metric_id)
        key = self.key(timed)
        card = {"metric_id": metric_id, "unit": "ALL", "title": title, "cell": key, "definition": d,
                "change_text": "", "sentence": ""}
        if row is None or row["value"] is None:
            return {**card, "raw_value": "", "value_text": "—", "interval_text": "",
                    "counts_text": f"No {noun} in this period."}
        if not self.plan.visible(key):
            return {**card, "raw_value": "", "value_text": "Not published", "interval_text": "",
                    "counts_text": f"From {self.text(key)} {noun}. {self.hidden_note(key)}"}
        return {**card, "raw_value": repr(float(row["value"])), "value_text": metric_text.format_value(row, d),
                "interval_text": metric_text.interval_text(row, d),
                "counts_text": f"From {self.text(key)} {noun}.{self.own_year_note()}",
                "sentence": says.format(v=metric_text.format_value(row, d)) if says else ""}

    def hours_card(self) -> dict:
        key, diverted = self.key("officer_hours"), self.key("diverted:ALL")
        d = self.definition("officer_hours_saved")
        card = {"metric_id": "officer_hours_saved", "unit": "ALL", "title": d["name"], "cell": key,
                "definition": d, "change_text": "", "interval_text": "", "sentence": ""}
        if not self.plan.visible(key):
            return {**card, "raw_value": "", "value_text": "Not published",
                    "counts_text": f"From {self.text(diverted)} calls diverted from police. "
                                   + self.hidden_note(key, diverted)}
        return {**card, "raw_value": repr(self.plan.cells[key]), "value_text": self.text(key),
                "sentence": f"HEART taking calls instead of police freed an estimated {self.text(key)} hours of "
                            f"police officers' time {self.when()}.",
                "counts_text": f"From {self.text(diverted)} calls diverted from police "
                               "(an estimate: see the definition)."}

    def cards(self) -> list[dict]:
        eligible_says = "{n} calls to 911 {when} were of a kind HEART can take, at any hour and anywhere in the city."
        police_says = ("On calls HEART could take but did not answer, half of the police units that went arrived "
                       "within {v} of the 911 call.")
        if not self.data.heart_log_loaded:
            # Only what the CAD export gives: anything answered, diverted or responded would read 0.
            return [
                self.count_card("eligible_calls", "ALL", "Eligible 911 calls",
                                "eligible", "Calls of a HEART-eligible type, citywide, at any hour.", eligible_says),
                self.median_card("police_response_time_median", "Police response time on eligible calls, median",
                                 "timed:police", "police arrivals on eligible calls", police_says),
            ]
        name = HEART_UNIT_NAMES
        # The first four are the headline (shown before the trend, and on the printed summary).
        return [
            self.rate_card("eligible_answered_rate", "ALL", "Eligible calls answered by HEART", "answered", "unmet",
                           self.key("eligible"), "eligible calls", ("calls HEART could take", "got a HEART response")),
            self.count_card("eligible_calls", "ALL", "Eligible 911 calls", "eligible", "", eligible_says),
            self.count_card("responses", "ALL", "HEART responses", "responses:ALL",
                            f"{name['CCD']}, {name['CR']} and {name['COR']}; Care Navigation follow-ups are "
                            "counted separately.", "HEART's crisis teams answered calls for help {n} times {when}."),
            self.count_card("unmet_eligible_calls", "ALL", "Eligible calls HEART did not answer", "unmet", "",
                            "{n} calls HEART could take got no HEART response {when}; why is shown under "
                            "Demand against capacity."),
            self.rate_card("diversion_rate", "CR", "Community Response calls with no police", "diverted:CR",
                           "not_diverted:CR", self.key("diverted:CR:of"), "calls Community Response handled",
                           ("calls the Community Response team handled", "needed no police")),
            self.rate_card("diversion_rate", "ALL", "Calls diverted from police, all crisis units", "diverted:ALL",
                           "not_diverted:ALL", self.key("diverted:ALL:of"), "calls HEART handled",
                           ("calls HEART handled", "needed no police")),
            self.rate_card("resolved_without_in_person_rate", "CCD",
                           "Crisis Call Diversion calls resolved without in-person contact", "ccd_resolved_by_phone",
                           "ccd_not_resolved_by_phone", self.ccd_denominator(), "Crisis Call Diversion responses",
                           ("calls the clinicians in the 911 center took", "were settled by phone, with nobody sent")),
            self.rate_card("felt_safe_rate", "ALL", "Responders felt safe", "felt_safe", "felt_not_safe",
                           self.key("felt_safe:of"), "in-person responses with the question answered",
                           ("visits where responders were asked", "ended with responders saying they felt safe")),
            self.count_card("responses", "CN", "Care Navigation follow-ups", "responses:CN",
                            "Follow-ups about 48 hours after a crisis response; not in HEART responses.",
                            "Care Navigation checked back {n} times, about two days after a crisis response."),
            self.count_card("people_reached", "CN", "People reached by Care Navigation", "people:CN",
                            "Distinct people; they do not add up across periods.",
                            "Care Navigation reached {n} different people {when}."),
            self.count_card("people_reached", "ALL", "People reached, all units", "people:ALL",
                            "Distinct people HEART responded to, Care Navigation included.",
                            "HEART helped {n} different people {when}."),
            self.hours_card(),
            self.median_card("heart_response_time_median", "HEART response time, median", "timed:heart",
                             "in-person HEART arrivals",
                             "Half of HEART's in-person teams arrived within {v} of the 911 call."),
            self.median_card("police_response_time_median", "Police response time on eligible calls, median",
                             "timed:police", "police arrivals on eligible calls HEART did not answer", police_says),
        ]

    def ccd_denominator(self) -> str:
        own = self.key("ccd_resolved_by_phone:of")
        return own if own in self.plan.cells else self.key("responses:CCD")
