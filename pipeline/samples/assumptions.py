"""Simulation assumptions: volumes, shapes, routing shares and the deliberate flaws' rates (tuned to durham-facts.md)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np



# --------------------------------------------------------------------------------------
# Simulation assumptions: volumes and shapes
# --------------------------------------------------------------------------------------

# Police calls for service, excluding crisis types: about 100,000 a year. With the
# crisis types added, the total is near the 128,790 a year in the 2018-19 baseline.
OTHER_PER_DAY = 272.0
# Crisis-type calls (the phase-1 natures) per day at launch. The rate then rises by
# CRISIS_RAMP over CRISIS_RAMP_DAYS: once HEART existed, call-takers coded more
# calls into these types. Crisis calls also peak in winter (cold-weather welfare
# checks, trespass by people seeking shelter), by CRISIS_WINTER_PEAK. Both together
# reconcile 6,902 eligible calls in the first 13 weeks (about 75 a day) with
# about 23,000 in the first nine months.
CRISIS_PER_DAY = 76.6
CRISIS_RAMP = 0.127
CRISIS_RAMP_DAYS = 120
CRISIS_WINTER_PEAK = 0.07
# Other police calls peak in summer.
OTHER_SUMMER_PEAK = 0.05

# Relative call rate by local hour (0-23): low before dawn, busiest late afternoon and evening.
HOUR_SHAPE_OTHER = np.array([3.1, 2.5, 2.1, 1.6, 1.3, 1.3, 1.8, 2.8, 3.8, 4.3, 4.6, 4.8,
                             5.0, 5.1, 5.3, 5.6, 5.8, 5.9, 5.7, 5.3, 4.9, 4.5, 4.0, 3.5])
HOUR_SHAPE_CRISIS = np.array([2.5, 2.0, 1.6, 1.3, 1.1, 1.1, 1.5, 2.4, 3.5, 4.3, 4.8, 5.1,
                              5.3, 5.5, 5.8, 6.1, 6.3, 6.3, 6.1, 5.7, 5.1, 4.4, 3.7, 3.1])
# Relative rate by weekday, Monday first: Friday and Saturday are busier.
WEEKDAY_SHAPE = np.array([0.98, 0.96, 0.97, 0.99, 1.06, 1.07, 0.97])

# Share of each group's calls by InitialNature.
CRISIS_MIX = {"WELFCK": 0.30, "TRESP": 0.20, "VERBDIS": 0.15, "MENTAL": 0.12,
              "INTOX": 0.09, "SUICTH": 0.06, "PANHAN": 0.05, "INDEC": 0.03}
OTHER_MIX = {"TRAFFIC": 12, "SUSP": 11, "ALARM": 9, "INFO": 8, "LARC": 7, "MVA": 7, "DOMESTIC": 6,
             "FOLLOWUP": 6, "NOISE": 5, "ASSAULT": 4, "PARKING": 4, "BURG": 3, "DAMAGE": 3, "FRAUD": 3,
             "MEDICAL": 3, "SHOTS": 2, "FIGHT": 2, "ROBBERY": 1, "WEAPON": 1, "MISSING": 1, "FIRE": 1}


@dataclass(frozen=True)
class Traits:
    """How the 911 center treats a call type."""

    priority: int         # typical priority (1 = most urgent)
    no_unit: float        # share closed without sending anyone (phone report, cancelled)
    scene_min: float      # median minutes a police unit stays on scene
    ems: float = 0.0      # share with an EMS co-dispatch
    fire: float = 0.0     # share with a fire co-dispatch


NATURE_TRAITS = {
    "MENTAL": Traits(3, 0.02, 45, ems=0.10), "SUICTH": Traits(2, 0.01, 55, ems=0.25),
    "WELFCK": Traits(3, 0.03, 25, ems=0.05), "TRESP": Traits(4, 0.04, 20),
    "INTOX": Traits(3, 0.03, 25, ems=0.30, fire=0.05), "PANHAN": Traits(5, 0.10, 12),
    "INDEC": Traits(4, 0.05, 20), "VERBDIS": Traits(3, 0.03, 20),
    "ASSAULT": Traits(2, 0.03, 60, ems=0.20), "BURG": Traits(3, 0.05, 50), "LARC": Traits(4, 0.25, 35),
    "ALARM": Traits(3, 0.06, 10), "TRAFFIC": Traits(4, 0.00, 12), "MVA": Traits(2, 0.03, 45, 0.40, 0.30),
    "SUSP": Traits(3, 0.05, 15), "NOISE": Traits(5, 0.15, 10), "DOMESTIC": Traits(2, 0.02, 45),
    "SHOTS": Traits(1, 0.02, 40), "ROBBERY": Traits(1, 0.02, 75, ems=0.10), "FIGHT": Traits(2, 0.03, 30, 0.15),
    "WEAPON": Traits(1, 0.01, 45), "MISSING": Traits(3, 0.05, 50), "PARKING": Traits(5, 0.30, 10),
    "DAMAGE": Traits(4, 0.20, 30), "FRAUD": Traits(5, 0.40, 30), "INFO": Traits(5, 0.50, 15),
    "FOLLOWUP": Traits(5, 0.20, 30), "MEDICAL": Traits(2, 0.05, 20, 1.0, 0.50), "FIRE": Traits(2, 0.02, 30, 0.30, 1.0),
}

# Extra police units by priority: P(1, 2, 3 units), when a call gets police at all.
LAW_UNITS_BY_PRIORITY = {1: (0.25, 0.40, 0.35), 2: (0.50, 0.35, 0.15), 3: (0.72, 0.23, 0.05),
                         4: (0.86, 0.12, 0.02), 5: (0.92, 0.07, 0.01)}
# Median minutes from received to dispatched, by priority (then log-normal spread).
DISPATCH_DELAY_MIN = {1: 1.2, 2: 2.5, 3: 6.0, 4: 12.0, 5: 20.0}

DISPOSITIONS_CRISIS = {"NRPT": 50, "GOA": 13, "REF": 10, "UTL": 8, "TRN": 6, "RPT": 4, "CANC": 4,
                       "ARR": 2, "DUP": 2, "CIT": 1}
DISPOSITIONS_OTHER = {"NRPT": 40, "RPT": 25, "GOA": 10, "CIT": 8, "ARR": 6, "UTL": 5, "CANC": 4, "DUP": 2}
DISPOSITIONS_NO_UNIT = {"NRPT": 40, "RPT": 30, "CANC": 20, "DUP": 10}

STREETS = ["W MAIN ST", "E MAIN ST", "FAYETTEVILLE ST", "ROXBORO ST", "ALSTON AVE", "DRIVER ST",
           "HOLLOWAY ST", "N MANGUM ST", "S DUKE ST", "N DUKE ST", "CHAPEL HILL RD", "UNIVERSITY DR",
           "HILLSBOROUGH RD", "GUESS RD", "N ROXBORO RD", "HOLLOWAY ST", "AVONDALE DR", "ANGIER AVE",
           "E PETTIGREW ST", "W CHAPEL HILL ST", "BROAD ST", "ERWIN RD", "CORNWALLIS RD", "LAWSON ST",
           "MIAMI BLVD", "GLENN SCHOOL RD", "TROY ST", "FARGO ST", "WELLONS VILLAGE CT", "RIDDLE RD",
           "MLK JR PKWY", "HOPE VALLEY RD", "GARRETT RD", "NC 55 HWY", "LUMLEY RD", "PAGE RD"]

# --------------------------------------------------------------------------------------
# Simulation assumptions: how the 911 center and HEART handle eligible calls
# --------------------------------------------------------------------------------------

# Share of eligible calls, received in service hours, that the 911 center sends
# to HEART. It grows as call-takers learn the protocol during the pilot. These
# are the tuning knobs behind the published answer rates (11.7% by 2022-09-26,
# about a fifth by March 2023, 50-55% citywide). The citywide expansion of
# 2023-10-23 changed the area, days, hours and staff (config/program.toml), not
# the protocol: the share in force in the six months before it is the share
# after it, so what the expansion did to the share answered can be predicted from
# the data before it (the scenarios' out-of-sample back-test, docs/scenarios.md).
TRIAGE_SHARE = ((date(2022, 6, 27), 0.435), (date(2022, 10, 1), 0.75), (date(2023, 3, 27), 0.80))
# Outside the pilot area only CCD can help, and the pilot protocol sent it
# fewer of those calls: relative triage share for calls outside the service area.
OUT_OF_AREA_TRIAGE = 0.25
# Inside the service area: share of HEART calls that get a team in the field
# (the rest stay with a CCD clinician on the phone), and within those, the
# share sent to Co-Response (higher acuity) rather than Community Response.
FIELD_SHARE = {"MENTAL": 0.70, "SUICTH": 0.70, "WELFCK": 0.70, "TRESP": 0.80, "INTOX": 0.75,
               "PANHAN": 0.80, "INDEC": 0.70, "VERBDIS": 0.65}
COR_SHARE = {"SUICTH": 0.50, "MENTAL": 0.30, "VERBDIS": 0.10, "WELFCK": 0.05}
CCD_PHONE_RESOLVED = 0.52         # "almost half resolved without in-person contact": 48% in the first quarter (seed 20220627)
CCD_TRANSFER_TO_EMS = 0.20        # otherwise the CCD transfer goes to police
CR_POLICE_CODISPATCH = 0.185      # police also sent by the 911 center on a CR call
POLICE_BACKUP_REQUESTED = 0.025   # in-person responses where the team asks for police
FELT_SAFE_NOT_ASKED = 0.10
FELT_SAFE_YES = 0.99
REPEAT_PERSON = 0.15              # responses for someone HEART has already seen
# In-person outcomes: resolved 45%, referred 30%, transported 8%, declined 10%, unable to locate 7%.
OUTCOMES_IN_PERSON = {"Resolved on scene": 0.45, "Referred": 0.30, "Transported": 0.08,
                      "Declined": 0.10, "Unable to locate": 0.07}
OUTCOMES_PHONE = {"Resolved on scene": 0.55, "Referred": 0.35, "Declined": 0.10}
SERVICES = ["Mobile crisis", "Outpatient mental health", "Substance use treatment", "Shelter",
            "Housing services", "Food assistance", "Primary care", "Peer support", "Benefits enrollment"]
# Care Navigation: share of crisis responses referred for a 48-hour follow-up.
CN_REFERRAL = {"in_person": 0.355, "phone": 0.10}
CN_DONE_ON_TIME, CN_DONE_LATE = 0.70, 0.20   # the remaining 10% never reached
CN_IN_PERSON = 0.35
WALKUPS_PER_WEEK = 0.3            # people who walk up to a Community Response team: no CAD call

# --------------------------------------------------------------------------------------
# Deliberate flaws: rates per row (see data_samples/README.md)
# --------------------------------------------------------------------------------------
UPDATED_REEXPORTS_PER_YEAR = 30
CANCELLED_EN_ROUTE = 0.03
BAD_TIMESTAMP_RATE = 1 / 5000
UNKNOWN_CODE_RATE = 1 / 5000
TIME_ORDER_CAD_PER_YEAR = 6
TIME_ORDER_HEART_PER_YEAR = 3
HEART_CAD_TYPO = 0.005
