"""The REST client against the fake GitHub API: waiting out rate limits, retrying 5xx, GHES URLs, errors."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from dataops_ci.github.client import ForbiddenError, GitHubClient, GitHubError
from dataops_ci.github.env import GitHubEnv
from tests.github.fake_server import FakeGitHub, Fault
from tests.github.helpers import FORK_TOKEN, PAT, REPO

COMMENTS = r"/issues/\d+/comments$"


def test_secondary_rate_limit_retry_after_is_waited_out(
    fake: FakeGitHub, client_for: Callable[..., GitHubClient]
) -> None:
    message = {"message": "You have exceeded a secondary rate limit. Please wait a few minutes."}
    fake.fault(Fault("POST", COMMENTS, 403, {"Retry-After": "1"}, message))
    client = client_for()
    comment = client.create_issue_comment(REPO, 7, "hello")
    assert comment["body"] == "hello"
    posts = fake.requests("POST", COMMENTS)
    assert [r.status for r in posts] == [403, 201]
    assert posts[1].at - posts[0].at >= 0.9  # waited what Retry-After asked
    assert client.waited_s == 1.0


def test_429_with_ratelimit_reset_is_waited_out(
    fake: FakeGitHub, client_for: Callable[..., GitHubClient]
) -> None:
    reset = str(int(time.time()) + 2)
    headers = {"x-ratelimit-remaining": "0", "x-ratelimit-reset": reset}
    fake.fault(Fault("GET", COMMENTS, 429, headers, {"message": "API rate limit exceeded"}))
    client = client_for(retry_cap_s=5)
    assert client.list_issue_comments(REPO, 7) == []
    gets = fake.requests("GET", COMMENTS)
    assert [r.status for r in gets] == [429, 200]
    assert gets[1].at >= int(reset) - 1


def test_wait_longer_than_the_cap_gives_up_at_once(
    fake: FakeGitHub, client_for: Callable[..., GitHubClient]
) -> None:
    fake.fault(Fault("POST", COMMENTS, 403, {"Retry-After": "600"}, {"message": "secondary rate limit"}))
    client = client_for(retry_cap_s=1)
    with pytest.raises(GitHubError, match="would exceed the 1s cap"):
        client.create_issue_comment(REPO, 7, "hello")
    assert client.waited_s == 0
    assert fake.comments_on(REPO, 7) == []


def test_5xx_once_then_success(fake: FakeGitHub, client_for: Callable[..., GitHubClient]) -> None:
    fake.fault(Fault("POST", COMMENTS, 502, {}, {"message": "Server Error"}))
    client = client_for()
    client.create_issue_comment(REPO, 7, "hello")
    assert [r.status for r in fake.requests("POST", COMMENTS)] == [502, 201]
    assert len(fake.comments_on(REPO, 7)) == 1


def test_5xx_every_time_gives_up_within_the_cap(
    fake: FakeGitHub, client_for: Callable[..., GitHubClient]
) -> None:
    fake.fault(Fault("GET", COMMENTS, 503, {}, {"message": "unavailable"}, times=100))
    client = client_for(retry_cap_s=1)
    with pytest.raises(GitHubError, match="503"):
        client.list_issue_comments(REPO, 7)
    assert client.waited_s <= 1
    assert 2 <= len(fake.requests("GET", COMMENTS)) <= 3


def test_read_only_token_is_forbidden_not_retried(
    fake: FakeGitHub, client_for: Callable[..., GitHubClient]
) -> None:
    with pytest.raises(ForbiddenError, match="Resource not accessible by integration"):
        client_for(FORK_TOKEN).create_issue_comment(REPO, 7, "hello")
    assert len(fake.requests("POST", COMMENTS)) == 1


def test_body_over_the_limit_is_refused_with_422(client_for: Callable[..., GitHubClient]) -> None:
    with pytest.raises(GitHubError, match="body is too long") as raised:
        client_for().create_issue_comment(REPO, 7, "x" * 65_537)
    assert raised.value.status == 422


def test_identity_of_a_personal_token_and_of_an_app_token(client_for: Callable[..., GitHubClient]) -> None:
    assert client_for(PAT).viewer_login() == "octocat"
    assert client_for().viewer_login() is None  # 403 "Resource not accessible by integration"


def test_enterprise_server_url_with_api_prefix_and_pagination() -> None:
    with FakeGitHub(prefix="/api/v3") as ghes:
        ghes.add_token(PAT, "octocat")
        for i in range(150):
            ghes.add_comment(REPO, 3, f"comment {i}", "someone")
        env = GitHubEnv.from_environ({"GITHUB_API_URL": ghes.url + "/", "GITHUB_TOKEN": PAT})
        assert env.api_url.endswith("/api/v3")
        with GitHubClient(env.api_url, PAT) as client:
            bodies = [c["body"] for c in client.list_issue_comments(REPO, 3)]
        assert bodies == [f"comment {i}" for i in range(150)]
        paths = [r.path for r in ghes.requests("GET")]
        assert paths == [
            f"/repos/{REPO}/issues/3/comments",
            f"/repositories/{ghes.repo_id(REPO)}/issues/3/comments",
        ]


def test_a_link_to_another_host_is_not_followed(client_for: Callable[..., GitHubClient]) -> None:
    with pytest.raises(GitHubError, match="another host"):
        client_for().request("GET", "https://evil.example/steal")


def test_a_bad_api_url_fails_at_once_without_retrying() -> None:
    with GitHubClient("ftp://127.0.0.1:9/api", PAT, retry_cap_s=5) as client:
        with pytest.raises(GitHubError, match="failed"):
            client.list_issue_comments(REPO, 7)
        assert client.waited_s == 0


def test_a_refused_connection_is_retried_then_given_up(fake: FakeGitHub) -> None:
    url = fake.url
    fake.stop()
    with GitHubClient(url, PAT, retry_cap_s=1) as client:
        with pytest.raises(GitHubError, match="ConnectError"):
            client.viewer_login()
        assert 0 < client.waited_s <= 1


def test_a_hanging_api_is_given_up_within_the_cap(
    fake: FakeGitHub, client_for: Callable[..., GitHubClient]
) -> None:
    fake.fault(Fault("GET", COMMENTS, hang_s=20, times=100))
    client = client_for(retry_cap_s=2)
    started = time.monotonic()
    with pytest.raises(GitHubError):
        client.list_issue_comments(REPO, 7)
    assert time.monotonic() - started < 4  # the cap, plus scheduling slack: not 20 s per attempt


def test_a_trickling_answer_is_cut_off_at_the_cap(
    fake: FakeGitHub, client_for: Callable[..., GitHubClient]
) -> None:
    fake.add_comment(REPO, 7, "x" * 200, "someone")
    fake.fault(Fault("GET", COMMENTS, drip_s=0.05, times=100))  # 200+ bytes at 20 bytes/s: 10+ s
    client = client_for(retry_cap_s=2)
    started = time.monotonic()
    with pytest.raises(GitHubError, match="still arriving"):
        client.list_issue_comments(REPO, 7)
    assert time.monotonic() - started < 4


def test_the_cap_bounds_all_calls_of_a_client_together(
    fake: FakeGitHub, client_for: Callable[..., GitHubClient]
) -> None:
    fake.fault(Fault("GET", COMMENTS, hang_s=0.8, times=100))
    client = client_for(retry_cap_s=2)
    client.list_issue_comments(REPO, 7)
    client.list_issue_comments(REPO, 7)
    with pytest.raises(GitHubError):  # the third would pass the cap of all three together
        client.list_issue_comments(REPO, 7)
    assert client.spent_s < 3
