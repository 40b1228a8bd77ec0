"""Fixtures: a fake GitHub API on a real socket, and clients with the kinds of token GitHub hands out."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from dataops_ci.github.client import GitHubClient
from tests.github.actions_env import PullRequest, breaking_pull_request
from tests.github.fake_server import FakeGitHub
from tests.github.helpers import APP_TOKEN, FORK_TOKEN, PAT, REPO, TRUSTED_RUN_URL


@pytest.fixture
def fake() -> Iterator[FakeGitHub]:
    with FakeGitHub() as server:
        server.add_token(APP_TOKEN, "github-actions[bot]", app=True)
        server.add_token(FORK_TOKEN, "github-actions[bot]", app=True, read_only=True)
        server.add_token(PAT, "octocat")
        yield server


@pytest.fixture
def client_for(fake: FakeGitHub) -> Iterator[Callable[..., GitHubClient]]:
    clients: list[GitHubClient] = []

    def make(token: str = APP_TOKEN, retry_cap_s: float = 3.0) -> GitHubClient:
        client = GitHubClient(fake.url, token, retry_cap_s=retry_cap_s)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def pr(repo: Any, fake: FakeGitHub, tmp_path: Path) -> PullRequest:
    pull = breaking_pull_request(repo)
    fake.add_pull(REPO, pull.number, pull.head, head_repo="forker/data")
    return pull


@pytest.fixture
def stage_two(tmp_path: Path, fake: FakeGitHub, monkeypatch: pytest.MonkeyPatch) -> Callable[..., None]:
    """The env of a `workflow_run` job in the base repository, for the run of `pr`'s branch."""

    def make(pr: PullRequest, head_branch: str = "feature") -> None:
        run = {
            "id": 99,
            "head_sha": pr.head,
            "head_branch": head_branch,
            "head_repository": {"full_name": "forker/data"},
            "html_url": TRUSTED_RUN_URL,
            "pull_requests": [],  # GitHub leaves it empty for PRs from forks
        }
        event = tmp_path / "workflow_run.json"
        event.write_text(json.dumps({"action": "completed", "workflow_run": run}), encoding="utf-8")
        for name, value in {
            "GITHUB_ACTIONS": "true",
            "GITHUB_EVENT_NAME": "workflow_run",
            "GITHUB_EVENT_PATH": str(event),
            "GITHUB_API_URL": fake.url,
            "GITHUB_REPOSITORY": REPO,
            "GITHUB_WORKFLOW": "dataops-ci comment",
            "GITHUB_JOB": "comment",
            "GITHUB_TOKEN": APP_TOKEN,
        }.items():
            monkeypatch.setenv(name, value)

    return make
