"""`dataops-ci demo`: the bundled demo repo, base then head, every check run, the outputs written."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from dataops_ci.cli import main

EXPECTED = {
    "schema-compat": ("failed", "field-added-without-default"),
    "expectations": ("failed", "expectation-failed"),
    "pipelines": ("failed", "pipeline-freshness-failed"),
    "sql-lint": ("failed", "sqlfluff-lt01"),
    "tests": ("failed", "test-failed"),
    "blast-radius": ("failed", "sql-column-removed-but-used"),
}


@pytest.fixture(scope="module")
def demo_out(tmp_path_factory: pytest.TempPathFactory) -> tuple[int, Path]:
    out = tmp_path_factory.mktemp("demo-output")
    with pytest.MonkeyPatch.context() as patch:
        # A lint cache of its own: the demo must lint for real, not reuse a developer's cache.
        patch.setenv("DATAOPS_CI_CACHE_DIR", str(tmp_path_factory.mktemp("lint-cache")))
        return main(["demo", "--out", str(out)]), out


def test_demo_shows_every_check_failing_as_designed(demo_out: tuple[int, Path]) -> None:
    code, out = demo_out
    assert code == 0  # the demo PR is meant to fail; the demo itself succeeded
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    by_name = {c["name"]: c for c in report["checks"]}
    assert set(by_name) == set(EXPECTED)
    for name, (status, rule) in EXPECTED.items():
        assert by_name[name]["status"] == status, name
        assert rule in {f["rule"] for f in by_name[name]["findings"]}, name
    pipelines = by_name["pipelines"]
    assert pipelines["summary"].endswith(
        "1 quality check failed, 1 data contract violation, 1 data contract warning"
    )
    assert pipelines["metrics"]["contract_violations"] == 1  # the PR's new schema field has no column
    assert report["status"] == "failed"
    assert 0 < report["quality_score"] < 1


def test_demo_traces_the_schema_break_and_the_removed_column_to_their_consumers(
    demo_out: tuple[int, Path],
) -> None:
    _, out = demo_out
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    blast = next(c for c in report["checks"] if c["name"] == "blast-radius")
    targets = {t["name"]: t for t in blast["data"]["targets"]}
    schema = targets["Customer.loyalty_tier"]
    assert {c["id"] for c in schema["consumers"]} >= {
        "pipeline:customer_segmentation", "suite:expectations/customers.json", "table:raw.customers"
    }  # fmt: skip
    model = targets["customer_segments"]
    assert {"column": "top_customer_id", "change": "removed", "old_type": "bigint", "used_by": 1}.items() <= (
        next(c for c in model["columns"] if c["column"] == "top_customer_id").items()
    )
    removed = [f for f in blast["findings"] if f["rule"] == "sql-column-removed-but-used"]
    assert [(f["file"], f["line"]) for f in removed] == [("models/segment_leaders.sql", 4)]
    comment = (out / "comment.md").read_text(encoding="utf-8")
    assert "```mermaid\nflowchart LR" in comment and "model segment_leaders" in comment


def test_demo_writes_the_comment_sarif_and_junit(demo_out: tuple[int, Path]) -> None:
    _, out = demo_out
    comment = (out / "comment.md").read_text(encoding="utf-8")
    assert comment.startswith("### ❌ 1 breaking schema change")
    assert "@acme/marketing" in comment  # mentions come from the demo repo's teams: config
    sarif = json.loads((out / "report.sarif").read_text(encoding="utf-8"))
    assert sarif["version"] == "2.1.0" and sarif["runs"][0]["results"]
    assert (out / "report.junit.xml").read_text(encoding="utf-8").startswith("<?xml")


def test_demo_writes_the_docs_site_of_the_pr_head(demo_out: tuple[int, Path]) -> None:
    _, out = demo_out
    index = (out / "site" / "index.html").read_text(encoding="utf-8")
    assert "Schemas (3)" in index and "Pipelines (1)" in index
    assert "Expectation suites (2)" in index  # expectations/customers.json and the gx/ project's suite
    [customer] = (out / "site" / "schemas").glob("schemas-customer.avsc-*.html")
    page = customer.read_text(encoding="utf-8")
    assert '<code class="field-name">loyalty_tier</code>' in page  # the PR's new field
    assert '<tr class="verdict-breaking">' in page  # ... and the PR's version is the breaking one
    pipeline = next((out / "site" / "pipelines").glob("*.html")).read_text(encoding="utf-8")
    assert re.search(r'<dd class="score">\d+\.\d% \(\d+ of \d+\)</dd>', pipeline)  # from the demo's report


def test_demo_writes_metrics_and_its_comment_shows_the_trend_of_main(demo_out: tuple[int, Path]) -> None:
    _, out = demo_out
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    runs = report["context"]["quality_trend"]["runs"]
    assert len(runs) == 3 and runs[-1]["score"] == 1.0 and runs[0]["score"] < runs[1]["score"] < 1.0
    comment = (out / "comment.md").read_text(encoding="utf-8")
    assert "```mermaid\n%%{init: " in comment and "\nxychart-beta\n" in comment
    assert f"this PR: {report['quality_score'] * 100:.1f}%" in comment
    metrics = out / "metrics.prom"
    if metrics.exists() or _has("prometheus_client"):
        text = metrics.read_text(encoding="utf-8")
        assert f'dataops_ci_quality_score{{ref="pr",repo="data-project"}} {report["quality_score"]}' in text


def _has(module: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(module) is not None


def test_demo_runs_its_gx_project_as_it_is(demo_out: tuple[int, Path]) -> None:
    _, out = demo_out
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    check = next(c for c in report["checks"] if c["name"] == "expectations")
    (validation,) = check["data"]["gx_projects"]
    assert (validation["validation_definition"], validation["checkpoints"]) == ("customers_daily", ["daily"])
    assert (validation["evaluated"], validation["passed"], validation["base_score"]) == (4, 3, 1.0)
    (row_count,) = [f for f in check["findings"] if f["file"] == "gx/expectations/customers_quality.json"]
    assert (row_count["severity"], row_count["data"]["observed"]) == ("warning", 312)  # GX severity: warning
