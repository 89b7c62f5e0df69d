"""The open-data folder's README.md: columns, what is published and what is not, the suppression rule.
"""

from __future__ import annotations

from datetime import date

import pyarrow as pa

from pipeline.metrics import values
from pipeline.open_data.plan import OpenData
from pipeline.open_data.policy import BY_YEAR, COMPLEMENT, GRAINS, HOURS_DECIMALS, PUBLIC_BREAKDOWNS, SMALL
from pipeline.open_data.tables import summary


_GRAIN_TEXT = {GRAINS: "month, fiscal year, to date", BY_YEAR: "fiscal year, to date"}


def readme(od: OpenData, tables: dict[str, pa.Table]) -> str:
    t = od.threshold
    counts = summary(od, tables)
    span = (f"{od.data_range[0]:%-d %B %Y} to {od.data_range[1]:%-d %B %Y}" if od.data_range else "no data yet")
    breakdown_rows = "\n".join(
        f"| `{m}` | " + "; ".join(f"`{d}` ({_GRAIN_TEXT.get(g, ', '.join(g))})" for d, g in dims.items()) + " |"
        for m, dims in PUBLIC_BREAKDOWNS.items())
    counts_rows = "\n".join(f"| `{name}` | {c['rows']:,} | {c['small count']:,} | {c['complementary']:,} |"
                            for name, c in counts.items())
    return f"""# HEART open data

Aggregate figures of the HEART crisis-response program, for open-data portals.
Every file comes as CSV (UTF-8, header row, empty cell = no value) and as
Parquet (typed: dates as dates, counts as integers); the two hold the same rows.
Nothing here is about a single call or person: every figure is a count, a
share, a median or a sum over a month or longer. Labels are codes from the
city's code lists or the program's configuration, never text from a record.
In the CSV files a text cell that would start with `=`, `+`, `-`, `@`, a tab or
a carriage return starts with a single quote (`'`), so a spreadsheet shows it
instead of running it as a formula; numbers are never changed.

* **Data range:** {span} (local dates). The first and last periods can be
  partial: they hold only the days the data covers.
* **Small counts are suppressed:** threshold {t} (see below).
* Metric definitions: `docs/metrics.md` in the pipeline's repository, or
  `metrics.metric_definitions` in the warehouse.

## Files

| table | rows | rows with a small count blanked | rows with complements only blanked |
|---|---|---|---|
{counts_rows}

### `metric_values.csv`, `metric_values.parquet`

One row per metric x period x unit x breakdown: the public part of the
pipeline's `metrics.metric_values`.

| column | meaning |
|---|---|
| `metric_id` | the metric (list below) |
| `grain` | `month`, `quarter` (a fiscal quarter, where a month would hold a small count: see "Coarser rows instead of blanks"), `fiscal_year` (labelled by its first day), `all` (program to date) |
| `period_start`, `period_end` | first day (inclusive) and end (exclusive) of the period |
| `unit` | `ALL` or a HEART unit: `CCD` Crisis Call Diversion, `CR` Community Response, `COR` Co-Response, `CN` Care Navigation |
| `dimension`, `dimension_value` | `ALL`/`ALL` when not broken down; otherwise the breakdown and its value (`hour_of_day`/`08`, `reason`/`no_team_free`) |
| `numerator` | the count (for a rate: the calls or responses counted; for `officer_hours_saved`: hours, rounded to {HOURS_DECIMALS} decimal) |
| `denominator` | for a rate: what it is out of; for a median or percentile: the number of observations; for `officer_hours_saved`: the diverted calls |
| `value` | rate (share 0-1), count, hours, or minutes for medians and percentiles |
| `ci_low`, `ci_high` | 95% interval: Wilson for rates, order statistics for medians and percentiles; empty for counts |
| `suppressed` | empty, or why some of the row's values are blank: `{SMALL}` or `{COMPLEMENT}` |

A count or sum with nothing in a period is 0; a rate, median or percentile
with nothing to measure has no row. A breakdown value with no row had no
calls. `ALL` of `responses` and `outcome_share` counts the crisis-response
units (CCD, CR, COR) only; Care Navigation (`CN`) is separate.

Published metrics and breakdowns (anything else is not published):

| metric | breakdowns (grains) |
|---|---|
{breakdown_rows}

Not published: weeks; breakdowns by beat; two-way breakdowns (weekday x hour,
reason x hour); hour of day by month; officer-hours saved by call type. They
are finer than the threshold allows: most of their counts would be small, or
(beats) could point at a single call. Officer-hours saved are rounded to
{HOURS_DECIMALS} decimal because, with the mean hours per call type published,
exact totals could be taken apart into calls per call type.

### `eligible_calls_monthly.csv`, `eligible_calls_monthly.parquet`

One row per calendar month x initial call type x status: what became of the
eligible 911 calls (call types HEART can take).

| column | meaning |
|---|---|
| `period_start`, `period_end` | the month (start inclusive, end exclusive; the `month` periods of `metric_values`), or the fiscal quarter where call types go by quarter (see "Coarser rows instead of blanks") |
| `call_type` | the CAD initial call type (as `dimension_value` of the `call_type` breakdown) |
| `status` | `answered` (a HEART crisis-response unit answered it), or why not: `outside_service_hours`, `outside_service_area`, `no_team_free`, `not_routed`; merged (see "Coarser rows instead of blanks"): `outside_coverage`, `in_coverage`, `not_answered` |
| `calls` | eligible calls received in the month with that call type and status |
| `suppressed` | empty, `{SMALL}` or `{COMPLEMENT}` (`calls` is blank) |

Summed over status, a month and call type give `eligible_calls` by
`call_type`; summed over call types, a status gives `unmet_eligible_calls`
by `reason` (or the numerator of `eligible_answered_rate`). Every status is
listed, with 0, for each month and call type with at least one eligible call.

### `police_time_by_call_type.csv`, `police_time_by_call_type.parquet`

One row per CAD initial call type (all call types): how much officer time a
call of that type takes when police handle it, over every comparable incident
in the data (police sent, no HEART crisis response, every police dispatch and
clear time recorded). `officer_hours_saved` multiplies diverted calls by it.

| column | meaning |
|---|---|
| `call_type` | the CAD initial call type's code, when the city's code list or the program names it; `other` pools every value on no list (text typed into the field is never published as a label); `unknown` when none was recorded |
| `comparable_incidents` | incidents it is computed from |
| `mean_police_unit_hours` | mean over those incidents of the police unit-hours (dispatch to clear, summed over units) |
| `median_police_unit_hours` | their median |
| `mean_police_units` | mean number of police units sent |
| `suppressed` | `{SMALL}` when fewer than {t} incidents: the count and the hours are blank |

{coarser(od)}
## Small-count suppression

A count from 1 to {t - 1} could point at a person, so it is blank
(`suppressed` = `{SMALL}`). Zeros are shown. Blanking a small count is not
enough when totals are published: a count left as the only blank of a total
comes back by subtraction. So other counts are blanked too (`{COMPLEMENT}`:
these are 0 or at least {t}, and usually large) until no blank can be worked
out from all the published totals together. The totals taken into account:

* units: CCD + CR + COR = ALL for `responses` and `outcome_share`; every unit
  adds up to ALL for `felt_safe_rate` and `police_backup_rate`;
* breakdowns add up to the `ALL` row, and the outcomes of `outcome_share` to
  its denominator;
* a rate's numerator and denominator give the count of the rest (calls not
  answered, responders who did not feel safe): that is a count too, and a
  small one is protected the same way;
* answered + unmet = eligible calls; the unmet reasons add up to the unmet
  calls outside coverage (outside service hours + outside service area) and in
  coverage (no team free + not routed);
* months add up to their fiscal year and to the program to date, fiscal years
  to the program to date (`people_reached` counts distinct people and does not
  add up);
* `eligible_calls_monthly` adds up to `metric_values` as described above;
* the public council dashboard, which prints some of the same counts: what it
  hides is hidden here too.

A rate, interval, median or percentile is blank when a count behind it is,
and officer-hours saved when the number of diverted calls is.
`police_time_by_call_type` has no published total, so only its small counts are
blank. Distinct counts (`people_reached`) have no totals either.
"""


def coarser(od: OpenData) -> str:
    """What this build publishes coarser than metric_values, so that no large count is blanked beside a small
    one (pipeline/open_data/coarse.py), in words; empty when nothing is."""
    data = od.council
    if data is None or data.coarse is None:
        return ""
    c = data.coarse
    items = []
    if data.launch is not None:
        host = data.fiscal_years[0]
        items.append(
            f"* **Launch days folded in:** the program's first {(data.launch.data_to - data.launch.data_from).days + 1} "
            f"days ({data.launch.data_from:%-d %B %Y} to {data.launch.data_to:%-d %B %Y}) are too few to be a fiscal "
            f"year of their own. They are in the {host.label} rows and in its first month's rows, whose "
            f"`period_start` is the launch day. Counts there add up both; a rate is recomputed from them with no "
            "interval; a median, a percentile and `people_reached` are blank (they cannot be added up).")
    merged = [r for r in c.reasons if r.merged]
    if merged:
        items.append("* **Unmet reasons merged:** " + "; ".join(
            f"{' and '.join(f'`{m}`' for m in r.members)} have no `reason` rows: their sum is the `reason` row "
            f"`{r.name}` (and status `{r.name}` in `eligible_calls_monthly`)" for r in merged)
            + f". One of them is under {od.threshold} in some period.")
    runs = [run for run in c.hour_bins if len(run) > 1]
    if runs:
        items.append("* **Hours merged:** " + ", ".join(f"`{run[0]:02d}-{run[-1]:02d}`" for run in runs)
                     + " are one `hour_of_day` row each (the hours from the first to the last), as on the council "
                       "pages: an hour on its own holds a small count in some period. Rates there have no interval.")
    if c.unit_quarters:
        items.append("* **Units by fiscal year only:** a unit has a month under the threshold, so rows by unit "
                     "(`unit` other than `ALL`) are published by fiscal year and to date, not by month (the council "
                     "pages show them by quarter).")
    items.extend(_grains(od))
    items.append("* **Call types with a small unanswered reason:** in `eligible_calls_monthly`, such a call type's "
                 "unanswered calls are one status, `not_answered`, in every month.")
    return "## Coarser rows instead of blanks\n\nBlanking a large count to protect a small one beside it loses the " \
           "figure a reader came for, so where that would happen the rows are coarser instead, the same way in " \
           "every period (periods add up):\n\n" + "\n".join(items) + "\n"


# What a family of rows is called in the README (coarse.families).
_FAMILY_WORDS = {
    ("call_type",): "the breakdown by `call_type` (`eligible_calls`, `eligible_in_coverage`, `eligible_answered_rate`)"
                    " and `eligible_calls_monthly`",
    ("coverage",): "the split by `coverage` of `eligible_answered_rate`, and `eligible_in_coverage` (the calls "
                   "answered outside coverage are the eligible calls minus those in coverage minus the unmet ones "
                   "outside it)",
}


def _family_words(f: tuple) -> str:
    if f in _FAMILY_WORDS:
        return _FAMILY_WORDS[f]
    metric, dimension, units = f
    what = f"`{metric}`" + (f" by `{dimension}`" if dimension != "ALL" else "")
    return what + (" by unit" if units == "units" else " (all units)")


def _grains(od: OpenData) -> list[str]:
    """One line per grain: the families published coarser than by month because a month (a quarter, a year)
    holds a small count (coarse.grains), in words."""
    from pipeline.open_data.coarse import QUARTER
    by_grain: dict = {}
    units_by_year = od.council is not None and od.council.coarse is not None and od.council.coarse.unit_quarters
    for f, g in od.grains.items():
        if (f[-1] == "units" and g == "fiscal_year" and units_by_year) or "hour_of_day" in f:
            continue   # units (above) and hours are not published by month anyway: nothing coarser than that
        if g != "month":
            by_grain.setdefault(g, []).append(f)
    words = {QUARTER: "By fiscal quarter instead of by month", "fiscal_year": "By fiscal year instead of by month",
             "all": "To date only", None: "Not published"}
    why = {QUARTER: "a month holds a count under {t}", "fiscal_year": "a month and a quarter hold a count under {t}",
           "all": "a fiscal year holds a count under {t}", None: "even to date a count is under {t}"}
    out = []
    for g in (QUARTER, "fiscal_year", "all", None):
        if g in by_grain:
            out.append(f"* **{words[g]}** ({why[g].format(t=od.threshold)}, the yes/no split or a category; the "
                       f"same in every period, since periods add up): " + "; ".join(
                           sorted(_family_words(f) for f in by_grain[g])) + "."
                       + (" Quarter rows have `grain` = `quarter` (three months from the fiscal year's first; "
                          "`period_start` and `period_end` bound them); beside them the totals they add up to are "
                          "published by quarter too, as sums of their months. Rates there have no interval."
                          if g == QUARTER else ""))
    return out
