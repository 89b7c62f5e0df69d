"""The layout holds: data flows one way between the packages, and each defs module stands alone."""

from __future__ import annotations

import ast
from pathlib import Path

PIPELINE = Path(__file__).resolve().parent.parent / "pipeline"


def _imports(path: Path) -> set[str]:
    """Every pipeline module a file imports (absolute imports only; the project uses no others)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("pipeline")}
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("pipeline"):
            found.add(node.module)
            found |= {f"{node.module}.{a.name}" for a in node.names}
    return found


def _modules(folder: str = "") -> list[Path]:
    return sorted((PIPELINE / folder).rglob("*.py"))


def test_no_defs_module_imports_another_but_keys_and_resources():
    shared = {"pipeline.defs.keys", "pipeline.defs.resources"}
    for path in _modules("defs"):
        own = f"pipeline.defs.{path.stem}"
        others = {m for m in _imports(path)
                  if m.startswith("pipeline.defs.") and m.count(".") == 2 and m not in shared and m != own}
        assert not others, f"{path.name} imports {sorted(others)}: take shared names from pipeline/defs/keys.py"


def test_only_reports_and_the_dagster_layer_import_reports():
    allowed = ("reports", "defs")
    for path in _modules():
        part = path.relative_to(PIPELINE).parts[0]
        if part in allowed:
            continue
        assert not {m for m in _imports(path) if m.startswith("pipeline.reports")}, \
            f"{path.relative_to(PIPELINE)} imports pipeline.reports: reports read the stages, not the other way"


def test_open_data_and_council_pages_share_disclosure_and_neither_imports_the_other():
    for path in _modules("open_data"):
        assert not {m for m in _imports(path) if m.startswith("pipeline.reports")}, path.name
    for path in _modules("reports/council"):
        assert not {m for m in _imports(path) if m.startswith("pipeline.open_data")}, path.name
    for path in _modules("disclosure"):
        assert not {m for m in _imports(path) if m.startswith(("pipeline.reports", "pipeline.open_data"))}, path.name


def test_nothing_in_pipeline_imports_the_tests():
    for path in _modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
        names |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        assert not {n for n in names if n.split(".")[0] in ("tests", "conftest")}, path.name


def test_nothing_in_pipeline_reads_files_under_tests():
    # A path built into tests/ (e.g. REPO_ROOT / "tests" / "fixtures"): the product would then need the test suite.
    for path in _modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        strings = {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)}
        assert "tests" not in strings and not any(s.startswith("tests/") for s in strings), path.name


def test_the_dagster_layer_does_not_import_the_command_line():
    for path in _modules("defs"):
        assert not {m for m in _imports(path) if m.startswith("pipeline.cli")}, path.name


def test_asset_checks_are_sql_files_or_the_pandera_contract():
    # Every check result the Dagster layer yields comes from pipeline/checks.py (sql/checks/) or the
    # pandera contract checks (pipeline/validate/contract_checks.py): no check written inline in defs/.
    for path in _modules("defs"):
        text = path.read_text(encoding="utf-8")
        if "AssetCheckResult(" in text:
            assert path.stem == "validate" and text.count("AssetCheckResult(") == 1 and "contract_failures" in text, \
                f"{path.name} builds a check result inline: write it as sql/checks/<asset>/<check>.sql"


def test_no_module_is_over_450_lines():
    sizes = {path.relative_to(PIPELINE).as_posix(): len(path.read_text(encoding="utf-8").splitlines())
             for path in _modules()}
    assert max(sizes.values()) < 450, sorted(sizes.items(), key=lambda kv: -kv[1])[:3]


def _layout_section() -> str:
    readme = (PIPELINE.parent / "README.md").read_text(encoding="utf-8")
    start = readme.index("## Layout\n")
    end = readme.find("\n## ", start + 1)
    return readme[start:end if end != -1 else None]


def test_the_readme_layout_names_every_package_and_module_of_the_pipeline():
    import re

    section = _layout_section()
    named = set(re.findall(r"`(pipeline/[^`]+)`", section))
    on_disk = {f"pipeline/{p.name}/" for p in PIPELINE.iterdir() if (p / "__init__.py").is_file()}
    on_disk |= {f"pipeline/{p.name}" for p in PIPELINE.glob("*.py") if p.name != "__init__.py"}
    assert not on_disk - named, f"README.md's Layout section does not name {sorted(on_disk - named)}"
    assert not named - on_disk, f"README.md's Layout section names {sorted(named - on_disk)}, which do not exist"
    sql = {p.name for p in (PIPELINE.parent / "sql").iterdir() if p.is_dir()}
    missing = {d for d in sql if f"`{d}/" not in section}
    assert not missing, f"README.md's Layout section does not name sql/{sorted(missing)}"
