"""config/program.toml: dated program facts, checked on load, read by date in the warehouse."""

from __future__ import annotations

from datetime import date

import pytest

from pipeline.marts import load_program_config
from pipeline.program import ProgramConfigError, load_program
from pipeline.settings import DEFAULT_PROGRAM
from pipeline.warehouse.sqlfiles import run_sql_file

GOOD = """
[program]
timezone = "America/New_York"
launch_date = 2024-01-01

[[units]]
code = "CR"
effective = 2024-01-01
in_person = true
crisis_response = true

[[eligible_call_types]]
effective = 2024-01-01
natures = ["MENTAL"]

[[eligible_call_types]]
effective = 2024-01-10
natures = ["MENTAL", "WELFCK"]

[[service_area]]
effective = 2024-01-01
beats = ["111"]

[[service_area]]
effective = 2024-01-15
citywide = true

[[service_hours]]
effective = 2024-01-01
days = ["Mon", "Tue"]
start = 08:00:00
end = 17:00:00

[[capacity]]
effective = 2024-01-01
CR = 1

[beats]
all = ["111", "112"]
"""


def write(tmp_path, text):
    path = tmp_path / "program.toml"
    path.write_text(text)
    return path


def test_repository_config_loads():
    program = load_program(DEFAULT_PROGRAM)
    assert program.timezone == "America/New_York"
    assert program.launch_date == date(2022, 6, 27)
    assert program.fiscal_year_start_month == 7


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('days = ["Mon", "Tue"]', 'days = ["Mon", "Tues"]',
         "program.toml: [[service_hours]] entry 1 days = 'Tues': expected one of Mon, Tue, Wed, Thu, Fri, Sat, Sun"),
        ('code = "CR"', 'code = "CRT"', "program.toml: [[units]] entry 1 code = 'CRT': expected one of CCD, CR, COR, CN"),
        ("end = 17:00:00", "end = 07:00:00", "program.toml: [[service_hours]] entry 1 end = datetime.time(7, 0): "
         "expected a time after start (overnight hours are not supported yet)"),
        ('beats = ["111"]', 'beats = ["999"]', "program.toml: [[service_area]] entry 1 beats = '999': "
         "expected a beat listed in [beats] all"),
        ("CR = 1", "CR = -1", "program.toml: [[capacity]] entry 1 CR = -1: expected a whole number of teams"),
        ("effective = 2024-01-10", 'effective = "soon"', "program.toml: [[eligible_call_types]] entry 2 effective = "
         "'soon': expected a date such as 2022-06-27"),
        ('in_person = true', 'in_person = true\n\n[[units]]\ncode = "CR"\neffective = 2024-02-01',
         "program.toml: [[units]] entry 2 code = 'CR': expected a unit listed only once (its `effective` is the "
         "date it started)"),
        ('timezone = "America/New_York"', 'timezone = "Durham"',
         "program.toml: [program] timezone 'Durham' is not a known time zone"),
    ],
)
def test_mistakes_are_one_line_naming_section_entry_and_value(tmp_path, old, new, message):
    assert old in GOOD
    with pytest.raises(ProgramConfigError) as caught:
        load_program(write(tmp_path, GOOD.replace(old, new)))
    assert str(caught.value) == message


def test_missing_file_and_bad_toml(tmp_path):
    with pytest.raises(ProgramConfigError, match="program configuration not found"):
        load_program(tmp_path / "nope.toml")
    with pytest.raises(ProgramConfigError, match="program.toml: not valid TOML"):
        load_program(write(tmp_path, "[program\n"))


def test_entry_in_force_is_the_latest_on_or_before_the_day(tmp_path, con):
    load_program_config(con, load_program(write(tmp_path, GOOD)))
    # The marts read the configuration through program_days; it needs staging
    # tables for the data's date range, so give it two empty ones.
    con.execute("CREATE TABLE staging.cad_incidents (received_at TIMESTAMPTZ)")
    con.execute("CREATE TABLE staging.heart_responses (received_at TIMESTAMPTZ)")
    con.execute("INSERT INTO staging.cad_incidents VALUES ('2024-01-20 12:00:00+00')")
    run_sql_file(con, "marts/program_days.sql", {"tz": "America/New_York"})
    days = {
        str(d): (eligible_from, citywide, start, teams)
        for d, eligible_from, citywide, start, teams in con.execute(
            "SELECT service_date, eligible_from, citywide, service_start, in_person_teams FROM marts.program_days"
        ).fetchall()
    }
    assert len(days) == 20  # 2024-01-01 .. 2024-01-20
    assert days["2024-01-09"][0] == date(2024, 1, 1)   # the day before the second list
    assert days["2024-01-10"][0] == date(2024, 1, 10)  # the day it takes effect
    assert days["2024-01-14"][1] is False and days["2024-01-15"][1] is True
    assert days["2024-01-01"][2] is not None  # a Monday: served
    assert days["2024-01-03"][2] is None      # a Wednesday: not a service day
    assert {v[3] for v in days.values()} == {1}


# --------------------------------------------------------------------------------------------
# [[budget]]: optional budget figures by fiscal year, for the council dashboard's cost per response
# --------------------------------------------------------------------------------------------

BUDGET = """
[[budget]]
fiscal_year_start = 2024-07-01
amount_usd = 4_800_000
covers = "Community Safety Department, whole department"
source = "News & Observer"
"""


def test_budget_entries_are_optional_and_read_by_fiscal_year(tmp_path):
    assert load_program(write(tmp_path, GOOD)).budgets == ()
    program = load_program(write(tmp_path, GOOD + BUDGET + BUDGET.replace("2024-07-01", "2023-07-01")
                                 .replace("4_800_000", "1234.5")))
    assert [(b.fiscal_year_start, b.amount_usd) for b in program.budgets] == [
        (date(2023, 7, 1), 1234.5), (date(2024, 7, 1), 4_800_000)]
    budget = program.budget_for(date(2024, 7, 1))
    assert (budget.covers, budget.source) == ("Community Safety Department, whole department", "News & Observer")
    assert program.budget_for(date(2025, 7, 1)) is None


def test_repository_config_has_the_published_budget():
    program = load_program(DEFAULT_PROGRAM)
    budget = program.budget_for(date(2022, 7, 1))
    assert budget is not None and budget.amount_usd == 4_800_000
    assert "not HEART alone" in budget.covers and budget.source


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("amount_usd = 4_800_000", "amount_usd = -5",
         "program.toml: [[budget]] entry 1 amount_usd = -5: expected a number of dollars above 0"),
        ("amount_usd = 4_800_000", "amount_usd = 0",
         "program.toml: [[budget]] entry 1 amount_usd = 0: expected a number of dollars above 0"),
        ("amount_usd = 4_800_000", 'amount_usd = "4.8M"',
         "program.toml: [[budget]] entry 1 amount_usd = '4.8M': expected a number of dollars above 0"),
        ("fiscal_year_start = 2024-07-01", "fiscal_year_start = 2024-07-02",
         "program.toml: [[budget]] entry 1 fiscal_year_start = datetime.date(2024, 7, 2): expected the first day "
         "of a fiscal year (day 1 of month 7, [program] fiscal_year_start_month)"),
        ("fiscal_year_start = 2024-07-01", 'fiscal_year_start = "FY2024"',
         "program.toml: [[budget]] entry 1 fiscal_year_start = 'FY2024': expected a date such as 2022-07-01"),
        ('covers = "Community Safety Department, whole department"\n', "",
         "program.toml: [[budget]] entry 1 covers = None: expected a non-empty text saying what the amount pays for"),
        ('source = "News & Observer"', 'source = " "',
         "program.toml: [[budget]] entry 1 source = ' ': expected a non-empty text naming where the figure was "
         "published"),
        ('source = "News & Observer"', 'source = "News & Observer"\nyear = 2024',
         "program.toml: [[budget]] entry 1 key = 'year': expected one of fiscal_year_start, amount_usd, covers, "
         "source"),
        ("[[budget]]", "[budget]",
         "program.toml: [[budget]] = {'fiscal_year_start': datetime.date(2024, 7, 1), 'amount_usd': 4800000, "
         "'covers': 'Community Safety Department, whole department', 'source': 'News & Observer'}: expected a list "
         "of [[budget]] entries (fiscal_year_start, amount_usd, covers, source)"),
    ],
)
def test_budget_mistakes_are_one_line_naming_entry_and_value(tmp_path, old, new, message):
    text = GOOD + BUDGET
    assert old in text
    with pytest.raises(ProgramConfigError) as caught:
        load_program(write(tmp_path, text.replace(old, new)))
    assert str(caught.value) == message


def test_budget_twice_for_one_fiscal_year_is_a_mistake(tmp_path):
    with pytest.raises(ProgramConfigError) as caught:
        load_program(write(tmp_path, GOOD + BUDGET + BUDGET))
    assert str(caught.value) == ("program.toml: [[budget]] entry 2 fiscal_year_start = datetime.date(2024, 7, 1): "
                                 "expected one [[budget]] entry per fiscal year")
