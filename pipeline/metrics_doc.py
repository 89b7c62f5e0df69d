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
| `period_start`, `period_end` | local dates; start inclusive, end exclusive. The first and last periods can be partial: they hold only the days the data covers |
| `unit` | `ALL` or a unit code: `CCD` Crisis Call Diversion, `CR` Community Response, `COR` Co-Response, `CN` Care Navigation |
| `dimension`, `dimension_value` | `ALL`/`ALL` when not broken down; otherwise e.g. `hour_of_day`/`08`, `reason`/`no_team_free`. Two-way breakdowns join names with `+` and values with `|` (`weekday+hour_of_day`/`Mon|08`) |
| `numerator`, `denominator`, `value` | for a rate, value = numerator / denominator; for a count, value = numerator; for a median or percentile, value is in minutes and denominator is the number of observations |
| `ci_low`, `ci_high` | rates: Wilson score 95% interval; medians and percentiles: distribution-free 95% interval from order statistics; empty for counts and sums |

A count or sum with nothing in a period is a row with 0; a rate, median or
percentile with nothing to measure has no row (it is undefined, not zero).
Every event is placed in a period by one local date, named under each metric
("period by"). Distinct counts (people reached) do not add up across periods.

The tables the metrics read are the marts in `sql/marts/`, and the program's
dated facts (eligible call types, service area and hours, teams on shift) come
from `config/program.toml` through `marts.program_days`.

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
