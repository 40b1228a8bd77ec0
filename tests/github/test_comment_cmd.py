"""`dataops-ci comment`: the second stage for fork PRs, reading an untrusted report, against the fake API."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from dataops_ci.cli import main
from dataops_ci.github.client import MAX_COMMENT_CHARS
from dataops_ci.render.markdown import MARKER_PREFIX, marker
from dataops_ci.report import CheckResult, Finding, Report
from tests.github.actions_env import PullRequest, actions_step, pull_request_event
from tests.github.conftest import TRUSTED_RUN_URL
from tests.github.fake_server import FakeGitHub
from tests.github.helpers import REPO


def first_stage_report(pr: PullRequest, out: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The report the PR's own job wrote (no GitHub involved), with a hostile run link slipped in."""
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    path = out / "report.json"
    main(
        [
            "run",
            "-C",
            str(pr.root),
            "--base",
            pr.base,
            "--checks",
            "schema-compat",
            "--report-json",
            str(path),
        ]
    )
    raw = json.loads(path.read_text())
    raw["context"] = {"run_url": "https://evil.example/login", "head_sha": "0" * 40}
    path.write_text(json.dumps(raw))
    return path


def test_posts_the_comment_from_a_report_with_trusted_context(
    pr: PullRequest, fake: FakeGitHub, stage_two: Callable[..., None], tmp_path: Path, monkeypatch: Any
) -> None:
    report = first_stage_report(pr, tmp_path, monkeypatch)
    stage_two(pr)
    assert main(["comment", "--report", str(report), "--pr", str(pr.number)]) == 0
    [comment] = fake.comments_on(REPO, pr.number)
    body = comment["body"]
    assert "phone" in body and TRUSTED_RUN_URL in body and "evil.example" not in body
    assert f"<!-- dataops-ci:head-sha={pr.head} -->" in body
    assert main(["comment", "--report", str(report), "--pr", str(pr.number)]) == 0
    assert len(fake.comments_on(REPO, pr.number)) == 1  # sticky: the second post changed nothing


def test_refuses_a_pr_number_that_is_not_the_runs_pull_request(
    pr: PullRequest,
    fake: FakeGitHub,
    stage_two: Callable[..., None],
    tmp_path: Path,
    monkeypatch: Any,
    capsys: pytest.CaptureFixture[str],
) -> None:
    report = first_stage_report(pr, tmp_path, monkeypatch)
    fake.add_pull(REPO, 6, "c" * 40, head_ref="other", head_repo="someone/else")
    stage_two(pr)
    assert main(["comment", "--report", str(report), "--pr", "6"]) == 2
    assert "is not the one workflow run 99 was for" in capsys.readouterr().err
    assert fake.requests("POST") == []


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("{not json", "not valid JSON"),
        ('{"schema_version": 2}', "schema_version"),
        ("[" * 100_000 + "]" * 100_000, "not valid JSON"),
        (None, "checks.0.findings.0.severity"),
    ],
)
def test_an_invalid_report_is_refused_before_any_request(
    pr: PullRequest,
    fake: FakeGitHub,
    stage_two: Callable[..., None],
    tmp_path: Path,
    monkeypatch: Any,
    capsys: pytest.CaptureFixture[str],
    content: str | None,
    problem: str,
) -> None:
    path = first_stage_report(pr, tmp_path, monkeypatch)
    if content is None:
        raw = json.loads(path.read_text())
        raw["checks"][0]["findings"][0]["severity"] = "critical"
        content = json.dumps(raw)
    path.write_text(content)
    stage_two(pr)
    assert main(["comment", "--report", str(path), "--pr", str(pr.number)]) == 2
    assert problem in capsys.readouterr().err
    assert fake.requests() == []


def test_hostile_text_in_the_report_cannot_spoof_our_marker_or_mention(
    pr: PullRequest, fake: FakeGitHub, stage_two: Callable[..., None], tmp_path: Path
) -> None:
    hostile = "<!-- dataops-ci:summary key=data-ci:checks --> ping @acme/admins <img src=x onerror=alert(1)>"
    finding = Finding("error", "sql-parse-error", hostile, "models/x.sql", 1)
    report = Report("a" * 40, pr.head, (CheckResult("sql-lint", "failed", "1 error", findings=(finding,)),))
    path = tmp_path / "hostile.json"
    path.write_text(report.to_json())
    stage_two(pr)
    assert main(["comment", "--report", str(path), "--pr", str(pr.number)]) == 0
    [comment] = fake.comments_on(REPO, pr.number)
    assert comment["body"].count(MARKER_PREFIX) == 1
    assert "@acme/admins" not in comment["body"] and "<img" not in comment["body"]


def test_a_comment_with_300_findings_stays_under_the_limit(
    pr: PullRequest, fake: FakeGitHub, stage_two: Callable[..., None], tmp_path: Path
) -> None:
    findings = tuple(
        Finding(
            "error", "LT01", f"violation {i}: " + "expected a single space " * 20, f"models/m{i}.sql", i + 1
        )
        for i in range(300)
    )
    report = Report("a" * 40, pr.head, (CheckResult("sql-lint", "failed", "300 errors", findings=findings),))
    path = tmp_path / "big.json"
    path.write_text(report.to_json())
    assert len(report.to_json()) > 2 * MAX_COMMENT_CHARS  # the details alone would not fit
    stage_two(pr)
    assert main(["comment", "--report", str(path), "--pr", str(pr.number)]) == 0
    [comment] = fake.comments_on(REPO, pr.number)
    assert len(comment["body"]) <= MAX_COMMENT_CHARS
    assert "violation 0:" in comment["body"] and "left out" in comment["body"]
    assert [r.status for r in fake.requests("POST")] == [201]


def test_pr_number_is_required_when_the_event_names_none(
    pr: PullRequest, stage_two: Callable[..., None], tmp_path: Path, monkeypatch: Any
) -> None:
    report = first_stage_report(pr, tmp_path, monkeypatch)
    stage_two(pr)
    assert main(["comment", "--report", str(report)]) == 2


def test_both_stages_posting_update_one_comment(
    pr: PullRequest, fake: FakeGitHub, stage_two: Callable[..., None], tmp_path: Path, monkeypatch: Any
) -> None:
    # A same-repository PR: stage 1 had a writable token and posted; stage 2 runs for it as well.
    step = actions_step(tmp_path, fake, monkeypatch)(pull_request_event(pr))
    report = step.dir / "report.json"
    argv = ["run", "--github", "--comment", "-C", str(pr.root), "--checks", "schema-compat"]
    assert main([*argv, "--report-json", str(report)]) == 1
    stage_two(pr)
    assert main(["comment", "--report", str(report), "--pr", str(pr.number)]) == 0
    [comment] = fake.comments_on(REPO, pr.number)
    assert comment["body"].startswith(marker("data-ci:checks"))  # the key stage 1 recorded
    assert "actions/runs/99" in comment["body"]  # stage 2's (trusted) run link
