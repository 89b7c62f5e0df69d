"""The benchmark harness (bench/benchmark.py) runs end to end on a tiny fixture: the machinery, never the figures.

The fixture is built from the committed DECC excerpts (tests/fixtures/realdata/decc_va), so the test
does not depend on the shared real exports being present. No timing is asserted: the figures are
reported by the benchmark, not tested.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"


def _load(name: str):
    if str(BENCH) not in sys.path:
        sys.path.insert(0, str(BENCH))
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the file runs
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def bench():
    return _load("benchmark")


def test_fixture_falls_back_to_the_committed_excerpts_and_writes_the_rows_asked_for(tmp_path):
    fixture = _load("fixture")
    src, label = fixture.source_files(tmp_path / "no-real-exports-here")
    assert [p.name for p in src] == ["week40.csv", "week45.csv"] and "excerpts" in label
    assert fixture.build(2_003, tmp_path / "a", weeks=4, seed=7, src=src) == 2_003
    files = sorted((tmp_path / "a").glob("*.csv"))
    assert [p.name for p in files] == [f"decc_week{w:02d}.csv" for w in (1, 2, 3, 4)]
    lines = [p.read_bytes().count(b"\n") - 1 for p in files]
    assert lines == [501, 501, 501, 500]
    fixture.build(2_003, tmp_path / "b", weeks=4, seed=7, src=src)
    assert all(p.read_bytes() == (tmp_path / "b" / p.name).read_bytes() for p in files), "same seed, same bytes"


def test_the_harness_times_the_three_commands_and_the_weekly_runs(bench, tmp_path):
    result = bench.run(rows=2_000, weeks=3, repeats=1, workdir=tmp_path / "out", scale=[],
                       real=tmp_path / "no-real-exports-here")

    fx = result["fixture"]
    assert (fx["rows"], fx["files"]) == (2_000, 3) and "excerpts" in fx["source"]
    assert len(list(Path(fx["dir"]).glob("*.csv"))) == 3
    assert set(result["runs"]) == {"heart run", "bare-duckdb", "naive-pandas"}
    for runs in result["runs"].values():
        assert len(runs) == 1 and runs[0]["rc"] == 0, runs
    for kind in ("incremental", "no-change"):
        assert len(result["weekly"][kind]) == 1 and result["weekly"][kind][0]["rc"] == 0
    for name, med in result["medians"].items():
        assert med["wall_s"] > 0 and med["cpu_s"] > 0 and med["peak_mb"] > 0, (name, med)
    # The program file makes heart count the peers' eligible calls; the excerpts have some.
    counts = {name: runs[0]["eligible"] for name, runs in result["runs"].items()}
    assert counts["heart run"] and counts["bare-duckdb"] and counts["naive-pandas"], counts
    assert result["ratios"]["incremental/full"] > 0 and result["ratios"]["no-change/full"] > 0
    assert json.loads((tmp_path / "out" / "results.json").read_text())["medians"] == result["medians"]

    doc = tmp_path / "benchmarks.md"
    doc.write_text(f"# Benchmarks\n\n{bench.BEGIN}\nold\n{bench.END}\n\nhistory\n", encoding="utf-8")
    bench.write_doc(result, doc)
    text = doc.read_text(encoding="utf-8")
    assert "old" not in text and text.endswith(f"{bench.END}\n\nhistory\n")
    assert "naive-pandas" in text and "incremental week" in text
