"""`dataops-ci demo`: the bundled demo repo, base then head, every check run, the outputs written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dataops_ci.cli import main

EXPECTED = {
    "schema-compat": ("failed", "field-added-without-default"),
    "expectations": ("failed", "expectation-failed"),
    "pipelines": ("failed", "pipeline-freshness-failed"),
    "sql-lint": ("failed", "sqlfluff-lt01"),
    "tests": ("failed", "test-failed"),
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
    assert pipelines["summary"].endswith("1 quality check(s) failed, 1 data contract violation(s)")
    assert pipelines["metrics"]["contract_violations"] == 1  # the PR's new schema field has no column
    assert report["status"] == "failed"
    assert 0 < report["quality_score"] < 1


def test_demo_writes_the_comment_sarif_and_junit(demo_out: tuple[int, Path]) -> None:
    _, out = demo_out
    comment = (out / "comment.md").read_text(encoding="utf-8")
    assert comment.startswith("### ❌ 1 breaking schema change")
    assert "@acme/marketing" in comment  # mentions come from the demo repo's teams: config
    sarif = json.loads((out / "report.sarif").read_text(encoding="utf-8"))
    assert sarif["version"] == "2.1.0" and sarif["runs"][0]["results"]
    assert (out / "report.junit.xml").read_text(encoding="utf-8").startswith("<?xml")


def test_demo_runs_its_gx_project_as_it_is(demo_out: tuple[int, Path]) -> None:
    _, out = demo_out
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    check = next(c for c in report["checks"] if c["name"] == "expectations")
    (validation,) = check["data"]["gx_projects"]
    assert (validation["validation_definition"], validation["checkpoints"]) == ("customers_daily", ["daily"])
    assert (validation["evaluated"], validation["passed"], validation["base_score"]) == (4, 3, 1.0)
    (row_count,) = [f for f in check["findings"] if f["file"] == "gx/expectations/customers_quality.json"]
    assert (row_count["severity"], row_count["data"]["observed"]) == ("warning", 312)  # GX severity: warning
