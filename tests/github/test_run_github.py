"""End to end: `dataops-ci run --github` in a real git repo, with the env GitHub Actions sets, against the
fake GitHub API on a real socket."""

from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from dataops_ci.cli import main
from dataops_ci.render.markdown import marker
from tests.github.actions_env import ActionsStep, actions_step, breaking_pull_request, pull_request_event
from tests.github.fake_server import FakeGitHub, Fault
from tests.github.helpers import FORK_TOKEN, REPO

KEY = "data-ci:checks"  # $GITHUB_WORKFLOW:$GITHUB_JOB


@pytest.fixture
def step(tmp_path: Path, fake: FakeGitHub, monkeypatch: pytest.MonkeyPatch) -> Callable[..., ActionsStep]:
    return actions_step(tmp_path, fake, monkeypatch)


def run_github(root: Path, out: Path, *extra: str) -> int:
    return main(
        [
            "run",
            "--github",
            "--comment",
            "-C",
            str(root),
            "--checks",
            "schema-compat",
            "--report-json",
            str(out / "report.json"),
            *extra,
        ]
    )


def test_pull_request_run_publishes_everything(
    repo: Any, fake: FakeGitHub, step: Callable[..., ActionsStep], capsys: pytest.CaptureFixture[str]
) -> None:
    pr = breaking_pull_request(repo)
    fake.add_pull(REPO, pr.number, pr.head)
    actions = step(pull_request_event(pr))
    sarif, junit = actions.dir / "report.sarif", actions.dir / "junit.xml"
    code = run_github(pr.root, actions.dir, "--sarif", str(sarif), "--junit", str(junit))
    stdout = capsys.readouterr().out

    assert code == 1  # a breaking change fails the run
    [comment] = fake.comments_on(REPO, pr.number)
    assert comment["body"].startswith(marker(KEY))
    assert f"<!-- dataops-ci:head-sha={pr.head} -->" in comment["body"]
    assert "phone" in comment["body"] and "/actions/runs/4242" in comment["body"]
    assert "::error " in stdout and "schemas/customer.avsc" in stdout
    assert "phone" in actions.summary
    outputs = actions.outputs()
    assert outputs["status"] == "failed"
    assert outputs["breaking-changes"] == "1"
    assert outputs["comment-url"] == comment["html_url"]
    assert outputs["report-path"] == str((actions.dir / "report.json").absolute())
    saved = json.loads((actions.dir / "report.json").read_text())
    assert saved["context"]["pr_number"] == pr.number and saved["context"]["head_sha"] == pr.head
    assert json.loads(sarif.read_text())["version"] == "2.1.0"
    assert ET.parse(junit).getroot().tag in ("testsuites", "testsuite")


def test_rerun_updates_and_label_approval_turns_breaks_into_notices(
    repo: Any, fake: FakeGitHub, step: Callable[..., ActionsStep]
) -> None:
    pr = breaking_pull_request(repo)
    fake.add_pull(REPO, pr.number, pr.head)
    assert run_github(pr.root, step(pull_request_event(pr)).dir) == 1
    label = "data-breaking-change-approved"
    approved = step(pull_request_event(pr, labels=(label,), labeled_by="data-lead"))
    assert run_github(pr.root, approved.dir) == 0

    [comment] = fake.comments_on(REPO, pr.number)
    assert "data-lead" in comment["body"]
    assert approved.outputs()["breaking-changes"] == "0"
    saved = json.loads((approved.dir / "report.json").read_text())
    [finding] = [f for c in saved["checks"] for f in c["findings"] if f["data"].get("breaks")]
    assert finding["severity"] == "notice" and finding["data"]["approved_by"] == "data-lead"


def test_label_already_on_the_pr_approver_read_from_issue_events(
    repo: Any, fake: FakeGitHub, step: Callable[..., ActionsStep]
) -> None:
    label = "data-breaking-change-approved"
    pr = breaking_pull_request(repo)
    fake.add_pull(REPO, pr.number, pr.head, labels=[label], label_events=[(label, "schema-owner")])
    actions = step(pull_request_event(pr, labels=(label,)))  # a push after the label was added
    assert run_github(pr.root, actions.dir) == 0
    saved = json.loads((actions.dir / "report.json").read_text())
    assert saved["context"]["approval"] == {"label": label, "approved_by": "schema-owner", "findings": 1}


def test_fork_run_degrades_to_the_summary(
    repo: Any, fake: FakeGitHub, step: Callable[..., ActionsStep], capsys: pytest.CaptureFixture[str]
) -> None:
    pr = breaking_pull_request(repo)
    fake.add_pull(REPO, pr.number, pr.head, head_repo="forker/data")
    actions = step(pull_request_event(pr, fork=True), token=FORK_TOKEN)
    code = run_github(pr.root, actions.dir)
    captured = capsys.readouterr()

    assert code == 1  # the data checks decide the exit code, not the comment
    assert fake.comments_on(REPO, pr.number) == []
    assert "::warning title=dataops-ci::" in captured.out and "workflow_run" in captured.out
    assert "dataops-ci comment --report" in captured.err
    assert "phone" in actions.summary
    assert (actions.dir / "report.json").exists()
    assert actions.outputs()["comment-url"] == ""


def test_github_unreachable_is_a_warning_not_a_crash(
    repo: Any, fake: FakeGitHub, step: Callable[..., ActionsStep], capsys: pytest.CaptureFixture[str]
) -> None:
    pr = breaking_pull_request(repo)
    actions = step(pull_request_event(pr))
    (pr.root / "dataops-ci.yml").write_text("comment:\n  retry_cap_s: 1\n")
    fake.stop()  # nothing listens any more
    assert run_github(pr.root, actions.dir) == 1
    assert "could not post the PR comment" in capsys.readouterr().err
    assert actions.outputs()["status"] == "failed"


def test_rate_limit_and_a_5xx_on_the_way_are_retried(
    repo: Any, fake: FakeGitHub, step: Callable[..., ActionsStep]
) -> None:
    pr = breaking_pull_request(repo)
    fake.add_pull(REPO, pr.number, pr.head)
    (pr.root / "dataops-ci.yml").write_text("comment:\n  retry_cap_s: 5\n")
    fake.fault(Fault("GET", "/comments$", 502, {}, {"message": "Server Error"}))
    limited = {"message": "You have exceeded a secondary rate limit."}
    fake.fault(Fault("POST", "/comments$", 403, {"Retry-After": "1"}, limited))
    actions = step(pull_request_event(pr))
    assert run_github(pr.root, actions.dir) == 1
    [comment] = fake.comments_on(REPO, pr.number)
    assert actions.outputs()["comment-url"] == comment["html_url"]
    assert [r.status for r in fake.requests("POST")] == [403, 201]


def test_comment_only_when_asked(repo: Any, fake: FakeGitHub, step: Callable[..., ActionsStep]) -> None:
    pr = breaking_pull_request(repo)
    actions = step(pull_request_event(pr))
    code = main(["run", "--github", "-C", str(pr.root), "--checks", "schema-compat"])
    assert code == 1
    assert fake.requests() == []
    assert "phone" in actions.summary


def test_github_flag_outside_actions_only_prints_annotations(
    repo: Any, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in [n for n in os.environ if n.startswith("GITHUB_") or n == "DATAOPS_CI_COMMENT"]:
        monkeypatch.delenv(name)
    pr = breaking_pull_request(repo)
    code = main(
        ["run", "--github", "--comment", "-C", str(pr.root), "--base", pr.base, "--checks", "schema-compat"]
    )
    captured = capsys.readouterr()
    assert code == 1
    assert captured.out.startswith("::error ")
    assert "not a pull request event" in captured.err
