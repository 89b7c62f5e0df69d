"""Council pages start where the call records start, not at launch.

A city whose first loaded export begins long after its launch date has
metric_values periods from launch on, all zero before the first record. Those
are days with no records, not days with no calls: a fiscal year the records do
not reach must get no page (it would say "0 calls to 911 in FY2021-22"), and the
pages' data range starts at the first record.

Fixture: tests/fixtures/metrics_small with its program moved 20 months earlier
(launch 2022-03-07, every dated entry with it). Its records are unchanged: the
first CAD call is on 2023-10-30 (local), so with fiscal years starting 1 November
the records reach FY2022-23 (2022-11-01 to 2023-10-31: two days, 30-31 Oct 2023)
and FY2023-24; FY2021-22 (2021-11-01 to 2022-10-31, holding the launch) has none.
"""

from __future__ import annotations

import shutil
from datetime import date

from conftest import METRICS_SMALL, build_metrics_warehouse
from pipeline.reports import council
from pipeline import warehouse


def test_a_fiscal_year_the_records_do_not_reach_has_no_page(tmp_path):
    fixture = tmp_path / "fixture"
    shutil.copytree(METRICS_SMALL, fixture)
    config = fixture / "program.toml"
    config.write_text(config.read_text(encoding="utf-8").replace("2023-10-30", "2022-03-07"), encoding="utf-8")
    path, program = build_metrics_warehouse(tmp_path, fixture)
    assert program.launch_date == date(2022, 3, 7)
    with warehouse.connect(path, read_only=True) as con:
        data = council.load_council_data(con, program, 11)
    # FY2022-23 holds two days of records: under a quarter, so they are folded into FY2023-24 (its page
    # starts at the first record) and FY2022-23 has no period of its own (pipeline/disclosure/coarsen.py).
    assert [p.key for p in data.fiscal_years] == ["fy2023-24"]
    assert data.launch is not None and data.launch.key == "fy2022-23"
    assert data.fiscal_years[0].data_from == date(2023, 10, 30)
    assert data.fiscal_years[0].starts == (date(2022, 11, 1), date(2023, 11, 1))
    assert data.to_date.data_from == date(2023, 10, 30)
    # The first month shown is the first with a record (October's two days folded into November); the
    # program to date still holds all 35 eligible calls.
    assert (data.months[0].first_day, data.months[0].start) == (date(2023, 10, 1), date(2023, 11, 1))
    assert data.plan.cells["all:eligible"] == 35 == data.plan.cells["fy2023-24:eligible"]
    assert [p.key for p in council.public_pages(data)] == ["fy2023-24", "all"]

