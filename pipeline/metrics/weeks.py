"""The weeks with data: which Mondays (local) hold a call or a response, and the latest week the
data covers in full. The weekly report's partitions, `heart run`'s default week, `--week`'s bounds,
the sensor and the schedule all read them from here."""

from __future__ import annotations

from datetime import date, timedelta

import duckdb

from pipeline.metrics import values
from pipeline.warehouse.sqlfiles import query_sql_file


def week_start(day: date) -> date:
    """The Monday of the week holding `day`."""
    return day - timedelta(days=day.weekday())


def latest_week(con: duckdb.DuckDBPyConnection) -> date:
    """The most recent week the data covers in full (or, with less than a week of data, the only one)."""
    first, last = values.data_range(con)
    if last is None:
        raise ValueError("the warehouse holds no program days yet: build the marts and metric_values first")
    return latest_week_of(weeks_with_data(con), first, last)


def latest_week_of(weeks: list[date], first: date, last: date) -> date:
    """latest_week from the weeks with data and the first and last day with data.

    Always one of `weeks` (when there are any): never a calendar week the data does not reach.
    """
    week = week_start(last)
    if last - week < timedelta(days=6) and week_start(first) < week:
        week -= timedelta(days=7)
    earlier = [w for w in weeks if w <= week]
    return earlier[-1] if earlier else (weeks[-1] if weeks else week)


def weeks_with_data(con: duckdb.DuckDBPyConnection) -> list[date]:
    """Every week (its Monday) metric_values holds in which a call or response was received, oldest
    first: what a full backfill builds and what the weekly partitions are."""
    return [row["week"] for row in query_sql_file(con, "metrics/_weeks_with_data.sql")]
