"""Fixtures: a fake GitHub API on a real socket, and clients with the kinds of token GitHub hands out."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from dataops_ci.github.client import GitHubClient
from tests.github.fake_server import FakeGitHub
from tests.github.helpers import APP_TOKEN, FORK_TOKEN, PAT


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
