"""The panels the impact estimates are fitted on: designs, outcomes, loading from the marts, the sample.

Two designs (docs/impact.md):
* staggered_beats: units are beats (marts.impact_beat_week), a beat's cohort the week it was first served;
* served_hours: units are beat x hour of day (marts.impact_hour_week), cohort the week that beat-hour was
  first served; hours never served (nights) are the comparison. Clustered by beat in both.

Each outcome is a rate per call police handled alone (arrests, EMS transports) or a count. `prepare` turns a
design's panel into the estimation sample for one outcome, or says in plain words why there is none
(NotEstimable), never raising on data it does not like.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import duckdb
import numpy as np
import pandas as pd

from pipeline.warehouse import has_table
from pipeline.warehouse.sqlfiles import run_sql_file

PERIOD_WEEKS = 4          # event time is counted in 4-week periods (weekly coefficients are too noisy to read)
PLACEBO_SHIFT_WEEKS = 52  # the placebo moves every start one year (52 weeks, so weekdays line up) earlier


@dataclass(frozen=True)
class Design:
    name: str
    table: str          # the mart it reads
    sql: str            # sql/impact/<file>
    unit_words: str     # what a unit is, for messages
    fixed_effects: str  # pyfixest's fixed-effects part of the formula


@dataclass(frozen=True)
class Outcome:
    name: str
    column: str
    denominator: str | None   # a rate per this column's count; None: a count
    words: str


DESIGNS = (
    Design("staggered_beats", "impact_beat_week", "impact/beat_week.sql", "beat", "unit + week"),
    # Beat x week effects: a served hour is compared with the unserved hours of the same beat and week
    # (the CAHOOTS design), so anything that moves a whole beat-week cancels out.
    Design("served_hours", "impact_hour_week", "impact/hour_week.sql", "beat-hour", "unit + cluster^week"),
)
OUTCOMES = (
    # Rates are per call police handled ALONE (a police unit and no HEART answer): a call HEART answered ends
    # without arrest, so per police-handled call the rate would fall by HEART's presence alone
    # (marts.impact_beat_week's police_only_* columns say why).
    Outcome("arrests", "police_only_arrests", "police_only_calls", "arrests per call police handled alone"),
    Outcome("ems_transports", "police_only_ems_transports", "police_only_calls",
            "EMS transports per call police handled alone"),
    Outcome("police_handled_calls", "police_handled_calls", None, "police-handled calls"),
    Outcome("police_unit_hours", "police_unit_hours", None, "police unit-hours"),
    Outcome("repeat_calls", "repeat_calls", None, "repeat calls"),
)


class NotEstimable(Exception):
    """No estimate can be made; the message says why in plain words."""


@dataclass(frozen=True)
class Sample:
    """One outcome's estimation sample: rows of unit x week with the event-time cell of treated rows."""
    rows: pd.DataFrame        # unit, cluster, week, y, offset (log denominator or 0), cohort, event, heart, denom
    cells: list[tuple[int, int]]   # (cohort, event period) with a coefficient; period -1 is the reference
    first_week: date
    last_week: date
    n_units: int
    n_treated_units: int
    n_clusters: int
    heart_in_served: float    # calls HEART answered in the served unit-weeks of the sample
    n_clusters_min: int = 0   # the fewest clusters behind one cohort of served units or behind the comparison
                              # units: the clusters inference counts (estimate.py)


def load_panel(con: duckdb.DuckDBPyConnection, design: Design) -> pd.DataFrame:
    """The design's mart as a frame (unit, cluster, week_start, cohort_week, partial_week, counts).

    Raises NotEstimable when the mart is missing or empty."""
    if not has_table(con, "marts", design.table):
        raise NotEstimable(f"marts.{design.table} is not in the warehouse: the outcome marts have not been built")
    frame = run_sql_file(con, design.sql).df()
    if frame.empty:
        raise NotEstimable(f"marts.{design.table} is empty: no CAD call has been loaded")
    return frame


def _week_index(days: pd.Series, origin: date) -> pd.Series:
    return ((pd.to_datetime(days) - pd.Timestamp(origin)).dt.days // 7).astype("Int64")


def prepare(panel: pd.DataFrame, outcome: Outcome, design: Design, shift_weeks: int = 0,
            end: date | None = None) -> Sample:
    """The estimation sample for one outcome, with cohorts moved `shift_weeks` earlier and weeks before `end`.

    Rules, each for a reason:
    * partial weeks go (the data does not cover them, so their counts are low for no reason);
    * a unit served from the first week it has data has no before: it goes;
    * a cohort needs at least one full period before its start (the reference period);
    * with no unit that is never served in the sample, the weeks from the last cohort's start on go and
      that cohort becomes the comparison (not-yet-treated controls; no already-treated unit is ever a control);
    * a rate needs its denominator: weeks with no police-handled call carry no information on it.
    """
    if panel[outcome.column].isna().all():
        raise NotEstimable(f"{outcome.words}: the source profile maps no code to this outcome (the mart's column "
                           "is empty); add it to [outcome_classes] in the profile")
    frame = panel.loc[~panel["partial_week"].fillna(False).astype(bool)].copy()
    if end is not None:
        frame = frame.loc[pd.to_datetime(frame["week_start"]) < pd.Timestamp(end)]
    if frame.empty:
        raise NotEstimable("no complete week of data in the period")
    origin = pd.to_datetime(frame["week_start"]).min().date()
    frame["week"] = _week_index(frame["week_start"], origin).astype(int)
    last = int(frame["week"].max())
    cohort = _week_index(frame["cohort_week"], origin) - shift_weeks
    # Units whose (possibly shifted) start falls after the sample are comparison units in it.
    frame["cohort"] = cohort.where(cohort <= last).astype("float")
    if frame["cohort"].isna().all():
        raise NotEstimable(f"no {design.unit_words} is served in the weeks of data: nothing to compare")
    first_seen = frame.groupby("unit")["week"].transform("min")
    frame = frame.loc[~(frame["cohort"] <= first_seen)]
    never = frame["cohort"].isna()
    if not never.any():
        cohorts = frame["cohort"].dropna()
        if cohorts.nunique() < 2:
            raise NotEstimable(f"every {design.unit_words} starts service in the same week and none is left unserved: "
                               "there is no comparison")
        last_start = cohorts.max()
        frame = frame.loc[frame["week"] < last_start]
        frame.loc[frame["cohort"] == last_start, "cohort"] = np.nan
    starts = frame.groupby("unit")["week"].transform("min")
    short = frame["cohort"].notna() & (frame["cohort"] - starts < PERIOD_WEEKS)
    frame = frame.loc[~short]
    treated = frame["cohort"].notna()
    if not treated.any():
        raise NotEstimable(f"no {design.unit_words} has {PERIOD_WEEKS} weeks of data before its service started "
                           "with a comparison not yet served: the CAD history does not reach back before the start")
    if treated.all():
        raise NotEstimable(f"no comparison {design.unit_words}: every one is served in the period")
    frame["heart"] = frame["heart_answered_calls"].fillna(0.0)
    frame["denom"] = frame[outcome.denominator].astype(float) if outcome.denominator else 1.0
    frame["y"] = frame[outcome.column].astype(float)
    frame = frame.loc[frame["y"].notna()]
    n_units = frame["unit"].nunique()
    n_treated = frame.loc[frame["cohort"].notna(), "unit"].nunique()
    frame = _pool(frame)
    served = frame["cohort"].notna() & (frame["week"] >= frame["cohort"])
    heart_in_served = float(frame.loc[served, "heart"].sum())
    if outcome.denominator:
        # A rate needs its denominator: a unit-week with no police-handled call says nothing about it.
        frame = frame.loc[frame["denom"] > 0]
    frame["offset"] = np.log(frame["denom"]) if outcome.denominator else 0.0
    frame["event"] = np.floor((frame["week"] - frame["cohort"]) / PERIOD_WEEKS)
    post = frame["event"] >= 0
    if frame.loc[post, "y"].sum() <= 0:
        raise NotEstimable(f"no {outcome.words.split(' per ')[0]} recorded in served {design.unit_words}s after "
                           "service started: nothing to compare")
    cells = sorted({(int(c), int(e)) for c, e in frame.loc[frame["cohort"].notna(), ["cohort", "event"]]
                    .itertuples(index=False) if e != -1})
    weeks = pd.to_datetime(frame["week_start"])
    return Sample(
        rows=frame[["unit", "cluster", "week", "y", "offset", "cohort", "event", "heart", "denom"]]
        .reset_index(drop=True),
        cells=cells, first_week=weeks.min().date(), last_week=weeks.max().date(),
        n_units=n_units, n_treated_units=n_treated, n_clusters=frame["cluster"].nunique(),
        heart_in_served=heart_in_served,
        n_clusters_min=min(int(frame.loc[frame["cohort"].notna()].groupby("cohort")["cluster"].nunique().min()),
                           frame.loc[frame["cohort"].isna(), "cluster"].nunique()),
    )


def _pool(frame: pd.DataFrame) -> pd.DataFrame:
    """Units of one cluster that share their start (e.g. a beat's hours 8-16, or its night hours) pooled into one.

    In the Poisson model the expected sum of such units follows the same model as each of them (their
    unit effects add up; the week, beat x week and service effects are common to them), so the estimate
    is the same in expectation, with a tenth of the rows: this is what makes the served_hours design fast.
    For a beat design each unit is its own cluster, so nothing changes.
    """
    key = frame["cohort"].fillna(-1)
    pooled = (frame.assign(group=frame["cluster"] + "#" + key.astype(int).astype(str))
              .groupby(["group", "cluster", "week", "week_start"], as_index=False, sort=True)
              .agg(y=("y", "sum"), denom=("denom", "sum"), heart=("heart", "sum"), cohort=("cohort", "first")))
    return pooled.rename(columns={"group": "unit"})


def placebo_end(panel: pd.DataFrame) -> date | None:
    """The placebo's sample ends at the first real start: the Monday of the earliest cohort week."""
    starts = panel["cohort_week"].dropna()
    return None if starts.empty else pd.Timestamp(starts.min()).date()


def pre_period_unit_hours_per_call(panel: pd.DataFrame) -> float | None:
    """Police unit-hours per police-handled call in the weeks before any start: the bound's hours per call."""
    end = placebo_end(panel)
    before = panel if end is None else panel.loc[pd.to_datetime(panel["week_start"]) < pd.Timestamp(end)]
    calls = before["police_handled_calls"].sum()
    return float(before["police_unit_hours"].sum() / calls) if calls > 0 else None


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())
