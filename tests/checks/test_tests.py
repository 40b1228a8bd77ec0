"""The tests check against real pytest projects in temp git repos (tests/cases/tests/<case>/{base,head})."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from dataops_ci.checks import tests as tests_check
from dataops_ci.report import CheckResult
from dataops_ci.runner import build_context
from tests.conftest import CASES, Repo, case_repo

TEST_CASES = CASES / "tests"


def run_case(repo: Repo, config: str | None = None) -> CheckResult:
    if config is not None:
        repo.write({"dataops-ci.yml": config})
    ctx = build_context(cwd=repo.root, base=None, head=None, config_file=None, env={})
    return tests_check.run(ctx)


def case(make_repo: Callable[..., Repo], name: str) -> Repo:
    return case_repo(make_repo, TEST_CASES / name)


def test_passing_suite_reports_counts(make_repo: Callable[..., Repo]) -> None:
    result = run_case(case(make_repo, "passing"))
    assert result.status == "passed"
    assert result.findings == ()
    assert {k: result.metrics[k] for k in ("passed", "failed", "errored", "skipped")} == {
        "passed": 3,
        "failed": 0,
        "errored": 0,
        "skipped": 1,
    }
    assert "3 passed, 1 skipped" in result.summary


def test_failing_test_is_a_finding_at_the_failing_line(make_repo: Callable[..., Repo]) -> None:
    result = run_case(case(make_repo, "failing"), "tests: {capture_output: true}\n")
    assert result.status == "failed"
    assert [f.rule for f in result.findings] == ["test-failed"]
    finding = result.findings[0]
    assert finding.path == "tests/test_customer_transform.py::test_gold_starts_at_one_thousand"
    assert finding.file == "tests/test_customer_transform.py"
    source = (TEST_CASES / "failing/head/tests/test_customer_transform.py").read_text().splitlines()
    assert finding.line is not None and "assert segment_for(1000)" in source[finding.line - 1]
    assert "exactly 1000 lifetime value are gold" in finding.message
    assert "checking the gold threshold" in finding.data["output"]
    assert result.metrics["failed"] == 1 and result.metrics["passed"] == 2


def test_output_is_not_kept_unless_asked(make_repo: Callable[..., Repo]) -> None:
    result = run_case(case(make_repo, "failing"))
    assert "output" not in result.findings[0].data


def test_collection_error_cannot_run_tests(make_repo: Callable[..., Repo]) -> None:
    result = run_case(case(make_repo, "collection_error"))
    assert result.status == "error"
    assert [f.rule for f in result.findings] == ["cannot-run-tests"]
    finding = result.findings[0]
    assert finding.file == "tests/test_customer_transform.py"
    assert "normalise_email" in finding.message
    assert "ImportError" in finding.data["output"]


def test_hanging_run_is_killed_with_its_children(make_repo: Callable[..., Repo]) -> None:
    repo = case(make_repo, "hanging")
    result = run_case(repo)
    assert result.status == "error"
    assert [f.rule for f in result.findings] == ["cannot-run-tests"]
    assert "did not finish within 5s" in result.findings[0].message
    pid = int((repo.root / "child.pid").read_text())
    assert not _alive(pid), "the test's child process survived the timeout"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A killed child of a killed parent may linger as a zombie until reaped by init.
    status = Path(f"/proc/{pid}/status")
    return status.exists() and "zombie" not in status.read_text()


def test_no_tests_collected_is_a_notice(make_repo: Callable[..., Repo]) -> None:
    result = run_case(case(make_repo, "no_tests"))
    assert result.status == "passed"
    assert [(f.severity, f.rule) for f in result.findings] == [("notice", "no-tests-collected")]


def test_crashed_interpreter_cannot_run_tests(make_repo: Callable[..., Repo]) -> None:
    result = run_case(case(make_repo, "crash"))
    assert result.status == "error"
    assert [f.rule for f in result.findings] == ["cannot-run-tests"]
    assert "signal 11" in result.findings[0].message
    assert "test_native_parser" in result.findings[0].data["output"]  # faulthandler's traceback


def test_changed_only_runs_importers_of_the_changed_module(make_repo: Callable[..., Repo]) -> None:
    result = run_case(case(make_repo, "changed_only"))
    assert result.status == "passed"
    assert result.metrics["passed"] == 1  # test_reporting imports reporting, which imports orders
    assert "changed_only: 1 of 2 test modules affected" in result.summary


def test_changed_only_falls_back_to_all_when_unsure(make_repo: Callable[..., Repo]) -> None:
    repo = case(make_repo, "changed_only")
    repo.write({"tests/conftest.py": "import pytest\n"})
    result = run_case(repo)
    assert result.metrics["passed"] == 3
    assert "fell back: tests/conftest.py changed" in result.summary


def test_repo_python_prefers_the_repos_venv(tmp_path: Path) -> None:
    assert tests_check.repo_python(tmp_path, None) == tests_check.sys.executable
    venv_python = tmp_path / ".venv/bin/python"
    venv_python.parent.mkdir(parents=True)
    venv_python.write_text("")
    assert tests_check.repo_python(tmp_path, None) == str(venv_python)
    assert tests_check.repo_python(tmp_path, "/usr/bin/python3") == "/usr/bin/python3"


def test_missing_interpreter_cannot_run_tests(make_repo: Callable[..., Repo]) -> None:
    result = run_case(case(make_repo, "passing"), "tests: {python: /nonexistent/python}\n")
    assert result.status == "error"
    assert result.findings[0].rule == "cannot-run-tests"
    assert "/nonexistent/python" in result.findings[0].data["output"]


@pytest.mark.parametrize("paths", [["missing/"]])
def test_no_test_paths_is_skipped(make_repo: Callable[..., Repo], paths: list[str]) -> None:
    repo = case(make_repo, "passing")
    result = run_case(repo, f"tests: {{paths: {paths}}}\n")
    assert result.status == "skipped"


def test_fixture_failure_is_a_test_error(make_repo: Callable[..., Repo]) -> None:
    repo = case(make_repo, "passing")
    repo.write(
        {
            "tests/test_warehouse.py": (
                "import pytest\n\n\n@pytest.fixture\ndef warehouse():\n"
                "    raise ConnectionError('warehouse unreachable')\n\n\n"
                "def test_reads(warehouse):\n    assert warehouse\n"
            )
        }
    )
    result = run_case(repo)
    assert result.status == "failed"
    assert [(f.rule, f.path) for f in result.findings] == [
        ("test-error", "tests/test_warehouse.py::test_reads")
    ]
    assert "warehouse unreachable" in result.findings[0].data["details"]
    assert result.metrics["errored"] == 1


def test_args_are_passed_to_pytest(make_repo: Callable[..., Repo]) -> None:
    result = run_case(case(make_repo, "passing"), 'tests: {args: ["-k", "segment"]}\n')
    assert (result.metrics["passed"], result.metrics["skipped"]) == (2, 0)


def test_head_other_than_the_checkout_is_said(make_repo: Callable[..., Repo]) -> None:
    repo = case(make_repo, "passing")
    base = repo.git("rev-parse", "HEAD").strip()
    repo.commit("head")
    ctx = build_context(cwd=repo.root, base=base, head=base, config_file=None, env={})
    result = tests_check.run(ctx)
    assert [f.rule for f in result.findings] == ["tests-ran-on-worktree"]
    assert result.status == "passed"
