"""The warehouse explains itself: a COMMENT on every table and column, and a data dictionary from them.

Where the comments come from:

* `sql/catalog/<schema>.sql`, one file per layer (raw, staging, quarantine,
  audit, marts, metrics): `COMMENT ON TABLE|VIEW|COLUMN ... IS '...';`
  statements an analyst can read and edit. Each file opens with a comment
  block describing its layer (the data dictionary shows it under the layer's
  heading; DuckDB has no comments on schemas).
* pipeline/ingest/contract.py for the columns that carry an input-contract field
  (CONTRACT_COLUMNS below): the field's description plus what the layer made
  of it (text as written in raw; typed, with units and codes, in staging). Not
  repeated in SQL, so the contract stays the one place that says what a field is.

Each comment has exactly one source: a column commented both ways is an error
(CatalogError), as is a statement in a catalog file that is not a COMMENT ON.

Most tables are rebuilt with CREATE OR REPLACE on every run, which drops their
comments, so apply_comments runs after every table is built (the Dagster asset
warehouse/catalog_comments; see pipeline/defs/catalog.py), and
the asset's blocking check (sql/checks/catalog_comments/) finds any table or
column left without one; missing_comments lists them all from the same query.

The data dictionary is read back from the catalog (duckdb_tables(),
duckdb_views(), duckdb_columns()): names, types and comments, and in the HTML
version (pipeline/reports/dictionary.py) row counts. Never a value from a row.

    python -m pipeline.warehouse.catalog > docs/data-dictionary.md              # from an empty warehouse
    python -m pipeline.warehouse.catalog --warehouse warehouse/heart.duckdb     # from a copy of a built warehouse
"""

from __future__ import annotations

import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from pipeline.ingest import contract
from pipeline.settings import REPO_ROOT, SQL_DIR
from pipeline.warehouse.sqlfiles import query_sql_file, quote_identifier

CATALOG_DIR = SQL_DIR / "catalog"
# The layers, in the order data moves through them; one schema and one catalog file each.
LAYERS = ("raw", "staging", "quarantine", "audit", "marts", "metrics")
DICTIONARY_DOC = REPO_ROOT / "docs" / "data-dictionary.md"

# Columns that carry an input-contract field: table -> (source kind, layer form, fields;
# None = every field of the kind). Their comments come from pipeline/ingest/contract.py.
CAD_INCIDENT_FIELDS = (
    "incident_id", "received_at", "initial_call_type", "final_call_type", "priority", "beat", "block_key",
    "disposition",
)
CAD_ASSIGNMENT_FIELDS = ("incident_id", "unit_id", "discipline", "dispatched_at", "enroute_at", "arrived_at",
                         "cleared_at")
CONTRACT_COLUMNS: dict[str, tuple[contract.Kind, str, tuple[str, ...] | None]] = {
    "raw.cad_rows": ("cad", "raw", None),
    "raw.heart_rows": ("heart", "raw", None),
    "staging.cad_rows": ("cad", "typed", None),
    "staging.heart_rows": ("heart", "typed", None),
    "staging.cad_incidents": ("cad", "typed", CAD_INCIDENT_FIELDS),
    "staging.cad_unit_assignments": ("cad", "typed", CAD_ASSIGNMENT_FIELDS),
    "staging.heart_responses": ("heart", "typed", None),
}

_STATEMENT = re.compile(
    r"COMMENT\s+ON\s+(?P<kind>TABLE|VIEW|COLUMN)\s+(?P<target>[A-Za-z_][A-Za-z0-9_.]*)\s+IS\s+"
    r"'(?P<text>(?:[^']|'')*)'\s*;",
    re.IGNORECASE,
)


class CatalogError(ValueError):
    """A catalog file or the contract comments are malformed (not a COMMENT ON, twice the same target ...)."""


@dataclass(frozen=True)
class Comment:
    kind: str      # table | view | column
    target: str    # schema.table or schema.table.column
    text: str
    source: str    # sql/catalog/<schema>.sql or pipeline/ingest/contract.py

    @property
    def schema(self) -> str:
        return self.target.split(".")[0]

    def sql(self) -> str:
        quoted = ".".join(f'"{part}"' for part in self.target.split("."))
        text = self.text.replace("'", "''")
        return f"COMMENT ON {self.kind.upper()} {quoted} IS '{text}'"


@dataclass(frozen=True)
class AppliedComments:
    applied: int
    # Comments whose table or column is not in this warehouse (yet): e.g. marts before the first metrics build.
    skipped: list[str] = field(default_factory=list)


# -- where the comments come from ----------------------------------------------------------------

def catalog_file(schema: str) -> Path:
    return CATALOG_DIR / f"{schema}.sql"


def _code_domain(f: contract.Field) -> str:
    if f.name == "unit":
        return ", ".join(f"{code} ({contract.HEART_UNIT_NAMES[code]})" for code in f.domain)
    return ", ".join(f.domain)


def contract_comment_text(f: contract.Field, form: str) -> str:
    """A contract field's column comment: its description, then what the layer made of it."""
    text = f.description
    if form == "raw":
        # The person key and the address block are not kept as written: hashed as read (pseudonym.py).
        text += (" Hashed as the file was read; not yet checked." if f.name in ("person_key", "block_key") else
                 " Text exactly as the file wrote it (from the source column the profile maps); not yet checked.")
        if f.type == "timestamp":
            text += f" Local time; parsed in {f.name}_local."
        if f.required:
            text += " Required: a row with it empty is quarantined."
        return text
    if f.type == "timestamp":
        text += (" Instant (TIMESTAMPTZ, stored as UTC), resolved from the local time the file wrote in its"
                 " time zone (in the repeated autumn hour, the reading that keeps the record's times in order).")
    elif f.type == "code" and f.domain:
        text += f" Canonical code (the profile's lookup translates the source's code): one of {_code_domain(f)}."
    elif f.type == "code":
        text += f" Trimmed; its description from the profile's lookup is in {f.name}_label."
    elif f.type == "boolean":
        text += " true or false, from the profile's yes/no tokens; NULL when empty."
    elif f.type == "integer":
        text += " Whole number."
    else:
        text += " Trimmed."
    if f.required:
        text += " Required: never NULL here."
    elif f.type != "boolean":
        text += " NULL when empty."
    return text


def contract_comments() -> list[Comment]:
    """Column comments for every contract field in CONTRACT_COLUMNS, from pipeline/ingest/contract.py."""
    comments = []
    for table, (kind, form, names) in CONTRACT_COLUMNS.items():
        for f in contract.FIELDS[kind]:
            if names is not None and f.name not in names:
                continue
            comments.append(Comment("column", f"{table}.{f.name}", contract_comment_text(f, form),
                                    "pipeline/ingest/contract.py"))
            if form == "raw" and f.type == "timestamp":
                local = (f"{f.description} Local wall-clock time in the file's time zone (TIMESTAMP, no zone),"
                         f" parsed from {f.name} with the profile's formats; NULL when empty or not parseable.")
                comments.append(Comment("column", f"{table}.{f.name}_local", local, "pipeline/ingest/contract.py"))
    return comments


def parse_catalog_file(path: Path) -> list[Comment]:
    """The COMMENT ON statements of one catalog file; anything else in it (outside `--` comments) is an error."""
    source = path.relative_to(REPO_ROOT).as_posix() if path.is_relative_to(REPO_ROOT) else path.name
    text = "\n".join(line for line in path.read_text(encoding="utf-8").splitlines()
                     if not line.lstrip().startswith("--"))
    comments = []
    position = 0
    for match in _STATEMENT.finditer(text):
        between = text[position:match.start()].strip()
        if between:
            raise CatalogError(f"{source}: not a COMMENT ON statement: {between[:80]!r}")
        position = match.end()
        kind = match.group("kind").lower()
        target = match.group("target")
        parts = target.split(".")
        if len(parts) != (3 if kind == "column" else 2):
            raise CatalogError(f"{source}: {target!r} is not schema.table{'.column' if kind == 'column' else ''}")
        if parts[0] != path.stem:
            raise CatalogError(f"{source}: {target!r} is not in schema {path.stem}")
        body = match.group("text").replace("''", "'")
        if not body.strip():
            raise CatalogError(f"{source}: empty comment for {target}")
        comments.append(Comment(kind, target, body, source))
    rest = text[position:].strip()
    if rest:
        raise CatalogError(f"{source}: not a COMMENT ON statement: {rest[:80]!r}")
    return comments


def all_comments() -> list[Comment]:
    """Every comment the pipeline sets: the contract fields', then each layer's file in layer order."""
    comments = contract_comments()
    for schema in LAYERS:
        comments.extend(parse_catalog_file(catalog_file(schema)))
    seen: dict[tuple[str, str], str] = {}
    for c in comments:
        key = ("column" if c.kind == "column" else "relation", c.target)
        if key in seen:
            raise CatalogError(f"{c.target} is commented twice: in {seen[key]} and in {c.source}")
        seen[key] = c.source
    return comments


def layer_description(schema: str) -> str:
    """The opening comment block of sql/catalog/<schema>.sql: what the layer holds."""
    lines = []
    for line in catalog_file(schema).read_text(encoding="utf-8").splitlines():
        if not line.startswith("--"):
            break
        lines.append(line.removeprefix("--").strip())
    text = " ".join(lines).strip().removeprefix(f"{schema}:").strip()
    return text[:1].upper() + text[1:]


# -- applying and checking ---------------------------------------------------------------------

def _existing(con: duckdb.DuckDBPyConnection) -> set[tuple[str, str]]:
    rows = query_sql_file(con, "catalog/_objects.sql", {"schemas": list(LAYERS)})
    found = {(r["kind"], f"{r['schema_name']}.{r['table_name']}") for r in rows}
    for r in query_sql_file(con, "catalog/_columns.sql", {"schemas": list(LAYERS)}):
        found.add(("column", f"{r['schema_name']}.{r['table_name']}.{r['column_name']}"))
    return found


def apply_comments(con: duckdb.DuckDBPyConnection) -> AppliedComments:
    """Set every comment whose table or column exists, in one transaction; idempotent.

    Run it after every table is built: CREATE OR REPLACE drops a table's comments.
    """
    existing = _existing(con)
    applied, skipped = [], []
    for c in all_comments():
        (applied if (c.kind, c.target) in existing else skipped).append(c)
    con.execute("BEGIN TRANSACTION")
    try:
        for c in applied:
            con.execute(c.sql())
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return AppliedComments(applied=len(applied), skipped=[c.target for c in skipped])


def check_params(max_listed: int = 50) -> dict:
    """The parameters of the catalog check (sql/checks/catalog_comments/): the layers, and how many to list."""
    return {"schemas": list(LAYERS), "max_listed": max_listed}


def missing_comments(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every table, view and column of the six layers with no comment (or a blank one), in catalog order.

    A table is listed as schema.table, a column as schema.table.column: the catalog check's list, whole.
    """
    from pipeline import checks

    (outcome,) = checks.run_checks(con, "catalog_comments", check_params(max_listed=2**31 - 1))
    return outcome.figures["without_comment"].split("\n") if outcome.failures else []


# -- the data dictionary ---------------------------------------------------------------------

@dataclass
class ColumnEntry:
    name: str
    data_type: str
    comment: str | None


@dataclass
class TableEntry:
    schema: str
    name: str
    kind: str               # table | view
    comment: str | None
    columns: list[ColumnEntry]
    rows: int | None = None

    @property
    def qualified(self) -> str:
        return f"{self.schema}.{self.name}"


@dataclass
class LayerEntry:
    schema: str
    description: str
    tables: list[TableEntry]


def read_dictionary(con: duckdb.DuckDBPyConnection, row_counts: bool = False) -> list[LayerEntry]:
    """Every table and view of the six layers, in layer order, with columns, types and comments.

    With row_counts, each table's count(*) too. Nothing else is read from the data.
    """
    objects = query_sql_file(con, "catalog/_objects.sql", {"schemas": list(LAYERS)})
    columns: dict[tuple[str, str], list[ColumnEntry]] = {}
    for r in query_sql_file(con, "catalog/_columns.sql", {"schemas": list(LAYERS)}):
        columns.setdefault((r["schema_name"], r["table_name"]), []).append(
            ColumnEntry(r["column_name"], r["data_type"], r["comment"]))
    layers = []
    for schema in LAYERS:
        tables = []
        for o in (o for o in objects if o["schema_name"] == schema):
            entry = TableEntry(schema, o["table_name"], o["kind"], o["comment"],
                               columns.get((schema, o["table_name"]), []))
            if row_counts:
                entry.rows = con.execute(
                    f"SELECT count(*) FROM {quote_identifier(schema)}.{quote_identifier(entry.name)}").fetchone()[0]
            tables.append(entry)
        layers.append(LayerEntry(schema, layer_description(schema), tables))
    return layers


MARKDOWN_INTRO = """# Data dictionary

Generated by `python -m pipeline.warehouse.catalog > docs/data-dictionary.md` from the catalog of a
warehouse built from an empty inbox with `config/program.toml`: the tables and columns are the
same whatever the data. Every description here is the table's or column's `COMMENT` in the
warehouse, set from `sql/catalog/<schema>.sql` and, for the columns that carry an input-contract
field, from `pipeline/ingest/contract.py`; edit those, not this page (a test keeps it in step). Row
counts depend on the data, so they are not here: the HTML data dictionary among the reports
(`reports/dictionary/data-dictionary.html`) has them for your warehouse.

In DuckDB the same descriptions are in the catalog:

```sql
SELECT schema_name, table_name, comment FROM duckdb_tables();
SELECT table_name, column_name, data_type, comment FROM duckdb_columns() WHERE schema_name = 'marts';
```

Times: an *instant* is a `TIMESTAMP WITH TIME ZONE` stored as UTC; *local* dates and times are
in the program's time zone (`staging.program.timezone`) unless a column says otherwise. Periods
are half-open: start inclusive, end exclusive.
"""


def _cell(text: str | None) -> str:
    return " ".join((text or "").split()).replace("|", "\\|")


def dictionary_markdown(con: duckdb.DuckDBPyConnection) -> str:
    """docs/data-dictionary.md: every layer, table and column with its type and comment (no row counts)."""
    layers = read_dictionary(con)
    out = [MARKDOWN_INTRO, "## Layers", "", "| schema | tables | what |", "|---|---|---|"]
    for layer in layers:
        names = ", ".join(f"`{t.name}`" for t in layer.tables)
        out.append(f"| `{layer.schema}` | {names} | {_cell(layer.description)} |")
    for layer in layers:
        out += ["", f"## `{layer.schema}`", "", layer.description]
        for t in layer.tables:
            heading = f"### `{t.qualified}`" + (" (view)" if t.kind == "view" else "")
            out += ["", heading, "", _cell(t.comment) or "*(no comment)*", "",
                    "| column | type | meaning |", "|---|---|---|"]
            for c in t.columns:
                out.append(f"| `{c.name}` | {_cell(c.data_type)} | {_cell(c.comment)} |")
    return "\n".join(out) + "\n"


def build_reference_warehouse(directory: Path) -> Path:
    """A warehouse built from an empty inbox with the default program configuration, comments applied.

    Every table and column exists whatever the data (a run on an empty inbox creates them all), so the
    dictionary generated from it is the dictionary of any warehouse; it builds in about a second.
    """
    from pipeline import warehouse
    from pipeline.build import build_warehouse
    from pipeline.program import load_program
    from pipeline.settings import DEFAULT_PROGRAM

    inbox = directory / "empty-inbox"
    inbox.mkdir()
    path = build_warehouse(directory / "warehouse.duckdb", inbox, load_program(DEFAULT_PROGRAM))
    with warehouse.connect(path) as con:
        apply_comments(con)
    return path


def main(argv: list[str] | None = None) -> None:
    import argparse

    from pipeline import warehouse

    parser = argparse.ArgumentParser(prog="python -m pipeline.warehouse.catalog", description=__doc__.split("\n")[0])
    parser.add_argument("--warehouse", type=Path,
                        help="a built warehouse (copied, never written); default: build one from an empty inbox")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        if args.warehouse:
            path = Path(tmp) / "warehouse.duckdb"
            shutil.copy2(args.warehouse, path)
        else:
            path = build_reference_warehouse(Path(tmp))
        with warehouse.connect(path) as con:
            apply_comments(con)
            print(dictionary_markdown(con), end="")


if __name__ == "__main__":
    main()
