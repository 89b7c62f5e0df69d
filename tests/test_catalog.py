"""The warehouse explains itself: every table and column has a comment, and the data dictionary shows them.

The comments come from sql/catalog/<schema>.sql and pipeline/contract.py
(pipeline/catalog.py). These tests build on a copy of the metrics_small
fixture warehouse (the session fixture is shared read-only), apply the
comments and walk DuckDB's catalog.
"""

from __future__ import annotations

import html.parser
import shutil
from datetime import datetime, timezone
from pathlib import Path

import dagster as dg
import pytest

from conftest import CANARY, DURHAM_SMALL, copy_into
from pipeline import warehouse
from pipeline.warehouse import catalog
from pipeline.ingest import contract
from pipeline.settings import REPO_ROOT

BUILT = datetime(2024, 3, 18, 6, 0, tzinfo=timezone.utc)
LAYERS = catalog.LAYERS


def _copy(source: Path, directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / "warehouse.duckdb"
    shutil.copy2(source, target)
    return target


@pytest.fixture(scope="module")
def commented(metrics_small_warehouse, tmp_path_factory) -> Path:
    """A copy of the metrics_small warehouse with the comments applied once."""
    path = _copy(metrics_small_warehouse[0], tmp_path_factory.mktemp("catalog"))
    with warehouse.connect(path) as con:
        result = catalog.apply_comments(con)
    # Every statement found its table or column: no stale or misspelt comment.
    assert result.skipped == []
    return path


@pytest.fixture
def scratch(commented, tmp_path) -> Path:
    """A private copy of the commented warehouse, for tests that change it."""
    return _copy(commented, tmp_path)


def _catalog_walk(con) -> tuple[list[tuple], list[tuple]]:
    """(schema, table, kind, comment) of every table and view, (schema, table, column, comment) of every column."""
    relations = con.execute(
        "SELECT schema_name, table_name, 'table', comment FROM duckdb_tables() "
        "WHERE database_name = current_database() AND NOT temporary AND list_contains(?, schema_name) "
        "UNION ALL SELECT schema_name, view_name, 'view', comment FROM duckdb_views() "
        "WHERE database_name = current_database() AND NOT temporary AND NOT internal "
        "AND list_contains(?, schema_name) ORDER BY ALL", [list(LAYERS), list(LAYERS)]).fetchall()
    columns = con.execute(
        "SELECT schema_name, table_name, column_name, comment FROM duckdb_columns() "
        "WHERE database_name = current_database() AND list_contains(?, schema_name) ORDER BY ALL",
        [list(LAYERS)]).fetchall()
    return relations, columns


def _comments(con) -> dict[str, str]:
    relations, columns = _catalog_walk(con)
    found = {f"{s}.{t}": c for s, t, _, c in relations}
    found.update({f"{s}.{t}.{col}": c for s, t, col, c in columns})
    return found


def test_every_table_and_column_has_a_comment(commented):
    with warehouse.connect(commented, read_only=True) as con:
        relations, columns = _catalog_walk(con)
        schemas = {s for (s,) in con.execute(
            "SELECT DISTINCT schema_name FROM duckdb_tables() WHERE database_name = current_database()").fetchall()}
    # Schemas by layer: every table the pipeline writes is in one of the six.
    assert schemas == set(LAYERS)
    assert len(relations) >= 30 and len(columns) >= 380
    assert ("quarantine", "rows", "view") in {r[:3] for r in relations}
    uncommented = [f"{s}.{t}" for s, t, _, c in relations if not (c or "").strip()]
    uncommented += [f"{s}.{t}.{col}" for s, t, col, c in columns if not (c or "").strip()]
    assert uncommented == []
    with warehouse.connect(commented, read_only=True) as con:
        assert catalog.missing_comments(con) == []


def test_a_fresh_build_has_no_comments_until_they_are_applied(metrics_small_warehouse):
    with warehouse.connect(metrics_small_warehouse[0], read_only=True) as con:
        missing = catalog.missing_comments(con)
    # Rebuilt tables lose their comments: the session fixture never had them applied.
    assert "marts.eligible_calls" in missing and "metrics.metric_values.value" in missing
    assert "quarantine.rows" in missing


def test_applying_again_changes_nothing(scratch):
    with warehouse.connect(scratch) as con:
        before = _comments(con)
        again = catalog.apply_comments(con)
        after = _comments(con)
    assert again.skipped == [] and again.applied == len(before)
    assert after == before


def test_a_rebuilt_or_new_table_without_comments_is_reported(scratch):
    with warehouse.connect(scratch) as con:
        con.execute("CREATE OR REPLACE TABLE marts.response_times AS SELECT * FROM marts.response_times")
        con.execute("CREATE TABLE marts.new_thing (a INTEGER, b VARCHAR)")
        con.execute("COMMENT ON COLUMN marts.new_thing.a IS 'an a'")
        con.execute("CREATE TEMP TABLE scratch_only (x INTEGER)")   # a connection's own, not the warehouse's
        missing = catalog.missing_comments(con)
        assert missing == [
            "marts.new_thing", "marts.new_thing.b",
            "marts.response_times", "marts.response_times.incident_id", "marts.response_times.received_date",
            "marts.response_times.initial_call_type", "marts.response_times.responder",
            "marts.response_times.minutes",
        ]
        catalog.apply_comments(con)
        assert catalog.missing_comments(con) == ["marts.new_thing", "marts.new_thing.b"]
        con.execute("COMMENT ON TABLE marts.new_thing IS '   '")   # blank is not a comment
        assert "marts.new_thing" in catalog.missing_comments(con)


def test_a_comment_on_something_not_built_yet_is_skipped_not_an_error(tmp_path):
    with warehouse.connect(tmp_path / "empty.duckdb") as con:
        con.execute("CREATE SCHEMA raw")
        con.execute("CREATE TABLE raw.profile_codes (profile VARCHAR, field VARCHAR, code VARCHAR, value VARCHAR)")
        result = catalog.apply_comments(con)
        assert catalog.missing_comments(con) == []
    assert result.applied == 5
    assert "marts.cad_incidents" in result.skipped


def test_contract_fields_are_commented_from_the_contract(commented):
    with warehouse.connect(commented, read_only=True) as con:
        comments = _comments(con)
    for table, (kind, form, names) in catalog.CONTRACT_COLUMNS.items():
        for f in contract.FIELDS[kind]:
            if names is None or f.name in names:
                assert comments[f"{table}.{f.name}"].startswith(f.description), f"{table}.{f.name}"
    assert "CR (Community Response)" in comments["staging.heart_responses.unit"]
    assert "UTC" in comments["staging.cad_incidents.received_at"]
    assert "exactly as the file wrote it" in comments["raw.cad_rows.received_at"]
    assert "Local wall-clock time" in comments["raw.cad_rows.received_at_local"]
    # The SQL files' own words for what the layer made of a column.
    assert "exclusive" in comments["metrics.metric_values.period_end"]
    assert "local date (program time zone)" in comments["marts.program_days.service_date"].lower()


def test_catalog_files_hold_only_comment_statements_each_target_once(tmp_path):
    comments = catalog.all_comments()
    assert len({(c.kind == "column", c.target) for c in comments}) == len(comments)
    assert {c.schema for c in comments} == set(LAYERS)
    for schema in LAYERS:
        assert catalog.layer_description(schema), f"sql/catalog/{schema}.sql has no opening comment"

    bad = tmp_path / "marts.sql"
    bad.write_text("-- marts\nCOMMENT ON TABLE marts.x IS 'ok';\nDROP TABLE marts.x;\n")
    with pytest.raises(catalog.CatalogError, match="not a COMMENT ON statement: 'DROP TABLE"):
        catalog.parse_catalog_file(bad)
    bad.write_text("COMMENT ON TABLE metrics.x IS 'in the wrong file';\n")
    with pytest.raises(catalog.CatalogError, match="not in schema marts"):
        catalog.parse_catalog_file(bad)
    bad.write_text("COMMENT ON COLUMN marts.x IS 'no column';\n")
    with pytest.raises(catalog.CatalogError, match="is not schema.table.column"):
        catalog.parse_catalog_file(bad)
    good = tmp_path / "staging.sql"
    good.write_text("-- x\nCOMMENT ON COLUMN staging.t.c IS 'it''s quoted; with -- inside';\n")
    [parsed] = catalog.parse_catalog_file(good)
    assert (parsed.kind, parsed.target, parsed.text) == ("column", "staging.t.c", "it's quoted; with -- inside")
    assert parsed.sql() == """COMMENT ON COLUMN "staging"."t"."c" IS 'it''s quoted; with -- inside'"""


# -- the data dictionary ---------------------------------------------------------------------

class _Cells(html.parser.HTMLParser):
    """The text of every <td> and <th> of the page, and every data-name attribute."""

    def __init__(self) -> None:
        super().__init__()
        self.cells: list[str] = []
        self.names: set[str] = set()
        self._depth = 0
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("data-name"):
            self.names.add(attrs["data-name"])
        if tag in ("td", "th"):
            self._depth += 1
            self._text = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._depth:
            self._depth -= 1
            self.cells.append(" ".join("".join(self._text).split()))

    def handle_data(self, data):
        if self._depth:
            self._text.append(data)


def _dictionary(path: Path, out: Path) -> tuple[str, list]:
    from pipeline.reports.dictionary import write_dictionary

    with warehouse.connect(path) as con:
        written = write_dictionary(con, out, BUILT)
        layers = catalog.read_dictionary(con, row_counts=True)
    return written.read_text(encoding="utf-8"), layers


def test_dictionary_lists_every_table_with_names_types_comments_and_counts_only(commented, tmp_path):
    from pipeline.reports import render

    text, layers = _dictionary(_copy(commented, tmp_path / "wh"), tmp_path / "reports")
    meta = render.read_meta(tmp_path / "reports" / "dictionary" / "data-dictionary.html")
    assert meta is not None and meta.kind == "dictionary"
    parser = _Cells()
    parser.feed(text)
    tables = [t for layer in layers for t in layer.tables]
    assert parser.names == {t.qualified for t in tables}
    assert [layer.schema for layer in layers] == list(LAYERS)
    # Every cell is a heading, a name, a type, a comment, a count or a kind: nothing from a row.
    allowed = {"Table", "Kind", "Rows", "Columns", "What one row is", "Column", "Type", "Meaning", "table", "view"}
    for t in tables:
        allowed |= {t.qualified, t.comment or "", f"{t.rows:,}", str(len(t.columns))}
        for c in t.columns:
            allowed |= {c.name, c.data_type, c.comment or ""}
    assert [cell for cell in parser.cells if cell not in allowed] == []
    assert "No description" not in text
    assert "<script" not in text   # no charts, no chart library


def test_dictionary_shows_no_personal_detail_from_the_canary_input(canary_warehouse, tmp_path):
    path = _copy(canary_warehouse[0], tmp_path / "wh")
    with warehouse.connect(path) as con:
        catalog.apply_comments(con)
        # (The person key is stored only pseudonymised, so the name planted in Team stands for them.)
        planted = con.execute("SELECT count(*) FROM raw.heart_rows WHERE team = ?",
                              [CANARY["name"]]).fetchone()[0]
    assert planted == 1   # the canary is in the warehouse ...
    text, _ = _dictionary(path, tmp_path / "reports")
    for kind, value in CANARY.items():   # ... and not on the page
        assert value.lower() not in text.lower(), kind
    assert "canary" not in text.lower()


def test_index_lists_the_dictionary(commented, tmp_path):
    from pipeline.reports.index import write_index

    _dictionary(_copy(commented, tmp_path / "wh"), tmp_path / "reports")
    index = write_index(tmp_path / "reports", BUILT).read_text(encoding="utf-8")
    assert 'data-kind="dictionary"' in index
    assert 'href="dictionary/data-dictionary.html"' in index


def test_docs_data_dictionary_md_is_generated_from_the_catalog(commented):
    with warehouse.connect(commented, read_only=True) as con:
        markdown = catalog.dictionary_markdown(con)
    assert (REPO_ROOT / "docs" / "data-dictionary.md").read_text(encoding="utf-8") == markdown, (
        "docs/data-dictionary.md is stale: run `python -m pipeline.warehouse.catalog > docs/data-dictionary.md`"
    )


# -- through Dagster ---------------------------------------------------------------------------

def test_catalog_assets_comment_the_built_warehouse_and_write_the_dictionary(tmp_path):
    from pipeline.definitions import DATA_ASSETS
    from pipeline.defs.catalog import CATALOG_ASSETS, CATALOG_KEY, CHECK_NAME
    from pipeline.defs.resources import resources_for
    from pipeline.settings import Settings

    settings = Settings(
        inbox=copy_into(tmp_path / "inbox", DURHAM_SMALL / "run1"),
        warehouse=tmp_path / "wh" / "heart.duckdb",
        reports=tmp_path / "reports",
        max_quarantine_share=0.7,   # the fixture quarantines rows on purpose
    )
    result = dg.materialize([*DATA_ASSETS, *CATALOG_ASSETS], resources=resources_for(settings),
                            raise_on_error=False)
    assert result.success
    checks = {(e.asset_check_evaluation_data.asset_key, e.asset_check_evaluation_data.check_name):
              e.asset_check_evaluation_data.passed
              for e in result.all_events if e.event_type_value == "ASSET_CHECK_EVALUATION"}
    assert checks[(CATALOG_KEY, CHECK_NAME)] is True
    assert (settings.reports / "dictionary" / "data-dictionary.html").is_file()
    built = getattr(settings, "working", settings.warehouse)   # the file the assets write
    with warehouse.connect(built, read_only=True) as con:
        assert catalog.missing_comments(con) == []
