"""The sticky comment against the fake GitHub API: create, update, races, staleness, pagination, spoofing."""

from __future__ import annotations

import threading
from collections.abc import Callable

from dataops_ci.git import GitRepo
from dataops_ci.github.client import GitHubClient
from dataops_ci.github.sticky import CommentOutcome, HeadOrder, StickyComment, marker, resolve_author
from tests.github.fake_server import FakeGitHub, Fault
from tests.github.helpers import PAT, REPO, simple_body, text_of

KEY = "data-ci:checks"
PR = 7
SHA_A, SHA_B = "a" * 40, "b" * 40


def sticky(client: GitHubClient, author: str | None = None, git: GitRepo | None = None) -> StickyComment:
    order = HeadOrder(client, REPO, PR, git)
    return StickyComment(client, REPO, PR, KEY, resolve_author(client, author), order, log=lambda _: None)


def post(client: GitHubClient, head: str, text: str = "data checks passed") -> CommentOutcome:
    return sticky(client).publish(simple_body(KEY, head, text), head)


def test_first_run_creates_the_comment(fake: FakeGitHub, client_for: Callable[..., GitHubClient]) -> None:
    fake.add_pull(REPO, PR, SHA_A)
    outcome = post(client_for(), SHA_A)
    [comment] = fake.comments_on(REPO, PR)
    assert outcome.action == "created"
    assert outcome.url == comment["html_url"]
    assert marker(KEY) in comment["body"]
    assert comment["user"]["login"] == "github-actions[bot]"


def test_ten_runs_leave_one_comment_with_the_latest_body(
    fake: FakeGitHub, client_for: Callable[..., GitHubClient]
) -> None:
    fake.add_pull(REPO, PR, SHA_A)
    actions = [post(client_for(), SHA_A, f"run {i}").action for i in range(10)]
    [comment] = fake.comments_on(REPO, PR)
    assert actions == ["created"] + ["updated"] * 9
    assert text_of(comment["body"]).startswith("run 9")
    assert len(fake.requests("POST")) == 1


def test_same_body_again_is_not_rewritten(fake: FakeGitHub, client_for: Callable[..., GitHubClient]) -> None:
    post(client_for(), SHA_A)
    assert post(client_for(), SHA_A).action == "unchanged"
    assert fake.requests("PATCH") == []


def test_two_concurrent_runs_leave_one_comment(
    fake: FakeGitHub, client_for: Callable[..., GitHubClient]
) -> None:
    fake.add_pull(REPO, PR, SHA_A)
    # Both runs list before either creates: the race that makes two comments.
    fake.fault(Fault("GET", r"/repos/.*/comments$", times=2, barrier=2))
    outcomes: list[CommentOutcome] = []
    clients = [client_for(), client_for()]
    threads = [
        threading.Thread(target=lambda c=c, i=i: outcomes.append(post(c, SHA_A, f"run {i}")))
        for i, c in enumerate(clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    assert len(fake.requests("POST")) == 2  # both created: the race happened
    [comment] = fake.comments_on(REPO, PR)
    assert {o.comment_id for o in outcomes} == {comment["id"]}  # both point at the survivor, the oldest
    deleted = [d for o in outcomes for d in o.deleted]
    assert deleted and all(d > comment["id"] for d in deleted)  # the younger duplicate went


def test_stale_run_does_not_overwrite_a_newer_head_known_from_the_pr(
    fake: FakeGitHub, client_for: Callable[..., GitHubClient]
) -> None:
    fake.add_pull(REPO, PR, SHA_B)  # the PR's head is now B
    post(client_for(), SHA_B, "for B")
    outcome = post(client_for(), SHA_A, "for A, finished late")
    [comment] = fake.comments_on(REPO, PR)
    assert outcome.action == "skipped-stale"
    assert text_of(comment["body"]).startswith("for B")


def test_stale_run_decided_by_git_ancestry(
    fake: FakeGitHub, client_for: Callable[..., GitHubClient], repo
) -> None:
    old = repo.commit("first", {"a.txt": "1"})
    new = repo.commit("second", {"a.txt": "2"})
    git = GitRepo(repo.root)  # no PR registered on the fake: only git can tell
    sticky(client_for(), git=git).publish(simple_body(KEY, new, "for new"), new)
    outcome = sticky(client_for(), git=git).publish(simple_body(KEY, old, "for old"), old)
    assert outcome.action == "skipped-stale"
    assert sticky(client_for(), git=git).publish(simple_body(KEY, new, "new again"), new).action == "updated"
    assert text_of(fake.comments_on(REPO, PR)[0]["body"]).startswith("new again")
    assert fake.requests("GET", "/pulls/") == []


def test_newer_run_overwrites_an_older_head(
    fake: FakeGitHub, client_for: Callable[..., GitHubClient]
) -> None:
    fake.add_pull(REPO, PR, SHA_A)
    post(client_for(), SHA_A, "for A")
    fake.set_head(REPO, PR, SHA_B)
    assert post(client_for(), SHA_B, "for B").action == "updated"
    assert text_of(fake.comments_on(REPO, PR)[0]["body"]).startswith("for B")


def test_finds_ours_beyond_the_first_hundred_comments(
    fake: FakeGitHub, client_for: Callable[..., GitHubClient]
) -> None:
    for i in range(230):
        fake.add_comment(REPO, PR, f"lgtm {i}", "reviewer")
    post(client_for(), SHA_A, "first")
    for i in range(20):
        fake.add_comment(REPO, PR, f"more {i}", "reviewer")
    assert post(client_for(), SHA_A, "second").action == "updated"
    ours = [c for c in fake.comments_on(REPO, PR) if marker(KEY) in c["body"]]
    assert len(ours) == 1 and text_of(ours[0]["body"]).startswith("second")
    pages = [r.query.get("page") for r in fake.requests("GET", "/comments$")]
    assert "3" in pages and all(r.query.get("per_page") == "100" for r in fake.requests("GET", "/comments$"))


def test_a_copy_of_our_marker_by_someone_else_is_left_alone(
    fake: FakeGitHub, client_for: Callable[..., GitHubClient]
) -> None:
    spoof = fake.add_comment(REPO, PR, simple_body(KEY, SHA_B, "spoofed: all good!"), "mallory")
    assert post(client_for(), SHA_A).action == "created"
    bodies = {c["id"]: c["body"] for c in fake.comments_on(REPO, PR)}
    assert text_of(bodies[spoof["id"]]).startswith("spoofed")
    assert len(bodies) == 2


def test_leftover_duplicates_are_cleaned_up_oldest_kept(
    fake: FakeGitHub, client_for: Callable[..., GitHubClient]
) -> None:
    first = fake.add_comment(REPO, PR, simple_body(KEY, SHA_A, "one"), "github-actions[bot]", "Bot")
    fake.add_comment(REPO, PR, simple_body(KEY, SHA_A, "two"), "github-actions[bot]", "Bot")
    outcome = post(client_for(), SHA_A, "three")
    [comment] = fake.comments_on(REPO, PR)
    assert comment["id"] == first["id"] == outcome.comment_id
    assert text_of(comment["body"]).startswith("three")


def test_personal_token_author_comes_from_the_user_endpoint(
    fake: FakeGitHub, client_for: Callable[..., GitHubClient]
) -> None:
    bot_comment = fake.add_comment(REPO, PR, simple_body(KEY, SHA_A, "bot"), "github-actions[bot]", "Bot")
    client = client_for(PAT)
    assert resolve_author(client, None) == "octocat"
    assert sticky(client).publish(simple_body(KEY, SHA_A, "pat"), SHA_A).action == "created"
    by_id = {c["id"]: c for c in fake.comments_on(REPO, PR)}
    assert text_of(by_id[bot_comment["id"]]["body"]).startswith(
        "bot"
    )  # another identity's comment is not ours
    assert resolve_author(client, "release-bot") == "release-bot"  # configured author wins


def test_a_newer_duplicate_is_not_lost_to_an_older_run(
    fake: FakeGitHub, client_for: Callable[..., GitHubClient]
) -> None:
    fake.add_pull(REPO, PR, SHA_B)
    fake.add_comment(REPO, PR, simple_body(KEY, SHA_A, "for A"), "github-actions[bot]", "Bot")
    fake.add_comment(REPO, PR, simple_body(KEY, SHA_B, "for B"), "github-actions[bot]", "Bot")
    assert post(client_for(), SHA_A, "for A, late").action == "skipped-stale"
    assert [text_of(c["body"]).split("\n")[0] for c in fake.comments_on(REPO, PR)] == ["for A", "for B"]
    assert post(client_for(), SHA_B, "for B again").action == "updated"  # the newest run tidies up
    [comment] = fake.comments_on(REPO, PR)
    assert text_of(comment["body"]).startswith("for B again")
