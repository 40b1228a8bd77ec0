"""The sticky PR comment: one per PR and workflow job, found by hidden marker AND author, updated in place.

Finding ours: every comment of the PR is listed (all pages). A comment is ours when its body STARTS with our
marker line `<!-- dataops-ci:summary key=<workflow>:<job> -->` followed by our head-SHA line (a comment of
another bot or workflow that quotes our marker is not ours) and its author is us: the configured
`comment.author`, else the token's login (GET /user), else — GitHub App installation tokens such as
GITHUB_TOKEN cannot read /user — `github-actions[bot]`. After creating a comment we also know our login
from GitHub's answer.

Races: two runs of the same job may both find nothing and both create. So after creating we list again
and the oldest comment (lowest id) wins: every other one of ours is deleted (a 404 there means the other
run deleted it first), and the survivor gets our body unless it already describes a newer head.

Staleness: every body carries the head SHA it describes (`<!-- dataops-ci:head-sha=<sha> -->`). We never
overwrite a comment whose head is newer than ours, decided by `HeadOrder.compare`:
  1. same SHA -> a re-run: overwrite;  a comment without a head SHA -> overwrite;
  2. both commits in the local clone -> `git merge-base --is-ancestor` decides (descendant = newer);
  3. else the PR's current head from the API: the comment's head is the PR head -> it is newer;
     ours is the PR head -> ours is newer;
  4. else unknown (force-push, both outdated, API unreadable) -> overwrite: the run for the PR's actual
     head is still to finish, and it will overwrite us in turn.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from dataops_ci.git import GitError, GitRepo
from dataops_ci.github.client import MAX_COMMENT_CHARS, GitHubClient, GitHubError, NotFoundError
from dataops_ci.render.markdown import head_sha_marker, is_ours, marker, parse_head_sha

APP_LOGIN = "github-actions[bot]"
Order = Literal["newer", "older", "same", "unknown"]
Action = Literal["created", "updated", "unchanged", "skipped-stale"]
TRUNCATED_NOTE = "\n\n*(comment truncated to GitHub's 65,536-character limit; see the job summary)*\n"


@dataclass(frozen=True)
class CommentOutcome:
    action: Action
    url: str | None
    comment_id: int | None
    deleted: tuple[int, ...] = ()


@dataclass
class HeadOrder:
    """Which of two head SHAs is newer (see the module docstring for the rules)."""

    client: GitHubClient
    repo_name: str
    number: int
    git: GitRepo | None = None
    _pr_head: str | None = field(default=None, init=False)
    _pr_head_read: bool = field(default=False, init=False)

    def compare(self, theirs: str | None, ours: str | None) -> Order:
        if theirs is None:
            return "older"
        if ours is None:
            return "unknown"
        if theirs == ours:
            return "same"
        by_git = self._by_ancestry(theirs, ours)
        if by_git != "unknown":
            return by_git
        pr_head = self._current_pr_head()
        if pr_head == theirs:
            return "newer"
        if pr_head == ours:
            return "older"
        return "unknown"

    def _by_ancestry(self, theirs: str, ours: str) -> Order:
        if self.git is None or not (self.git.has_commit(theirs) and self.git.has_commit(ours)):
            return "unknown"
        if _is_ancestor(self.git, ours, theirs):
            return "newer"
        if _is_ancestor(self.git, theirs, ours):
            return "older"
        return "unknown"

    def _current_pr_head(self) -> str | None:
        if not self._pr_head_read:
            self._pr_head_read = True
            try:
                sha = (self.client.get_pull(self.repo_name, self.number).get("head") or {}).get("sha")
                self._pr_head = sha if isinstance(sha, str) else None
            except GitHubError:
                self._pr_head = None
        return self._pr_head


def _is_ancestor(git: GitRepo, ancestor: str, descendant: str) -> bool:
    try:
        git.git("merge-base", "--is-ancestor", "--end-of-options", ancestor, descendant)
    except GitError:
        return False
    return True


def resolve_author(client: GitHubClient, configured: str | None) -> str:
    return configured or client.viewer_login() or APP_LOGIN


def fit_body(body: str) -> str:
    """A last guard: the renderer keeps within the limit; never send GitHub a body it would refuse (422).
    Counted in UTF-8 bytes, which are never fewer than code points or UTF-16 units (docs/security.md)."""
    data = body.encode("utf-8", "replace")
    if len(data) <= MAX_COMMENT_CHARS:
        return body
    room = MAX_COMMENT_CHARS - len(TRUNCATED_NOTE.encode())
    return data[:room].decode("utf-8", "ignore") + TRUNCATED_NOTE


def _ours(comments: list[dict[str, Any]], key: str, author: str) -> list[dict[str, Any]]:
    found = [
        c
        for c in comments
        if is_ours(str(c.get("body") or ""), key) and (c.get("user") or {}).get("login") == author
    ]
    return sorted(found, key=lambda c: int(c["id"]))


@dataclass
class StickyComment:
    client: GitHubClient
    repo_name: str
    number: int
    key: str
    author: str
    order: HeadOrder
    log: Callable[[str], None] = print

    def publish(self, body: str, head_sha: str | None) -> CommentOutcome:
        if not is_ours(body, self.key):
            body = f"{marker(self.key)}\n{head_sha_marker(head_sha or 'unknown')}\n{body}"
        body = fit_body(body)
        mine = _ours(self.client.list_issue_comments(self.repo_name, self.number), self.key, self.author)
        if not mine:
            return self._create(body, head_sha)
        keep, extra = mine[0], mine[1:]
        newer = [c for c in mine if self._newer_than_ours(c, head_sha)]
        if newer:
            # Left as they are (duplicates too): the run for that newer head does the tidying.
            self.log("dataops-ci: the PR comment already describes a newer head; not overwriting it")
            return CommentOutcome("skipped-stale", newer[0].get("html_url"), int(newer[0]["id"]))
        deleted = self._delete(extra)
        if keep.get("body") == body:
            return CommentOutcome("unchanged", keep.get("html_url"), int(keep["id"]), deleted)
        try:
            updated = self.client.update_issue_comment(self.repo_name, int(keep["id"]), body)
        except NotFoundError:
            self.log("dataops-ci: the PR comment was deleted while we updated it; creating it again")
            return self._create(body, head_sha)
        return CommentOutcome("updated", updated.get("html_url"), int(keep["id"]), deleted)

    def _create(self, body: str, head_sha: str | None) -> CommentOutcome:
        created = self.client.create_issue_comment(self.repo_name, self.number, body)
        login = (created.get("user") or {}).get("login")
        if isinstance(login, str):
            self.author = login  # now we know who we are, whatever /user said
        mine = _ours(self.client.list_issue_comments(self.repo_name, self.number), self.key, self.author)
        if not any(c["id"] == created["id"] for c in mine):
            mine = sorted([*mine, created], key=lambda c: int(c["id"]))
        keep = mine[0]
        deleted = self._delete(mine[1:])
        if keep["id"] == created["id"]:
            return CommentOutcome("created", created.get("html_url"), int(created["id"]), deleted)
        # A concurrent run created one first: the oldest wins; it gets our body if ours is not older.
        if self.order.compare(parse_head_sha(str(keep.get("body") or "")), head_sha) in ("newer", "same"):
            return CommentOutcome("unchanged", keep.get("html_url"), int(keep["id"]), deleted)
        try:
            updated = self.client.update_issue_comment(self.repo_name, int(keep["id"]), body)
        except NotFoundError:  # that one is gone too (and ours was removed for it): post ours once more
            again = self.client.create_issue_comment(self.repo_name, self.number, body)
            return CommentOutcome("created", again.get("html_url"), int(again["id"]), deleted)
        return CommentOutcome("updated", updated.get("html_url"), int(keep["id"]), deleted)

    def _newer_than_ours(self, comment: dict[str, Any], head_sha: str | None) -> bool:
        return self.order.compare(parse_head_sha(str(comment.get("body") or "")), head_sha) == "newer"

    def _delete(self, comments: list[dict[str, Any]]) -> tuple[int, ...]:
        for comment in comments:
            self.client.delete_issue_comment(self.repo_name, int(comment["id"]))
        return tuple(int(c["id"]) for c in comments)
