"""Open data: the public metrics and aggregate tables as CSV and Parquet, small counts suppressed.

`write_open_data` (write.py) writes into `<reports>/open-data/`:

* `metric_values.csv|.parquet`: the public subset of metrics.metric_values;
* `eligible_calls_monthly.csv|.parquet`: month x call type x answered / unmet reason
  (sql/open_data/eligible_calls_monthly.sql);
* `police_time_by_call_type.csv|.parquet`: the officer time per call type that
  officer_hours_saved is computed from (sql/open_data/police_time_by_call_type.sql);
* `README.md`: columns, what is published and what is not, the suppression rule,
  threshold and data range.

The warehouse marts are one row per incident or response and are never
exported; the aggregate tables are defined by the SQL files under sql/open_data/.

What is public (PUBLIC_BREAKDOWNS)
----------------------------------
Grains month, fiscal_year and all (and quarter, where a split would hold a small count by month:
coarse.py); weeks are not published (a week's counts are
mostly below the threshold, and weeks cut across months, so they would add
totals that cost the months their detail). Breakdowns: none finer than the
council dashboard's. No beat (a beat is a few blocks: with the month and call
type it can single out a call), no two-way breakdown (weekday x hour, reason x
hour), hour of day only by fiscal year and to date (as the council dashboard
shows it; by month nearly every hour would be a small count), and no
officer-hours saved by call type (the published mean hours per call type would
turn each figure back into its count of diverted calls). Officer-hours saved
are rounded to 0.1 h for the same reason: full precision would let a reader
decompose a month's total into its calls per call type.

Suppression
-----------
Every count is a *cell* of one ledger; so is the count a reader can work out
from a published rate (denominator - numerator: the calls not answered, the
responders who did not feel safe). Each cell is identified by what it counts,
so a count published twice (eligible calls, also the denominator of the share
answered) is one cell. Every published additive relation is a *group*:

* units: CCD + CR + COR = ALL for responses and outcome_share (CN is not in
  ALL); every unit adds up to ALL for felt_safe_rate and police_backup_rate
  (their ALL includes Care Navigation). eligible_answered_rate, diversion_rate,
  people_reached and the response times count a call once however many units
  answered it: their units do not add up and have no group;
* breakdowns: the values of hour_of_day, weekday, call_type, coverage, reason and
  contact_mode add up to the ALL row (numerators, and denominators where the
  breakdown splits them too); the outcomes of outcome_share add up to its
  denominator;
* rates: numerator + (denominator - numerator) = denominator; answered + unmet
  = eligible (overall and by hour), and the unmet reasons add up to the unmet
  calls outside coverage (outside_service_hours + outside_service_area) and
  in coverage (no_team_free + not_routed); police_backup_rate's denominator by
  unit is responses by contact_mode in_person;
* periods: months add up to their fiscal year and to all, fiscal years to all
  (every event is placed in one period by one date; people_reached is a
  distinct count and does not add up);
* eligible_calls_monthly: statuses add up to eligible calls of the month and
  call type, call types to unmet calls by reason and to answered calls;
* the council dashboard: every count it prints, with all its totals. It is
  public too, so its plan is taken as given: what it hides is hidden here, what
  it prints is known to the reader and never counted on as hidden.

pipeline.disclosure.suppression.plan then hides every count from 1 to threshold-1
("small count"), and enough other cells ("complementary", zeros last, from the
finest breakdown of the shortest period first) that no group has exactly one
hidden cell and no hidden small count can be solved for from all the groups
together. A rate, interval, median or percentile is blanked when any count
behind it is hidden; officer-hours saved are hidden whenever the number of
diverted calls is (hours / mean hours would give it back).

police_time_by_call_type has no published total, so a call type with fewer
comparable incidents than the threshold has its count and its hours blanked
(a mean or median of a few incidents describes those incidents).

Where each part lives:

    policy.py   what is public (PUBLIC_BREAKDOWNS), what adds up, and the ledger's cells (ExportLedger)
    plan.py     reading the public rows into the ledger, with the council dashboard's, and planning it
    tables.py   the Arrow tables with hidden values blanked; the summary of what is hidden
    readme.py   the folder's README.md
    write.py    writing the folder
"""

from pipeline.open_data.plan import OpenData, Row, plan_open_data
from pipeline.open_data.policy import (
    BINARY_RATES,
    BY_YEAR,
    COMPLEMENT,
    GRAINS,
    PARTITIONS,
    PUBLIC_BREAKDOWNS,
    SMALL,
    TABLES,
    ExportLedger,
    canonical,
    mv_key,
)
from pipeline.open_data.readme import readme
from pipeline.open_data.tables import metric_table, monthly_table, police_table, read_summary, summary
from pipeline.open_data.write import write_open_data, write_planned
from pipeline.vocabulary import UNMET_REASONS

__all__ = [
    "BINARY_RATES", "BY_YEAR", "COMPLEMENT", "GRAINS", "PARTITIONS", "PUBLIC_BREAKDOWNS", "SMALL", "TABLES",
    "UNMET_REASONS", "ExportLedger", "OpenData", "Row", "canonical", "metric_table", "monthly_table", "mv_key",
    "plan_open_data", "police_table", "read_summary", "readme", "summary", "write_open_data", "write_planned",
]
