from __future__ import annotations

import json
import sys
import types

import pytest

from dataops_ci import checks, runner
from dataops_ci.checks import CheckSpec
from dataops_ci.report import CheckResult


def _module(name: str, run: object, applies: object = None) -> str:
    module = types.ModuleType(f"fake_checks_{name}")
    module.run = run  # type: ignore[attr-defined]
    if applies is not None:
        module.applies = applies  # type: ignore[attr-defined]
    sys.modules[module.__name__] = module
    return module.__name__


@pytest.fixture
def fake_registry(monkeypatch: pytest.MonkeyPatch) -> dict[str, CheckSpec]:
    def crash(ctx: object) -> CheckResult:
        raise RuntimeError("boom")

    def missing(ctx: object) -> CheckResult:
        raise ModuleNotFoundError("No module named 'great_expectations'", name="great_expectations")

    def ok(ctx: object) -> CheckResult:
        return CheckResult(
            "ok", "passed", "fine", metrics={"expectations_passed": 3, "expectations_evaluated": 4}
        )

    registry = {
        "crash": CheckSpec("crash", _module("crash", crash), "crashes"),
        "missing": CheckSpec("missing", _module("missing", missing), "needs gx", ("gx",)),
        "ok": CheckSpec("ok", _module("ok", ok), "passes"),
        "idle": CheckSpec("idle", _module("idle", ok, applies=lambda ctx: False), "nothing to do"),
    }
    monkeypatch.setattr(checks, "CHECKS", registry)
    return registry


def test_one_broken_check_does_not_hide_the_others(repo, fake_registry) -> None:
    repo.commit("init", {"a.txt": "a"})
    ctx = runner.build_context(cwd=repo.root, base=None, head=None, config_file=None)
    report = runner.run_checks(list(fake_registry), ctx)
    by_name = {c.name: c for c in report.checks}
    assert by_name["crash"].status == "error"
    assert by_name["crash"].findings[0].rule == "cannot-run-check"
    assert "RuntimeError: boom" in by_name["crash"].findings[0].message
    assert by_name["missing"].status == "error"
    assert by_name["missing"].findings[0].hint == "install the extra: pip install 'dataops-ci[gx]'"
    assert by_name["ok"].status == "passed"
    assert by_name["idle"].status == "skipped"
    assert report.status == "error"
    assert report.quality_score == 0.75


def test_explicit_selection_runs_even_when_nothing_applies(repo, fake_registry) -> None:
    repo.commit("init", {"a.txt": "a"})
    ctx = runner.build_context(cwd=repo.root, base=None, head=None, config_file=None)
    report = runner.run_checks(["idle"], ctx, explicit=True)
    assert report.checks[0].status == "passed"


def test_base_defaults_to_head_commit_and_head_to_worktree(repo) -> None:
    first = repo.commit("one", {"a.txt": "1"})
    repo.write({"b.txt": "new"})
    ctx = runner.build_context(cwd=repo.root, base=None, head=None, config_file=None, env={})
    assert ctx.base == first
    assert ctx.head is None
    assert [(c.status, c.path) for c in ctx.changed] == [("A", "b.txt")]


def test_pr_base_from_github_event(repo, tmp_path) -> None:
    base = repo.commit("base", {"a.txt": "1"})
    repo.commit("head", {"a.txt": "2"})
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"pull_request": {"base": {"sha": base}, "number": 7}}))
    env = {"GITHUB_ACTIONS": "true", "GITHUB_EVENT_PATH": str(event)}
    ctx = runner.build_context(cwd=repo.root, base=None, head="HEAD", config_file=None, env=env)
    assert ctx.base == base
    assert [(c.status, c.path) for c in ctx.changed] == [("M", "a.txt")]


def _scored(name: str, passed: int, evaluated: int, base: tuple[int, int] | None) -> CheckResult:
    metrics = {"expectations_passed": passed, "expectations_evaluated": evaluated}
    if base:
        metrics |= {"base_expectations_passed": base[0], "base_expectations_evaluated": base[1]}
    return CheckResult(name, "passed", "", metrics=metrics)


def test_base_score_only_compares_like_with_like() -> None:
    with_base = _scored("expectations", 7, 8, (8, 8))
    without_base = _scored("pipelines", 5, 6, None)
    assert runner.quality_score([with_base, without_base]) == round(12 / 14, 4)
    assert runner.base_quality_score([with_base]) == 1.0
    assert runner.base_quality_score([with_base, without_base]) is None
