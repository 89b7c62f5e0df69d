"""`heart sql`: ad hoc read-only SQL on the published warehouse, one-shot and at a prompt.

Runs on the metrics_small fixture warehouse (tests/fixtures/metrics_small/README.md);
the figures asserted are the fixture's hand-worked ones.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import subprocess
import sys
import textwrap

import duckdb
import pytest

from pipeline.cli import sql as sql_cli
from pipeline.cli import main

# Eligible calls by month (README): October 2023 5, November 10, December - February 0, March 2024 20.
MONTHLY_ELIGIBLE = (
    "SELECT period_start, numerator::INT AS calls FROM metrics.metric_values "
    "WHERE metric_id = 'eligible_calls' AND grain = 'month' AND unit = 'ALL' AND dimension = 'ALL' "
    "ORDER BY period_start"
)


@pytest.fixture
def wh(metrics_small_warehouse):
    return metrics_small_warehouse[0]


def run(capsys, *argv):
    code = main(["sql", *argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def fingerprint(path):
    return path.stat().st_mtime_ns, path.stat().st_size, hashlib.sha256(path.read_bytes()).hexdigest()


# --- one query -------------------------------------------------------------------------------


def test_table_output(wh, capsys):
    code, out, err = run(capsys, MONTHLY_ELIGIBLE, "--warehouse", str(wh))
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0].split() == ["period_start", "calls"]
    assert set(lines[1]) <= {"-", " "}
    assert [line.split() for line in lines[2:-1]] == [
        ["2023-10-01", "5"], ["2023-11-01", "10"], ["2023-12-01", "0"], ["2024-01-01", "0"],
        ["2024-02-01", "0"], ["2024-03-01", "20"],
    ]
    assert lines[-1] == "(6 rows)"
    # Numbers right-aligned under their header.
    assert lines[2].endswith("    5") and lines[2].index("5") == len(lines[0]) - 1


def test_csv_and_json_output(wh, capsys):
    code, out, err = run(capsys, MONTHLY_ELIGIBLE, "--warehouse", str(wh), "--format", "csv")
    assert (code, err) == (0, "")
    assert list(csv.reader(io.StringIO(out))) == [
        ["period_start", "calls"], ["2023-10-01", "5"], ["2023-11-01", "10"], ["2023-12-01", "0"],
        ["2024-01-01", "0"], ["2024-02-01", "0"], ["2024-03-01", "20"],
    ]
    code, out, err = run(capsys, MONTHLY_ELIGIBLE, "--warehouse", str(wh), "--format", "json")
    assert (code, err) == (0, "")
    assert json.loads(out)[::5] == [
        {"period_start": "2023-10-01", "calls": 5}, {"period_start": "2024-03-01", "calls": 20},
    ]


def test_values_of_every_kind_print(wh, capsys):
    sql = ("SELECT NULL AS nothing, true AS yes, 1.25::DECIMAL(5, 2) AS dec, [1, 2] AS list, "
           "INTERVAL 90 MINUTE AS span, 'two\nlines' AS text, TIMESTAMPTZ '2024-03-10 07:05:00+00' AS at, "
           "1 AS a, 2 AS a")
    code, out, err = run(capsys, sql, "--warehouse", str(wh), "--format", "json")
    assert (code, err) == (0, "")
    # Instants print in UTC (the pipeline's session time zone); a repeated column name gets _2.
    assert json.loads(out) == [{"nothing": None, "yes": True, "dec": 1.25, "list": [1, 2], "span": "1:30:00",
                                "text": "two\nlines", "at": "2024-03-10T07:05:00+00:00", "a": 1, "a_2": 2}]
    code, out, _ = run(capsys, sql, "--warehouse", str(wh))
    assert code == 0
    assert out.splitlines()[2].split()[:6] == ["NULL", "true", "1.25", "[1,", "2]", "1:30:00"]
    assert "two\\nlines" in out


def test_table_output_is_capped_with_a_note(wh, capsys):
    code, out, _ = run(capsys, "SELECT * FROM range(250) AS t(n)", "--warehouse", str(wh))
    assert code == 0
    lines = out.splitlines()
    assert lines[-2].strip() == "199"
    assert lines[-1] == "(first 200 rows shown; 50 more rows; use --format csv for all of them)"
    code, out, _ = run(capsys, "SELECT * FROM range(250) AS t(n)", "--warehouse", str(wh), "--format", "csv")
    assert len(out.splitlines()) == 251
    code, out, _ = run(capsys, "SELECT * FROM range(250) AS t(n)", "--warehouse", str(wh), "--max-rows", "10")
    assert out.splitlines()[-1] == "(first 10 rows shown; 240 more rows; use --format csv for all of them)"


def test_query_from_a_file_an_example_name_and_stdin(wh, tmp_path, capsys, monkeypatch):
    query = tmp_path / "q.sql"
    # Eligible calls from March 2024 (README): 24-0001 and 24-0003 .. 24-0021 = 20.
    query.write_text("-- eligible calls in March 2024\n"
                     "SELECT count(*) AS calls FROM marts.eligible_calls WHERE received_date >= DATE '2024-03-01';\n")
    for argv in ([str(query)], ["--file", str(query)]):
        code, out, err = run(capsys, *argv, "--warehouse", str(wh), "--format", "csv")
        assert (code, err, out) == (0, "", "calls\n20\n")
    # An example by number or name: 06 (Care Navigation) has two months, hand-checked in test_sql_examples.
    for name in ("06", "6", "06_care_navigation_followups_by_month", "care_navigation_followups_by_month",
                 "sql/examples/06_care_navigation_followups_by_month.sql"):
        code, out, err = run(capsys, name, "--warehouse", str(wh), "--format", "csv")
        assert (code, err) == (0, ""), name
        assert out.splitlines()[1].startswith("2023-11-01,3,1,1,1,"), name
    monkeypatch.setattr("sys.stdin", io.StringIO("SELECT 41 + 1 AS answer;"))
    code, out, err = run(capsys, "-", "--warehouse", str(wh), "--format", "csv")
    assert (code, err, out) == (0, "", "answer\n42\n")


def test_several_statements_print_the_last_and_temp_tables_are_allowed(wh, capsys):
    code, out, err = run(capsys, "CREATE TEMP TABLE t AS SELECT 7 AS n; SELECT n * 6 AS n FROM t",
                         "--warehouse", str(wh), "--format", "csv")
    assert (code, err, out) == (0, "", "n\n42\n")


# --- problems: one line, exit 2 --------------------------------------------------------------


@pytest.mark.parametrize("statement, kind", [
    ("DROP TABLE marts.eligible_calls", "DROP"),
    ("DELETE FROM metrics.metric_values", "DELETE"),
    ("CREATE TABLE marts.mine AS SELECT 1", "CREATE"),
    ("UPDATE audit.file_loads SET status = 'x'", "UPDATE"),
])
def test_a_write_is_refused_in_one_line(wh, capsys, statement, kind):
    before = fingerprint(wh)
    code, out, err = run(capsys, statement, "--warehouse", str(wh))
    assert code == 2 and out == ""
    assert err == (f"heart: the analysts' warehouse is read-only; {kind} statements cannot change it "
                   "(TEMP tables are allowed; the warehouse itself is rebuilt by `heart run`)\n")
    assert fingerprint(wh) == before


def test_attach_for_writing_is_refused(wh, tmp_path, capsys):
    code, _, err = run(capsys, f"ATTACH '{tmp_path / 'other.duckdb'}' AS other (READ_WRITE)", "--warehouse", str(wh))
    assert code == 2
    assert err == "heart: the analysts' warehouse is read-only; ATTACH is allowed only read-only here\n"
    assert not (tmp_path / "other.duckdb").exists()


@pytest.mark.parametrize("sql, message", [
    ("SELEC 1", "heart: Parser Error: syntax error at or near \"SELEC\""),
    ("SELECT * FROM marts.no_such_table", "heart: Catalog Error: Table with name no_such_table does not exist!"),
    ("SELECT 'x'::INTEGER", "heart: Conversion Error: Could not convert string 'x' to INT32"),
])
def test_a_bad_query_is_one_line(wh, capsys, sql, message):
    code, out, err = run(capsys, sql, "--warehouse", str(wh))
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith(message)


def test_missing_warehouse_is_one_line(tmp_path, capsys):
    code, out, err = run(capsys, "SELECT 1", "--warehouse", str(tmp_path / "none.duckdb"))
    assert (code, out) == (2, "")
    assert err == f"heart: no published warehouse at {tmp_path / 'none.duckdb'} yet: run `heart run` first\n"
    # The prompt says the same, before reading anything.
    code, _, err = run(capsys, "--warehouse", str(tmp_path / "none.duckdb"))
    assert code == 2 and err.startswith("heart: no published warehouse at")


def test_default_warehouse_is_the_published_file(tmp_path, capsys, monkeypatch):
    from types import SimpleNamespace

    from pipeline import settings

    # Stand-in settings, so the test never opens the repository's own warehouse.
    monkeypatch.setattr(settings, "Settings", lambda: SimpleNamespace(warehouse=tmp_path / "published.duckdb"))
    code, _, err = run(capsys, "SELECT 1")
    assert code == 2
    assert err == f"heart: no published warehouse at {tmp_path / 'published.duckdb'} yet: run `heart run` first\n"


def test_a_missing_sql_file_is_one_line(wh, capsys):
    code, _, err = run(capsys, "no_such_query.sql", "--warehouse", str(wh))
    assert (code, err) == (2, "heart: no such SQL file: no_such_query.sql\n")


def test_not_a_warehouse_is_one_line(tmp_path, capsys):
    bogus = tmp_path / "notes.duckdb"
    bogus.write_text("not a database\n")
    code, _, err = run(capsys, "SELECT 1", "--warehouse", str(bogus))
    assert code == 2 and err.count("\n") == 1
    assert err.startswith(f"heart: cannot read the warehouse {bogus}: ")


# --- never written ---------------------------------------------------------------------------


def test_heart_sql_only_ever_opens_the_file_read_only(wh, capsys, monkeypatch):
    opened = []
    real_connect = duckdb.connect

    def spy(database=":memory:", *args, **kwargs):
        opened.append((str(database), kwargs.get("read_only", False)))
        return real_connect(database, *args, **kwargs)

    monkeypatch.setattr(duckdb, "connect", spy)
    monkeypatch.setattr("sys.stdin", io.StringIO(".tables\nDROP TABLE marts.eligible_calls;\n.run 1\n"))
    before = fingerprint(wh)
    assert run(capsys, "SELECT count(*) FROM marts.eligible_calls", "--warehouse", str(wh))[0] == 0
    assert run(capsys, "DROP TABLE marts.eligible_calls", "--warehouse", str(wh))[0] == 2
    assert run(capsys, "--warehouse", str(wh))[0] == 0
    assert opened == [(str(wh), True)] * 3
    assert fingerprint(wh) == before


def test_heart_sql_works_while_another_process_reads_the_file(wh, tmp_path, capsys):
    """A second process holding the file read-only blocks any writer; heart sql still runs."""
    import shutil

    copy = tmp_path / "held.duckdb"
    shutil.copy(wh, copy)
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import sys, duckdb
            con = duckdb.connect({str(copy)!r}, read_only=True)
            print("ready", flush=True)
            sys.stdin.read()
        """)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ready"
        with pytest.raises(duckdb.IOException):  # a writer cannot get in ...
            duckdb.connect(str(copy)).close()
        code, out, err = run(capsys, "SELECT count(*) AS n FROM marts.eligible_calls", "--warehouse", str(copy),
                             "--format", "csv")
        assert (code, err, out) == (0, "", "n\n35\n")  # ... a reader can: 35 eligible calls (README)
    finally:
        holder.stdin.close()
        holder.wait(timeout=10)


# --- the prompt ------------------------------------------------------------------------------


def prompt(wh, script: str, fmt: str = "table") -> list[str]:
    con = sql_cli.open_warehouse(wh)
    out = io.StringIO()
    try:
        assert sql_cli.Repl(con, io.StringIO(textwrap.dedent(script)), out, fmt=fmt).run() == 0
    finally:
        con.close()
    return out.getvalue().splitlines()


def test_prompt_runs_a_scripted_session(wh, capsys, monkeypatch):
    script = textwrap.dedent("""\
        SELECT count(*) AS eligible,
               count(*) FILTER (WHERE answered) AS answered
        FROM marts.eligible_calls;
        .tables marts
        .run 04
        SELECT * FROM marts.nope;
        SELECT 'still here;' AS status; -- a comment after the semicolon
        .quit
        SELECT 'never run' AS status;
    """)
    monkeypatch.setattr("sys.stdin", io.StringIO(script))
    code, out, err = run(capsys, "--warehouse", str(wh))
    assert (code, err) == (0, "")
    lines = out.splitlines()
    # The multi-line query: 35 eligible calls, 18 answered (README).
    assert lines[0].split() == ["eligible", "answered"]
    assert lines[2].split() == ["35", "18"]
    # .tables: the marts, one line each.
    tables = [line.split()[1] for line in lines if line.startswith("marts ")]
    assert tables == ["cad_incidents", "eligible_calls", "heart_handled_incidents", "heart_responses",
                      "impact_beat_week", "impact_hour_week", "police_time_by_call_type", "program_days",
                      "response_times"]
    # .run 04: the question, then the answer (first row: October 2023, no_team_free, 1 of 5).
    run_at = lines.index(next(line for line in lines if line.startswith("-- 04_unmet_calls_by_reason_and_month: ")))
    assert lines[run_at + 1].split()[:3] == ["month_start", "reason", "unmet_calls"]
    assert lines[run_at + 3].split() == ["2023-10-01", "no_team_free", "1", "5", "0.2"]
    # The error is one line and the session carries on.
    errors = [line for line in lines if line.startswith("error: ")]
    assert errors == [next(line for line in lines if "nope does not exist" in line)]
    assert errors[0].startswith("error: Catalog Error: Table with name nope does not exist!")
    assert "still here;" in out and "never run" not in out


def test_prompt_dot_commands(wh):
    lines = prompt(wh, """\
        .help
        .describe marts.response_times
        .describe no_such_table
        .examples
        .show 2
        .format csv
        SELECT 1 AS one;
        .run
        .frobnicate
    """)
    text = "\n".join(lines)
    assert ".describe schema.table" in text and ".quit" in text
    described = [line.split()[:2] for line in lines if line.split()[:1] in (["incident_id"], ["minutes"])]
    assert described == [["incident_id", "VARCHAR"], ["minutes", "DOUBLE"]]
    assert "error: no table or view named no_such_table; .tables lists them" in lines
    examples = sorted(p.stem for p in sql_cli.EXAMPLES_DIR.glob("*.sql"))
    assert [line for line in lines if line in examples] == examples
    assert "    In the last complete calendar quarter, at what hours of the day did eligible 911 calls come in," \
        " and how many of them did HEART answer and how many went unmet?" in lines
    assert ("-- question: Over the last 12 months, what share of HEART's crisis responses involved someone HEART"
            in lines)
    assert lines[lines.index("one") + 1] == "1"  # csv after .format csv
    assert "error: usage: .run NAME" in lines
    assert "error: unknown command .frobnicate; .help lists them" in lines


def test_prompt_runs_a_pending_query_at_end_of_input(wh):
    # Ctrl-D (end of input) with a statement typed but no ; yet: run it, then leave.
    assert prompt(wh, "SELECT 6 * 7 AS answer", fmt="csv") == ["answer", "42"]


def test_prompt_refuses_writes_and_keeps_going(wh):
    before = fingerprint(wh)
    lines = prompt(wh, """\
        INSERT INTO metrics.metric_values SELECT * FROM metrics.metric_values;
        CREATE TEMP TABLE mine AS SELECT 1 AS n;
        SELECT count(*) AS n FROM mine;
    """, fmt="csv")
    assert lines[0] == ("error: the analysts' warehouse is read-only; INSERT statements cannot change it "
                        "(TEMP tables are allowed; the warehouse itself is rebuilt by `heart run`)")
    assert lines[-2:] == ["n", "1"]
    assert fingerprint(wh) == before


def test_statement_complete():
    assert sql_cli._statement_complete("SELECT 1;")
    assert sql_cli._statement_complete("SELECT 1;  -- done")
    assert not sql_cli._statement_complete("SELECT ';'")
    assert not sql_cli._statement_complete("SELECT 1 -- ;")
    assert not sql_cli._statement_complete("SELECT 1 /* ; */")
    assert sql_cli._statement_complete("SELECT \"a;b\" FROM t;")


def test_run_query_returns_columns_and_rows(wh):
    columns, rows = sql_cli.run_query(
        wh, "SELECT beat, count(*) AS n FROM marts.eligible_calls GROUP BY 1 ORDER BY 1"
    )
    assert columns == ["beat", "n"]
    # Eligible calls by beat (README): 111: 23-0001, 0004, 0007, 0011, 0012, 24-0001, 0005, 0008,
    # 0010, 0011, 0014, 0021 = 12; 112: 23-0002, 0008, 0014, 0017, 24-0004, 0006, 0009, 0013,
    # 0016, 0020 = 10; 113: 23-0003, 0009, 0010, 0015, 24-0003, 0007, 0012, 0015, 0019 = 9;
    # 211: 23-0005, 24-0017, 0018 = 3; 212: 23-0006 = 1. 35 in all.
    assert rows == [("111", 12), ("112", 10), ("113", 9), ("211", 3), ("212", 1)]
    with pytest.raises(sql_cli.SqlError, match="^the analysts' warehouse is read-only; DROP"):
        sql_cli.run_query(wh, "DROP TABLE marts.eligible_calls")


def test_tables_and_describe_show_comments(wh, tmp_path):
    import shutil

    copy = tmp_path / "commented.duckdb"
    shutil.copy(wh, copy)
    with duckdb.connect(str(copy)) as con:
        con.execute("COMMENT ON TABLE marts.eligible_calls IS 'eligible incidents: answered, unmet_reason'")
        con.execute("COMMENT ON COLUMN marts.eligible_calls.unmet_reason IS 'first reason that applies'")
    lines = prompt(copy, """\
        .tables marts
        .describe eligible_calls
    """)
    assert any(line.split()[:3] == ["marts", "eligible_calls", "table"]
               and line.endswith("eligible incidents: answered, unmet_reason") for line in lines)
    assert "marts.eligible_calls: eligible incidents: answered, unmet_reason" in lines
    assert any(line.split()[0] == "unmet_reason" and line.endswith("first reason that applies") for line in lines)
