"""The expectations check end to end: case folders committed into real git repos, GX on pandas."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from dataops_ci import runner
from dataops_ci.checks import expectations
from dataops_ci.cli import main
from dataops_ci.report import CheckResult, Finding
from tests.conftest import CASES, Repo, case_repo

CASE = CASES / "expectations"


def run_check(root: Path, all_files: bool = False, **options: Any) -> CheckResult:
    ctx = runner.build_context(
        cwd=root, base=None, head=None, config_file=None, all_files=all_files, options=options, env={}
    )
    return expectations.run(ctx)


def by_rule(result: CheckResult, rule: str) -> list[Finding]:
    return [f for f in result.findings if f.rule == rule]


def suite_line(repo: Repo, suite: str, index: int) -> int:
    """The line where expectation `index` starts, found independently of the check: its `{` line."""
    lines = (repo.root / suite).read_text().splitlines()
    starts = [
        n for n, text in enumerate(lines, 1) if text.strip() == "{" or text.strip().startswith('{"type"')
    ]
    return starts[index + 1]  # the first `{` opens the suite itself


def test_passing_suite_scores_one(make_repo: Callable[..., Repo]) -> None:
    repo = case_repo(make_repo, CASE / "passing")
    result = run_check(repo.root)
    assert result.status == "passed", result.findings
    assert result.metrics["expectations_evaluated"] == 6
    assert result.metrics["expectations_passed"] == 6
    assert result.metrics["quality_score"] == 1.0
    (entry,) = result.data["suites"]
    assert entry == {
        "suite": "expectations/customers.json",
        "data": "data/customers.csv",
        "engine": "pandas",
        "score": 1.0,
        "evaluated": 6,
        "passed": 6,
        "status": "passed",
        "records": 13,  # the rows validated (for the metrics' records_validated)
    }


def test_failing_expectations_are_errors_below_the_threshold(make_repo: Callable[..., Repo]) -> None:
    repo = case_repo(make_repo, CASE / "failing")
    result = run_check(repo.root)
    assert result.status == "failed"
    assert result.metrics["expectations_passed"] == 4
    assert result.metrics["quality_score"] == round(4 / 6, 4)
    failed = by_rule(result, "expectation-failed")
    assert [f.severity for f in failed] == ["error", "error"]
    regex, in_set = failed
    assert regex.file == "expectations/customers.json"
    assert regex.line == suite_line(repo, "expectations/customers.json", 2)
    assert in_set.line == suite_line(repo, "expectations/customers.json", 3)
    assert in_set.data["expectation"] == "expect_column_values_to_be_in_set"
    assert in_set.data["column"] == "segment"
    assert in_set.data["unexpected_count"] == 1
    assert in_set.data["unexpected_percent"] == pytest.approx(100 / 14, abs=1e-3)
    assert in_set.data["unexpected_values"] == ["vip"]
    assert in_set.data["expected"] == {"column": "segment", "value_set": ["enterprise", "smb", "consumer"]}
    assert in_set.data["suite"] == "expectations/customers.json"
    assert in_set.data["score"] == round(4 / 6, 4)
    assert "'vip'" in in_set.message and "segment" in in_set.message
    assert regex.data["unexpected_values"] == ["not-an-email"]


def test_failing_expectation_is_a_warning_when_the_score_is_tolerated(
    make_repo: Callable[..., Repo],
) -> None:
    repo = case_repo(make_repo, CASE / "failing")
    config = (repo.root / "dataops-ci.yml").read_text().replace("0.95", "0.5")
    repo.write({"dataops-ci.yml": config})
    result = run_check(repo.root)
    assert result.status == "passed"
    assert {f.severity for f in by_rule(result, "expectation-failed")} == {"warning"}


def test_unexpected_examples_limit(make_repo: Callable[..., Repo]) -> None:
    repo = case_repo(make_repo, CASE / "failing")
    rows = "".join(f"{n},u{n}@example.com,vip{n},2025-01-01,2026-01-01T00:00:00Z,1\n" for n in range(20, 30))
    with (repo.root / "data/customers.csv").open("a") as handle:
        handle.write(rows)
    config = (repo.root / "dataops-ci.yml").read_text() + "  unexpected_examples: 3\n"
    repo.write({"dataops-ci.yml": config})
    (in_set,) = [
        f for f in by_rule(run_check(repo.root), "expectation-failed") if f.data["column"] == "segment"
    ]
    assert in_set.data["unexpected_count"] == 11
    assert len(in_set.data["unexpected_values"]) == 3


def test_legacy_suite_runs_with_a_warning(make_repo: Callable[..., Repo]) -> None:
    repo = case_repo(make_repo, CASE / "legacy")
    result = run_check(repo.root)
    (legacy,) = by_rule(result, "legacy-suite-format")
    assert legacy.severity == "warning" and legacy.line == 1
    assert "migrate-suite" in (legacy.hint or "")
    assert result.metrics["expectations_evaluated"] == 2
    assert result.status == "passed"


def test_bad_inputs_are_findings_and_the_healthy_suite_still_runs(make_repo: Callable[..., Repo]) -> None:
    repo = case_repo(make_repo, CASE / "bad-inputs")
    result = run_check(repo.root)
    assert result.status == "error"
    statuses = [(s["suite"], s["data"], s["status"]) for s in result.data["suites"]]
    assert statuses[0] == ("expectations/customers.json", "data/customers.csv", "passed")
    assert result.data["suites"][0]["evaluated"] == 6
    missing, corrupt = by_rule(result, "cannot-read-data")
    assert missing.file == "dataops-ci.yml" and "data/missing.csv" in missing.message
    assert corrupt.file == "data/corrupt.csv" and "cannot read as csv" in corrupt.message
    (unknown,) = by_rule(result, "unknown-expectation")
    assert unknown.file == "expectations/unknown.json" and unknown.line == 5
    assert "expect_column_to_be_awesome" in unknown.message
    (bad_kwargs,) = by_rule(result, "invalid-expectation")
    assert bad_kwargs.line == 6 and "colum" in bad_kwargs.message
    (broken,) = by_rule(result, "cannot-parse-suite")
    assert broken.file == "expectations/broken.json" and broken.line == 5
    (nowhere,) = by_rule(result, "cannot-read-suite")
    assert "expectations/nowhere.json" in nowhere.message
    unknown_suite = result.data["suites"][3]
    assert (unknown_suite["evaluated"], unknown_suite["passed"]) == (1, 1)


def test_changed_only_runs_the_suites_a_change_touches(repo: Repo) -> None:
    files = {
        p.relative_to(CASE / "passing/base").as_posix(): p.read_bytes() for p in _files(CASE / "passing/base")
    }
    files["expectations/orders.json"] = files["expectations/customers.json"]
    files["data/orders.csv"] = files["data/customers.csv"]
    files["dataops-ci.yml"] = (
        b"expectations:\n  suites:\n"
        b"    - {suite: expectations/customers.json, data: data/customers.csv}\n"
        b"    - {suite: expectations/orders.json, data: data/orders.csv}\n"
    )
    files["pipelines/orders.yml"] = (
        b"name: orders\ndataset: {data: data/orders.csv, schema: schemas/order.avsc}\n"
    )
    files["schemas/order.avsc"] = b'{"type": "record", "name": "Order", "fields": []}\n'
    repo.commit("base", files)
    ctx = lambda: runner.build_context(cwd=repo.root, base=None, head=None, config_file=None, env={})  # noqa: E731
    assert not expectations.applies(ctx())
    repo.write(
        {"data/customers.csv": files["data/customers.csv"] + b"99,x@example.com,smb,2025-01-01,2025,1\n"}
    )
    assert [s["suite"] for s in expectations.run(ctx()).data["suites"]] == ["expectations/customers.json"]
    repo.commit("customers changed")
    repo.write({"schemas/order.avsc": b'{"type": "record", "name": "Order", "fields": [], "doc": "x"}\n'})
    assert expectations.applies(ctx())
    assert [s["suite"] for s in expectations.run(ctx()).data["suites"]] == ["expectations/orders.json"]
    all_suites = run_check(repo.root, all_files=True).data["suites"]
    assert len(all_suites) == 2


def _files(folder: Path) -> list[Path]:
    return [p for p in sorted(folder.rglob("*")) if p.is_file()]


def test_compare_base_reports_the_base_score(make_repo: Callable[..., Repo]) -> None:
    repo = case_repo(make_repo, CASE / "failing")
    config = (repo.root / "dataops-ci.yml").read_text() + "  compare_base: true\n"
    repo.write({"dataops-ci.yml": config})
    result = run_check(repo.root)
    assert result.metrics["base_expectations_evaluated"] == 6
    assert result.metrics["base_expectations_passed"] == 6
    assert result.data["suites"][0]["base_score"] == 1.0
    assert result.data["suites"][0]["score"] == round(4 / 6, 4)
    report = runner.run_checks(
        ["expectations"],
        runner.build_context(cwd=repo.root, base=None, head=None, config_file=None, env={}),
        explicit=True,
    )
    assert report.context["base_quality_score"] == 1.0
    assert report.quality_score == round(4 / 6, 4)


def test_head_revision_is_read_from_git_not_the_working_tree(make_repo: Callable[..., Repo]) -> None:
    repo = case_repo(make_repo, CASE / "failing")
    head = repo.commit("head")
    repo.load_snapshot(CASE / "passing/head")  # the working tree now differs from the head commit
    ctx = runner.build_context(cwd=repo.root, base="HEAD~1", head=head, config_file=None, env={})
    assert expectations.run(ctx).metrics["expectations_passed"] == 4


def test_data_docs_are_built_only_when_asked(make_repo: Callable[..., Repo], tmp_path: Path) -> None:
    repo = case_repo(make_repo, CASE / "failing")
    docs = tmp_path / "docs"
    result = run_check(repo.root, data_docs=str(docs))
    assert (docs / "index.html").is_file()
    assert list(docs.glob("validations/customers/**/*.html"))
    assert result.data["data_docs"] == str(docs)


def test_cli_exit_code_and_json_report(make_repo: Callable[..., Repo], tmp_path: Path, capsys: Any) -> None:
    repo = case_repo(make_repo, CASE / "failing")
    report_path = tmp_path / "report.json"
    code = main(["expectations", "-C", str(repo.root), "--base", "HEAD", "--report-json", str(report_path)])
    assert code == 1
    report = json.loads(report_path.read_text())
    assert report["quality_score"] == round(4 / 6, 4)
    assert "expectation-failed" in capsys.readouterr().out


def test_unreachable_database_is_an_error_for_that_suite_only(
    make_repo: Callable[..., Repo], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WAREHOUSE_PASSWORD", "hunter2-never-shown")
    repo = case_repo(make_repo, CASE / "unreachable-db")
    result = run_check(repo.root)
    assert result.status == "error"
    (unreachable,) = by_rule(result, "cannot-connect")
    assert unreachable.file == "dataops-ci.yml"
    assert "cannot connect" in unreachable.message
    orders, customers = result.data["suites"]
    assert (orders["status"], customers["status"]) == ("error", "passed")
    assert customers["evaluated"] == 6
    assert "hunter2" not in json.dumps(result.to_dict())
    assert orders["data"] == "sql:postgresql+psycopg2://reader:***@127.0.0.1:9/warehouse#orders"


def test_missing_environment_variable_is_cannot_connect(
    make_repo: Callable[..., Repo], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("WAREHOUSE_PASSWORD", raising=False)
    repo = case_repo(make_repo, CASE / "unreachable-db")
    (finding,) = by_rule(run_check(repo.root), "cannot-connect")
    assert "WAREHOUSE_PASSWORD is not set" in finding.message
    assert finding.hint and "export WAREHOUSE_PASSWORD" in finding.hint


def test_explicit_files_select_suites_by_suite_or_data_path(make_repo: Callable[..., Repo]) -> None:
    repo = case_repo(make_repo, CASE / "bad-inputs")
    repo.commit("head")

    def suites_for(*files: str) -> list[tuple[str, str]]:
        ctx = runner.build_context(
            cwd=repo.root, base=None, head=None, config_file=None, files=list(files), env={}
        )
        return [(s["suite"], s["data"]) for s in expectations.run(ctx).data.get("suites", [])]

    assert suites_for("data/corrupt.csv") == [("expectations/customers.json", "data/corrupt.csv")]
    assert [s for s, _ in suites_for("expectations/unknown.json")] == ["expectations/unknown.json"]
    assert suites_for("README.md") == []


def test_compare_base_materialises_a_data_directory(repo: Repo) -> None:
    import pandas as pd

    def parquet(values: list[str]) -> bytes:
        return pd.DataFrame({"segment": values}).to_parquet(index=False)

    suite = {
        "name": "parts",
        "expectations": [
            {
                "type": "expect_column_values_to_be_in_set",
                "kwargs": {"column": "segment", "value_set": ["smb"]},
            }
        ],
    }
    config = (
        "expectations:\n  compare_base: true\n  suites:\n"
        "    - {suite: expectations/parts.json, data: {path: data/parts/, format: parquet}}\n"
    )
    repo.commit(
        "base",
        {
            "dataops-ci.yml": config,
            "expectations/parts.json": json.dumps(suite),
            "data/parts/a.parquet": parquet(["smb"]),
            "data/parts/b.parquet": parquet(["smb"]),
        },
    )
    repo.write({"data/parts/b.parquet": parquet(["vip"])})
    result = run_check(repo.root)
    (entry,) = result.data["suites"]
    assert (entry["score"], entry["base_score"]) == (0.0, 1.0)
    (failed,) = by_rule(result, "expectation-failed")
    assert failed.data["unexpected_values"] == ["vip"] and failed.data["unexpected_percent"] == 50.0
