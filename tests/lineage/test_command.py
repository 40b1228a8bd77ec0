"""`dataops-ci lineage`: the graph, or one column's upstream and downstream, as JSON, Mermaid or DOT."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dataops_ci.cli import main
from tests.lineage.project import make_project
from tests.render.mermaid_browser import needs_chromium, render

pytest.importorskip("sqlglot")


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DATAOPS_CI_CACHE_DIR", str(tmp_path / "cache"))
    return make_project(tmp_path)[0]


def test_one_columns_upstream_and_downstream(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["lineage", "-C", str(repo), "--column", "customer_segments.top_customer_id"]
    assert main(argv) == 0
    view = json.loads(capsys.readouterr().out)
    assert view["node"] == "model:customer_segments" and view["column"] == "top_customer_id"
    upstream = [(h["node"], h["column"], h["depth"]) for h in view["upstream"]]
    assert upstream[:2] == [
        ("model:stg_customers", "customer_id", 1),
        ("table:raw.customers", "customer_id", 2),
    ]
    downstream = {(h["node"], h["file"], h["line"]) for h in view["downstream"]}
    assert ("model:segment_report", "models/marts/reporting/segment_report.sql", 3) in downstream
    assert ("pipeline:segments", "pipelines/segments.yml", 5) in downstream


def test_the_whole_graph_as_json_and_dot(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lineage", "-C", str(repo), "--rev", "HEAD"]) == 0
    graph = json.loads(capsys.readouterr().out)
    assert {"model:stg_customers", "suite:expectations/segments.json"} <= {n["id"] for n in graph["nodes"]}
    assert main(["lineage", "-C", str(repo), "--format", "dot"]) == 0
    dot = capsys.readouterr().out
    assert dot.startswith("digraph lineage {") and 'label="model segment_report"' in dot


def test_an_unknown_column_is_a_usage_error(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lineage", "-C", str(repo), "--column", "no_such_model.x"]) == 2
    assert "no_such_model.x" in capsys.readouterr().err


@needs_chromium
def test_the_mermaid_output_renders(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lineage", "-C", str(repo), "--format", "mermaid"]) == 0
    result = render(capsys.readouterr().out)
    assert result["ok"], result
    assert "model stg_customers" in result["labels"]
