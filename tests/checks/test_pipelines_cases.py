"""Acceptance tests driven by tests/cases/pipelines/<case>/: a head snapshot and expected.yml.

Each case is committed to a real git repository and run with --all-files at the clock expected.yml names;
the findings must be exactly the expected ones (rule, file, and line/path/severity where given).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
import yaml

from dataops_ci import runner
from dataops_ci.checks import pipelines
from dataops_ci.report import CheckResult
from tests.conftest import CASES, Repo

PIPELINE_CASES = sorted(p.name for p in (CASES / "pipelines").iterdir() if (p / "expected.yml").is_file())


def run_case(make_repo: Callable[..., Repo], case: str, options: dict[str, Any] | None = None) -> CheckResult:
    folder = CASES / "pipelines" / case
    repo = make_repo(case)
    repo.load_snapshot(folder / "head")
    repo.commit("case")
    expected = yaml.safe_load((folder / "expected.yml").read_text())
    clock = dt.datetime.fromisoformat(expected["clock"])
    ctx = runner.build_context(
        cwd=repo.root, base=None, head=None, config_file=None, all_files=True, options=options or {}, env={}
    )
    return pipelines.run(dataclasses.replace(ctx, clock=lambda: clock))


def _key(finding: dict[str, Any], expected: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(finding.get(k) for k in sorted(expected))


@pytest.mark.parametrize("case", PIPELINE_CASES)
def test_case(make_repo: Callable[..., Repo], case: str) -> None:
    expected = yaml.safe_load((CASES / "pipelines" / case / "expected.yml").read_text())
    result = run_case(make_repo, case)

    assert result.status == expected["status"], [f.message for f in result.findings]
    found = [f.to_dict() for f in result.findings]
    wanted = [{"severity": "error", **w} for w in expected["findings"]]
    unmatched = list(found)
    for want in wanted:
        match = next((f for f in unmatched if _key(f, want) == _key(want, want)), None)
        assert match is not None, f"expected {want}, found {[(f['rule'], f.get('line')) for f in unmatched]}"
        unmatched.remove(match)
    assert not unmatched, f"unexpected findings: {[(f['rule'], f['message']) for f in unmatched]}"
    for name, value in (expected.get("metrics") or {}).items():
        assert result.metrics[name] == value, name


def test_failing_check_carries_who_should_look(make_repo: Callable[..., Repo]) -> None:
    result = run_case(make_repo, "failing_checks")
    freshness = next(f for f in result.findings if f.rule == "pipeline-freshness-failed")

    assert freshness.data["notify"] == ["marketing_team"]
    assert freshness.data["owner"] == "data_science_team"
    assert freshness.data["reviewers"] == ["marketing_analytics"]
    assert freshness.data["pipeline"] == "customer_segmentation"
    assert "2026-11-24T08:00:00Z" in freshness.data["expected"]  # the clock minus 4 hours
    assert "2026-11-20T10:15:00" in freshness.data["observed"]  # the newest updated_at in the data
    entry = result.data["pipelines"][0]
    assert entry["status"] == "failed"
    assert entry["notify"] == ["data_engineers", "marketing_team"]
    assert "freshness" in entry["failed_checks"]


def test_observed_values_of_row_checks(make_repo: Callable[..., Repo]) -> None:
    result = run_case(make_repo, "failing_checks")
    by_rule = {f.rule: f for f in result.findings}

    completeness = by_rule["pipeline-completeness-failed"].data["results"]
    assert [(r["column"], r["unexpected_count"]) for r in completeness] == [("email", 1)]
    assert by_rule["pipeline-accepted-values-failed"].data["results"][0]["unexpected_values"] == ["platinum"]
    assert by_rule["pipeline-row-count-failed"].data["results"][0]["observed"] == 3


def test_no_data_option_validates_without_running(make_repo: Callable[..., Repo]) -> None:
    result = run_case(make_repo, "failing_checks", {"pipelines_no_data": True})

    assert result.status == "passed"
    assert "expectations_evaluated" not in result.metrics
    assert result.data["pipelines"][0]["status"] == "not-run"


def test_freshness_is_relative_to_the_clock(make_repo: Callable[..., Repo]) -> None:
    """The same stale case passes when the clock is moved back to just after its newest timestamp."""
    repo = make_repo("clock")
    repo.load_snapshot(CASES / "pipelines" / "freshness_zone_less" / "head")
    repo.commit("case")
    ctx = runner.build_context(cwd=repo.root, base=None, head=None, config_file=None, all_files=True, env={})
    early = dt.datetime(2026, 11, 24, 9, 45, tzinfo=dt.UTC)

    result = pipelines.run(dataclasses.replace(ctx, clock=lambda: early))

    assert result.status == "passed", [f.message for f in result.findings]
    assert result.metrics["expectations_passed"] == 2
