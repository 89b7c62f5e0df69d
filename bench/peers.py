"""Two yardsticks for the project's `heart run`, on the same fixture files (fixture.py output).

bare-duckdb: the limit on this machine — DuckDB reads every file into one table, drops repeated
  incident numbers, and counts eligible calls by week and hour. No validation, no report.
naive-pandas: what an analyst would write instead — pandas read_csv, pandera validation of types and
  time order, the same aggregates, and a plotly HTML chart.

usage: python bench/peers.py bare-duckdb|naive-pandas DIR

Copied unchanged (but for this docstring) from the shared benchmark script /work/shared/bench/peers.py
(issue 13), so that bench/benchmark.py times the same peers as the issue's figures. Its ELIGIBLE list
is the eligible call types of bench/decc_program.toml; change both together.
"""
import sys
import tempfile
import time
from pathlib import Path

ELIGIBLE = ["MENTAL HEALTH CASE", "WELFARE CHECK", "DIP - DRUNK/INTOX PERSON", "TRESPASSING IN PROG",
            "TRESPASSING DELAY", "SUICIDE DELAY", "SUICIDE IN PROG NO INJ", "ASSIST CITIZEN DELAY"]


def bare_duckdb(d: Path):
    import duckdb
    con = duckdb.connect()
    con.execute(f"""CREATE TABLE cad AS SELECT * FROM read_csv('{d}/*.csv', nullstr='NULL', header=true,
                    union_by_name=true)""")
    con.execute("""CREATE TABLE inc AS SELECT * FROM cad
                   QUALIFY row_number() OVER (PARTITION BY Master_Incident_Number ORDER BY Response_Date DESC) = 1""")
    by_week = con.execute("""SELECT date_trunc('week', Incident_Start_Time) w, count(*) FROM inc
                             WHERE Problem IN (SELECT unnest(?)) GROUP BY 1 ORDER BY 1""", [ELIGIBLE]).fetchall()
    by_hour = con.execute("""SELECT hour(Incident_Start_Time), count(*), median(epoch(Incident_Arrival_Time - Incident_Start_Time))
                             FROM inc WHERE Problem IN (SELECT unnest(?)) GROUP BY 1""", [ELIGIBLE]).fetchall()
    return sum(c for _, c in by_week), len(by_hour)


def naive_pandas(d: Path):
    import pandas as pd
    import pandera.pandas as pa
    import plotly.express as px
    frames = [pd.read_csv(p, na_values=["NULL"], keep_default_na=False, low_memory=False) for p in sorted(d.glob("*.csv"))]
    df = pd.concat(frames, ignore_index=True)
    ts = ["Incident_Start_Time", "Incident_Dispatch_Time", "Incident_Arrival_Time", "Final_Closed_Time"]
    for c in ts:
        df[c] = pd.to_datetime(df[c], errors="coerce")
    schema = pa.DataFrameSchema({
        "Master_Incident_Number": pa.Column(str, nullable=False),
        "Agency": pa.Column(str, pa.Check.isin(["POLICE", "FIRE", "EMS"])),
        "Problem": pa.Column(str, nullable=False),
        "Priority_Number": pa.Column(int, pa.Check.in_range(0, 20)),
        "Incident_Start_Time": pa.Column("datetime64[ns]", nullable=False),
    }, checks=[pa.Check(lambda f: (f.Incident_Arrival_Time >= f.Incident_Start_Time) | f.Incident_Arrival_Time.isna())])
    try:
        schema.validate(df, lazy=True)
    except pa.errors.SchemaErrors as e:
        bad = e.failure_cases["index"].dropna().unique()
        df = df.drop(index=bad)
    df = df.sort_values("Response_Date").drop_duplicates("Master_Incident_Number", keep="last")
    el = df[df.Problem.isin(ELIGIBLE)].copy()
    el["week"] = el.Incident_Start_Time.dt.to_period("W-SUN").dt.start_time
    by_week = el.groupby("week").size()
    el["rt"] = (el.Incident_Arrival_Time - el.Incident_Start_Time).dt.total_seconds()
    by_hour = el.groupby(el.Incident_Start_Time.dt.hour).agg(n=("rt", "size"), med=("rt", "median"))
    out = Path(tempfile.mkdtemp()) / "naive_pandas_report.html"
    px.line(by_week.reset_index(), x="week", y=0).write_html(out, include_plotlyjs="directory")
    return int(by_week.sum()), len(by_hour)


if __name__ == "__main__":
    which, d = sys.argv[1], Path(sys.argv[2])
    t = time.perf_counter()
    n, h = {"bare-duckdb": bare_duckdb, "naive-pandas": naive_pandas}[which](d)
    print(f"{which}: {n} eligible calls, {h} hours, {time.perf_counter() - t:.2f} s")
