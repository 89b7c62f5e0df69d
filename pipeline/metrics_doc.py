"""docs/metrics.md, generated from the metric files' headers so the two never disagree.

    python -m pipeline.metrics_doc > docs/metrics.md

A test fails when docs/metrics.md is out of date.
"""

from __future__ import annotations

from pipeline.metrics import HEADLINE_ORDER, MetricDefinition, load_definitions

INTRO = """# Metrics

Generated from the headers of `sql/metrics/*.sql` by `python -m pipeline.metrics_doc`;
edit the SQL file, not this page. Each metric has exactly one definition: its file.

## How to read `metrics.metric_values`

One row per metric x period x unit x breakdown:

| column | meaning |
|---|---|
| `metric_id` | the metric's file name under `sql/metrics/` |
| `grain` | `week` (Monday to Monday), `month`, `fiscal_year` (from `fiscal_year_start_month` in `config/program.toml`; July to June for Durham), `all` (program to date); `custom` only in `heart metrics` |
| `period_start`, `period_end` | local dates; start inclusive, end exclusive. Every period ends at the latest on the day after the last day with data (`period_end` is clipped there at every grain, as for `all`), so the last week, month and fiscal year hold only the days the data covers and weeks, months, fiscal years and `all` add up whatever day the data ends on. The first periods keep their calendar start |
| `unit` | `ALL` or a unit code: `CCD` Crisis Call Diversion, `CR` Community Response, `COR` Co-Response, `CN` Care Navigation |
| `dimension`, `dimension_value` | `ALL`/`ALL` when not broken down; otherwise e.g. `hour_of_day`/`08`, `reason`/`no_team_free`. Two-way breakdowns join names with `+` and values with `|` (`weekday+hour_of_day`/`Mon|08`) |
| `numerator`, `denominator`, `value` | for a rate, value = numerator / denominator; for a count, value = numerator; for a median or percentile, value is in minutes and denominator is the number of observations |
| `ci_low`, `ci_high` | rates: Wilson score 95% interval with z = 1.96; medians and percentiles: distribution-free 95% interval from order statistics (ranks n·p ∓ 1.96·√(n·p·(1−p)), the lower rounded down, the upper rounded up plus one, clamped to 1..n); empty for counts and sums |

A count or sum with nothing in a period is a row with 0; a rate, median or
percentile with nothing to measure has no row (it is undefined, not zero).
Breakdowns over a fixed list of values (the unmet reasons, the contact modes,
the outcomes) have a row for every value, 0 included, whenever the breakdown's
denominator is not zero: the rate's denominator (outcome_share: 0 of n), or
for a count the period's total it splits for that unit (responses by contact
mode, unmet calls by reason; and by reason at each hour with unmet calls).
Breakdowns over open lists (hour of day, weekday, call type, beat) have a row
for each value that occurs in the period; a rate's row exists whenever its own
denominator is not zero (eligible_answered_rate 0 of n by hour, call type,
beat, unit), and a count's missing hour, weekday, call type or beat is 0.
Every event is placed in a period by one local date, named under each metric
("period by"). Distinct counts (people reached) do not add up across periods.
Medians and percentiles are DuckDB's `quantile_cont`: linear interpolation
between order statistics at position (n − 1)·p (Hyndman-Fan type 7, as R and
NumPy by default).

An event dated after the last day with data is in no period. This matters for
the one metric placed by a date in the future: a Care Navigation follow-up
whose due date is after the data's last day is *pending*, in no period's rate
(not even a `heart metrics` window reaching past the data) until the data
reaches the day it falls due; the weekly report says how many are pending.

Codes (call types, beats, units) are compared trimmed and upper-case
everywhere, as the source profiles' lookups read them: a call typed `welfck`
is WELFCK, eligible when WELFCK is, and counted under WELFCK.

The tables the metrics read are the marts in `sql/marts/`, and the program's
dated facts (eligible call types, service area and hours, teams on shift) come
from `config/program.toml` through `marts.program_days`.

Two readings that two honest implementations could otherwise take apart:

- **No team free** is judged unit by unit: an unanswered eligible call in
  coverage is `no_team_free` when every in-person crisis-response unit with
  teams on shift that day had at least that many of its own responses open at
  the instant the call was received. A response is open from its dispatch (or
  its receipt, when it has none, as for a walk-up) until it clears. Three
  Community Response responses open with two Community Response teams on shift
  do not make a free Co-Response team busy.
- **Police involvement** in diversion_rate is a police unit in CAD or a police
  request by a crisis-response unit (Crisis Call Diversion, Community Response,
  Co-Response). A Care Navigation follow-up's request for police is not police
  involvement in the 911 call it follows up; police_backup_rate, which is about
  HEART's in-person responses, does count it.

## The metrics
"""


def _section(d: MetricDefinition) -> str:
    units = ", ".join(d.units)
    dims = ", ".join(f"`{x}`" for x in d.dimensions)
    return "\n".join([
        f"### `{d.metric_id}` — {d.name}",
        "",
        d.definition,
        "",
        f"- **Numerator:** {d.numerator}",
        f"- **Denominator:** {d.denominator}",
        f"- **Kind:** {d.kind} ({d.value_unit}); **units:** {units}; **breakdowns:** {dims}",
        f"- **Period by:** {d.period_by}",
        f"- **Caveats:** {d.caveats}",
        f"- **SQL:** [`{d.sql_file}`](../{d.sql_file})",
        "",
    ])


def render_markdown() -> str:
    order = {m: i for i, m in enumerate(HEADLINE_ORDER)}
    definitions = sorted(load_definitions(), key=lambda d: (order.get(d.metric_id, len(order)), d.metric_id))
    return INTRO + "\n" + "\n".join(_section(d) for d in definitions)


if __name__ == "__main__":
    print(render_markdown(), end="")
