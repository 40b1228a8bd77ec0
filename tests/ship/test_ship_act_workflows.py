"""The reusable workflows end to end under act: data-ci.yml (check job + comment job) on a pull request,
and the fork-safe two-stage setup (a fork's read-only run, then data-ci-comment.yml on workflow_run)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.github.fake_server import FakeGitHub
from tests.ship.conftest import DATA_REPO, FORK_TOKEN, SCHEMA_CASE, WRITE_TOKEN, DataRepo
from tests.ship.harness import TEST_WORKFLOWS, ActRun, run_act

pytestmark = [pytest.mark.act, pytest.mark.timeout(900)]
MARKER = "<!-- dataops-ci:summary key="


def run_reusable(
    repo: DataRepo, fake: FakeGitHub, token: str, snapshot: Path, cache: Path, out: Path, comment: bool
) -> ActRun:
    return run_act(
        event_name="pull_request",
        event=repo.pull_request_event(),
        workflow=TEST_WORKFLOWS / "reusable.yml",
        repo=repo.root,
        source_snapshot=snapshot,
        cache_dir=cache,
        token=token,
        api_url=fake.url,
        out=out,
        variables={"DATAOPS_CHECKS": "schema-compat", "DATAOPS_COMMENT": str(comment).lower()},
    )


def test_reusable_workflow_checks_uploads_and_comments(
    make_data_repo: Callable[[Path], DataRepo],
    fake_github: FakeGitHub,
    source_snapshot: Path,
    act_cache: Path,
    tmp_path: Path,
) -> None:
    repo = make_data_repo(SCHEMA_CASE)
    fake_github.add_pull(DATA_REPO, repo.number, repo.head)
    run = run_reusable(repo, fake_github, WRITE_TOKEN, source_snapshot, act_cache, tmp_path / "run", True)
    assert run.returncode == 0, run.log[-6000:]
    [comment] = fake_github.comments_on(DATA_REPO, repo.number)
    assert MARKER in comment["body"] and "Customer.country" in comment["body"]
    artifact = act_cache / "standin-artifacts" / "dataops-ci-report"
    report = json.loads((artifact / "report.json").read_text(encoding="utf-8"))
    assert report["status"] == "failed"
    assert json.loads((artifact / "report.sarif").read_text(encoding="utf-8"))["version"] == "2.1.0"
    # The job that ran the checks never held a token that can write (its permissions say contents: read).
    assert "Post the summary comment" in run.log


def test_fork_pull_request_gets_its_comment_from_the_second_stage(
    make_data_repo: Callable[[Path], DataRepo],
    fake_github: FakeGitHub,
    source_snapshot: Path,
    act_cache: Path,
    tmp_path: Path,
) -> None:
    repo = make_data_repo(SCHEMA_CASE)
    fake_github.add_pull(DATA_REPO, repo.number, repo.head, head_repo="fork-owner/data")
    first = run_reusable(repo, fake_github, FORK_TOKEN, source_snapshot, act_cache, tmp_path / "fork", False)
    assert first.returncode == 0, first.log[-6000:]
    assert fake_github.comments_on(DATA_REPO, repo.number) == []

    # GitHub leaves pull_requests empty for forks; the number comes from the report and is verified.
    event = {
        "action": "completed",
        "workflow_run": {
            "id": 4242,
            "name": "data-ci",
            "event": "pull_request",
            "conclusion": "failure",
            "head_sha": repo.head,
            "head_branch": "pr",
            "head_repository": {"full_name": "fork-owner/data"},
            "html_url": "https://github.example/acme/data/actions/runs/4242",
            "pull_requests": [],
        },
        "repository": {"full_name": DATA_REPO},
    }
    second = run_act(
        event_name="workflow_run",
        event=event,
        workflow=TEST_WORKFLOWS / "comment-stage.yml",
        repo=repo.root,
        source_snapshot=source_snapshot,
        cache_dir=act_cache,
        token=WRITE_TOKEN,
        api_url=fake_github.url,
        out=tmp_path / "stage2",
    )
    assert second.returncode == 0, second.log[-6000:]
    [comment] = fake_github.comments_on(DATA_REPO, repo.number)
    assert "Customer.country" in comment["body"]
    assert "actions/runs/4242" in comment["body"]


def test_pages_input_publishes_the_docs_site_from_the_default_branch(
    make_data_repo: Callable[[Path], DataRepo],
    fake_github: FakeGitHub,
    source_snapshot: Path,
    act_cache: Path,
    tmp_path: Path,
) -> None:
    repo = make_data_repo(SCHEMA_CASE)
    event = {
        "ref": "refs/heads/main",
        "after": repo.head,
        "repository": {"full_name": DATA_REPO, "name": "data", "default_branch": "main"},
    }
    run = run_act(
        event_name="push",
        event=event,
        workflow=TEST_WORKFLOWS / "pages.yml",
        repo=repo.root,
        source_snapshot=source_snapshot,
        cache_dir=act_cache,
        token=WRITE_TOKEN,
        api_url=fake_github.url,
        out=tmp_path / "pages",
    )
    assert run.returncode == 0, run.log[-6000:]
    site = act_cache / "standin-artifacts" / "github-pages"
    assert (site / "index.html").is_file()
    assert list((site / "schemas").glob("schemas-customer.avsc-*.html"))
    assert "deploy-pages stand-in: deployed" in run.log
    assert fake_github.comments_on(DATA_REPO, repo.number) == []  # a push never comments
