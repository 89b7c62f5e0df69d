"""Nothing from a record in any output (issue 14, item 7).

The metrics_small inbox with three canaries planted in EVERY field the durham
profiles map, CAD and HEART alike (ids, codes, free text, times, yes/no, the
person key): a name, a phone number and a spreadsheet formula, each in a row of
its own per field. The call-type and disposition lookups are switched to
on_unknown = "keep" (as a city whose code list is open would have them), so the
planted call types are not quarantined but reach the marts and the open data.
`heart run` (through the command line, every report, the open data, the
published warehouse) must then show none of the three in any file under
reports/ or on stdout/stderr, and the warehouse must hold no person key as the
log wrote it. A second run with the default quarantine limit is blocked; its
blocking paragraph must not quote them either.
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from conftest import METRICS_SMALL, copy_into
from pipeline.disclosure import redaction
from pipeline.settings import DEFAULT_PROFILES

NAME = "Jane Canarysmith"
PHONE = "919-555-0142"
FORMULA = '=HYPERLINK("http://evil.example","x")'
CANARIES = {"name": NAME, "phone": PHONE, "formula": FORMULA}
# What each canary may be turned into on the way out: any of these found is a leak too.
NEEDLES = {
    "name": ["canarysmith"],
    "phone": ["555-0142", "5550142"],
    "formula": ["hyperlink", "evil.example"],
}
CAD_FILE = "durham_cad_2024-03-18.csv"
HEART_FILE = "durham_heart_2024-03-18.csv"
# Every column the durham profiles map (profiles/durham_*.toml [fields]).
CAD_MAPPED = ["IncidentNumber", "CallDate", "CallTime", "InitialNature", "FinalNature", "Priority", "Beat", "Address",
              "Disposition", "UnitID", "UnitType", "Dispatched", "Enroute", "Arrived", "Cleared"]
HEART_MAPPED = ["ResponseID", "CADIncident", "Unit", "Team", "ReceivedAt", "DispatchedAt", "ArrivedAt", "ClearedAt",
                "ContactMode", "ResolvedNoInPerson", "PoliceRequested", "FeltSafe", "Outcome", "Referrals",
                "PersonKey", "FollowUpDue", "FollowUpDone"]


def _plant(path: Path, mapped: list[str], id_column: str, base_row: int) -> list[dict]:
    """Append, per mapped column and canary, a copy of one real row with that column set to the canary."""
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert set(mapped) <= set(rows[0]), "the fixture's header changed: plant in every mapped column"
    base = rows[base_row]
    planted = []
    for column in mapped:
        for n, value in enumerate(CANARIES.values()):
            row = dict(base, **{id_column: f"{base[id_column]}-C{len(planted):02d}"})
            row[column] = value
            planted.append(row)
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows + planted)
    return rows


@pytest.fixture(scope="module")
def canary_run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("privacy_canary")
    inbox = copy_into(tmp / "inbox", METRICS_SMALL / "inbox")
    # CAD: a police-handled row (a comparable incident for police time by call type); HEART: a response.
    cad_rows = _plant(inbox / CAD_FILE, CAD_MAPPED, "IncidentNumber", base_row=1)
    assert cad_rows[1]["UnitType"] == "LAW"
    heart_rows = _plant(inbox / HEART_FILE, HEART_MAPPED, "ResponseID", base_row=0)
    person_keys = set()
    for name in ("durham_heart_2023-11-13.csv", HEART_FILE):
        with (METRICS_SMALL / "inbox" / name).open(newline="", encoding="utf-8") as fh:
            person_keys |= {r["PersonKey"].strip() for r in csv.DictReader(fh) if r["PersonKey"].strip()}
    assert heart_rows and len(person_keys) == 17   # P01..P17 (tests/fixtures/metrics_small/README.md)
    profiles = tmp / "profiles"
    profiles.mkdir()
    for name in ("durham_cad.toml", "durham_heart.toml"):
        (profiles / name).write_text((DEFAULT_PROFILES / name).read_text(encoding="utf-8"), encoding="utf-8")
    cad_profile = profiles / "durham_cad.toml"
    text = cad_profile.read_text(encoding="utf-8")
    for table in ("[lookups.nature]\n", "[lookups.disposition]\n"):
        text = text.replace(table, table + 'on_unknown = "keep"\n')
    cad_profile.write_text(text, encoding="utf-8")

    outputs = {}
    for name, share in (("open", "1"), ("blocked", None)):
        warehouse = tmp / name / "heart.duckdb"
        args = ["run", "--inbox", str(inbox), "--warehouse", str(warehouse), "--reports", str(tmp / name / "reports"),
                "--profiles", str(profiles), "--program", str(METRICS_SMALL / "program.toml")]
        outputs[name] = (args + ["--max-quarantine-share", share]) if share else args
    return tmp, outputs, person_keys


def _heart(args: list[str]) -> subprocess.CompletedProcess:
    """`heart ...` in its own process: its stdout and stderr exactly as a terminal would get them."""
    return subprocess.run([sys.executable, "-m", "pipeline.cli", *args], capture_output=True, text=True,
                          timeout=600, env={k: v for k, v in os.environ.items() if k != "HEART_PSEUDONYM_KEY"})


@pytest.fixture(scope="module")
def open_run(canary_run):
    tmp, outputs, person_keys = canary_run
    done = _heart(outputs["open"])
    assert done.returncode == 0, done.stderr
    return tmp / "open", done.stdout, done.stderr, person_keys


def _leaks(texts: dict[str, str]) -> list[str]:
    found = []
    for name, text in texts.items():
        lowered = text.lower()
        for kind, needles in NEEDLES.items():
            found += [f"{kind} in {name}" for needle in needles if needle in lowered]
    return found


def _public_files(reports: Path) -> dict[str, str]:
    files = {}
    for p in sorted(reports.rglob("*")):
        if p.is_file() and "assets" not in p.relative_to(reports).parts:
            if p.suffix == ".parquet":
                import pyarrow.parquet as pq
                files[p.relative_to(reports).as_posix()] = pq.read_table(p).to_pandas().to_csv()
            else:
                files[p.relative_to(reports).as_posix()] = p.read_text(encoding="utf-8", errors="replace")
    return files


def test_the_canaries_reached_the_pipeline(open_run):
    """The planted rows were read, and the kept call types reached the marts (so the test can catch a leak)."""
    folder, _, _, _ = open_run
    with duckdb.connect(str(folder / "heart.duckdb"), read_only=True) as con:
        kept = con.execute("SELECT count(*) FROM marts.cad_incidents WHERE initial_call_type IN (?, ?, ?)",
                           [NAME.upper(), PHONE, FORMULA.upper()]).fetchone()[0]
        assert kept == 3
        assert con.execute("SELECT count(*) FROM quarantine.rows WHERE value = ?", [NAME]).fetchone()[0] > 0


def test_no_canary_in_any_public_file(open_run):
    folder, _, _, _ = open_run
    files = _public_files(folder / "reports")
    names = set(files)
    assert {"load_summary.txt", "quality/data-quality.html", "open-data/police_time_by_call_type.csv",
            "open-data/police_time_by_call_type.parquet", "open-data/README.md",
            "dictionary/data-dictionary.html"} <= names
    assert any(n.startswith("council/") for n in names) and any(n.startswith("weekly/") for n in names)
    assert _leaks(files) == []


def test_unknown_call_types_are_published_as_other(open_run):
    folder, _, _, _ = open_run
    with (folder / "reports" / "open-data" / "police_time_by_call_type.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    # The planted police rows: TRESP x 41 of them kept their code; the 3 planted call types are one row.
    labels = [r["call_type"] for r in rows]
    assert "other" in labels
    assert set(labels) <= {"other", "unknown", "MENTAL", "TRESP", "WELFCK", "SUICTH", "INTOX", "PANHAN", "INDEC",
                           "VERBDIS", "ASSAULT", "BURG", "LARC", "ALARM", "TRAFFIC", "MVA", "SUSP", "NOISE",
                           "DOMESTIC", "SHOTS", "ROBBERY", "FIGHT", "WEAPON", "MISSING", "PARKING", "DAMAGE",
                           "FRAUD", "INFO", "FOLLOWUP", "MEDICAL", "FIRE"}


def test_no_canary_in_any_message(open_run):
    _, out, err, _ = open_run
    assert "Top quarantine reasons" in out
    assert _leaks({"stdout": out, "stderr": err}) == []


def test_the_blocking_paragraph_quotes_no_canary(canary_run):
    tmp, outputs, _ = canary_run
    done = _heart(outputs["blocked"])
    out, err = done.stdout, done.stderr
    assert done.returncode == 1, err
    assert "Blocked:" in err or "Blocked:" in out
    assert "distinct value" in err + out     # said as a count instead
    assert _leaks({"stdout": out, "stderr": err}) == []


def test_the_warehouse_holds_no_person_key_as_written(open_run):
    folder, _, _, person_keys = open_run
    for path in (folder / "heart.duckdb", folder / "heart.work.duckdb"):
        with duckdb.connect(str(path), read_only=True) as con:
            columns = con.execute(
                "SELECT schema_name, table_name, column_name FROM duckdb_columns() "
                "WHERE NOT internal AND data_type = 'VARCHAR'").fetchall()
            assert any(c[2] == "person_key" for c in columns)
            hits = []
            for schema, table, column in columns:
                # The fixture's keys (never written anywhere else) in any text column; the canaries, which
                # are planted in every field, in any person_key column.
                needles = sorted(person_keys) + (list(CANARIES.values()) if column == "person_key" else [])
                found = con.execute(
                    f'SELECT count(*) FROM "{schema}"."{table}" WHERE trim("{column}") IN (SELECT unnest(?))',
                    [needles]).fetchone()[0]
                if found:
                    hits.append(f"{schema}.{table}.{column}")
            # Quarantined person keys: none is a failure of the person_key column (it has no check), so
            # quarantine.rows holds no value of it; its rows keep the pseudonym in raw.heart_rows.
            assert con.execute("SELECT count(*) FROM quarantine.rows WHERE column_name = 'person_key'"
                               ).fetchone()[0] == 0
            assert hits == [], f"{path.name}: a person key as the log wrote it in {hits}"
            stored = con.execute("SELECT count(DISTINCT person_key) FROM raw.heart_rows").fetchone()[0]
            assert stored >= 3
    key_file = folder / "pseudonym.key"
    assert key_file.exists() and (key_file.stat().st_mode & 0o777) == 0o600


def test_person_counts_are_unchanged_by_pseudonyms(open_run):
    """The hash is 1:1: as many distinct pseudonyms as distinct keys the files wrote (P01..P17 and the 3
    canaries), and people_reached program to date counts them as the raw keys would: the fixture's 17
    people (its README) and the 3 planted keys, each on an otherwise valid copy of H24-0001."""
    folder, _, _, person_keys = open_run
    with duckdb.connect(str(folder / "heart.duckdb"), read_only=True) as con:
        stored = con.execute("SELECT count(DISTINCT person_key) FROM raw.heart_rows").fetchone()[0]
        people = con.execute("SELECT value FROM metrics.metric_values WHERE metric_id = 'people_reached' "
                             "AND grain = 'all' AND unit = 'ALL' AND dimension = 'ALL'").fetchone()[0]
    assert stored == len(person_keys) + 3
    assert people == 17 + 3


@pytest.mark.parametrize("cell, safe", [
    ("=1+2", "'=1+2"), ("+1", "'+1"), ("-1", "'-1"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"), ("\rx", "'\rx"),
    (FORMULA, "'" + FORMULA), ("MENTAL", "MENTAL"), ("other", "other"), ("", ""), ("a=b", "a=b"),
    (-3, -3), (-0.5, -0.5), (None, None),
])
def test_csv_neutraliser(cell, safe):
    assert redaction.neutralise_csv_cell(cell) == safe


@pytest.mark.parametrize("value, code", [
    ("K9", True), ("XFER", True), ("1016PT", True), ("NR-RPT", True), (" MENTAL ", True), ("ABCDEFGHIJKL", True),
    ("ABCDEFGHIJKLM", False),          # 13 characters: longer than a code
    (NAME, False),                     # a space
    ("Jane", True),                    # a one-word name is short and spaceless: the rule cannot tell
    (PHONE, False), ("9195550142", False), ("(919)5550142", False), ("555-0142", False),   # 7 digits: a phone
    (FORMULA, False), ("=1+2", False), ("<script>", False), ("", False), (None, False),
])
def test_looks_like_a_code(value, code):
    assert redaction.looks_like_code(value) is code


def test_quotable_is_codes_and_times_only():
    assert redaction.quotable("cad", "initial_call_type", "unknown_code", " XFER ") == "XFER"
    assert redaction.quotable("cad", "initial_call_type", "unknown_code", NAME) is None
    assert redaction.quotable("cad", "beat", "too_long", "111") is None              # not a code column
    assert redaction.quotable("cad", "received_at", "unparseable_timestamp", "2022-07-02 24:61:00") == "2022-07-02 24:61:00"
    assert redaction.quotable("cad", "received_at", "unparseable_timestamp", PHONE) is None
    assert redaction.quotable("heart", "person_key", "unknown_code", "P01") is None


def test_the_warehouse_holds_no_address_as_written(open_run):
    """The block (Address) is mapped for repeat calls, but only its keyed hash is stored: no address
    of the fixture, and no canary planted in Address, is in any text column of either file."""
    folder = open_run[0]
    addresses = set()
    for name in ("durham_cad_2023-11-13.csv", CAD_FILE):
        with (METRICS_SMALL / "inbox" / name).open(newline="", encoding="utf-8") as fh:
            addresses |= {row["Address"].strip() for row in csv.DictReader(fh) if row["Address"].strip()}
    assert len(addresses) >= 3
    for path in (folder / "heart.duckdb", folder / "heart.work.duckdb"):
        with duckdb.connect(str(path), read_only=True) as con:
            columns = con.execute("SELECT schema_name, table_name, column_name FROM duckdb_columns() "
                                  "WHERE NOT internal AND data_type = 'VARCHAR'").fetchall()
            assert any(c[2] == "block_key" for c in columns)
            hits = []
            for schema, table, column in columns:
                needles = sorted(addresses) + (list(CANARIES.values()) if column == "block_key" else [])
                if con.execute(f'SELECT count(*) FROM "{schema}"."{table}" WHERE trim("{column}") IN (SELECT unnest(?))',
                               [needles]).fetchone()[0]:
                    hits.append(f"{schema}.{table}.{column}")
            assert hits == [], f"{path.name}: an address as the export wrote it in {hits}"
            assert con.execute("SELECT count(*) FROM raw.cad_rows WHERE block_key IS NOT NULL").fetchone()[0] > 0
