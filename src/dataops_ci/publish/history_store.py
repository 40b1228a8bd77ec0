"""The history's storage: one file on a dedicated branch of the repository's own git, written with plumbing
only (hash-object, mktree, commit-tree, update-ref), so the work tree, the index and HEAD are never touched.

Appending never rewrites: each record is a new commit whose parent is the branch's current tip, and pushes
are never forced. When another run pushed first (the push is rejected), the branch is fetched again, the
record re-appended on the new tip and the push retried.
"""

from __future__ import annotations

import os
import random
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dataops_ci.git.plumbing import GitError, run_git
from dataops_ci.publish.history import parse_lines, to_line
from dataops_ci.words import plural

# Who the history commits are by when git has no identity configured (a fresh CI runner).
BOT_IDENTITY = {"name": "dataops-ci", "email": "dataops-ci@users.noreply.github.com"}
_RACE = (
    "[rejected]",
    "fetch first",
    "non-fast-forward",
    "failed to lock",
    "cannot lock ref",
    "stale info",
    "incorrect old value",
)


@dataclass(frozen=True)
class Store:
    root: Path
    branch: str = "dataops-ci-history"
    file: str = "history.jsonl"
    remote: str | None = "origin"  # None, or a remote the repo lacks: local only

    def git(self, *args: str, input: bytes | None = None, env: Mapping[str, str] | None = None) -> str:
        return run_git(["git", *args], self.root, input=input, env=dict(env or {}))

    @property
    def local_ref(self) -> str:
        return f"refs/heads/{self.branch}"

    @property
    def remote_ref(self) -> str:
        return f"refs/remotes/{self.remote}/{self.branch}"

    def has_remote(self) -> bool:
        if not self.remote:
            return False
        return self.remote in self.git("remote").split()

    def tip(self, ref: str) -> str | None:
        try:
            return self.git("rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}").strip() or None
        except GitError:
            return None

    def read_tip(self) -> str | None:
        """What the history is: the remote's copy when there is a remote, else the local branch."""
        return (self.tip(self.remote_ref) if self.has_remote() else None) or self.tip(self.local_ref)

    def fetch(self) -> None:
        """Bring the remote's branch into refs/remotes (absent there yet: nothing to fetch)."""
        if not self.has_remote():
            return
        try:
            self.git(
                "fetch", "--quiet", "--no-tags", self.remote or "", f"+{self.local_ref}:{self.remote_ref}"
            )
        except GitError as exc:
            if "couldn't find remote ref" not in str(exc).lower():
                raise

    def content(self, commit: str | None) -> str:
        if commit is None:
            return ""
        try:
            return self.git("cat-file", "blob", f"{commit}:{self.file}")
        except GitError:
            return ""

    def records(self) -> list[dict[str, Any]]:
        return parse_lines(self.content(self.read_tip()))


def _identity_env(store: Store) -> dict[str, str]:
    """Git's own identity if it has one; else the bot's (never overriding what the environment sets)."""
    try:
        store.git("var", "GIT_COMMITTER_IDENT")
        store.git("var", "GIT_AUTHOR_IDENT")
        return {}
    except GitError:
        name, email = BOT_IDENTITY["name"], BOT_IDENTITY["email"]
        keys = ("GIT_AUTHOR_NAME", "GIT_COMMITTER_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_EMAIL")
        values = (name, name, email, email)
        return {k: os.environ.get(k) or v for k, v in zip(keys, values, strict=True)}


def _commit(store: Store, parent: str | None, text: str, message: str) -> str:
    """A commit holding `text` as the file, with the parent's other files kept, made without a work tree."""
    blob = store.git("hash-object", "-w", "--stdin", input=text.encode("utf-8")).strip()
    entries = []
    if parent is not None:
        for line in store.git("ls-tree", "-z", parent).split("\0"):
            if line and line.split("\t", 1)[1] != store.file:
                entries.append(line)
    entries.append(f"100644 blob {blob}\t{store.file}")
    tree = store.git("mktree", "-z", input=("\0".join(entries) + "\0").encode("utf-8")).strip()
    parents = ["-p", parent] if parent else []
    return store.git("commit-tree", tree, *parents, "-m", message, env=_identity_env(store)).strip()


@dataclass(frozen=True)
class Appended:
    commit: str | None  # the new history commit (None: this run's commit was recorded already)
    attempts: int
    pushed: bool


def append(store: Store, record: Mapping[str, Any], attempts: int = 5) -> Appended:
    """Append `record` (one line) unless its commit is already recorded; push when there is a remote."""
    remote = store.has_remote()
    for attempt in range(1, attempts + 1):
        store.fetch()
        parent = store.read_tip()
        existing = store.content(parent)
        if any(r.get("commit") == record.get("commit") for r in parse_lines(existing)):
            return Appended(None, attempt, False)
        if existing and not existing.endswith("\n"):
            existing += "\n"
        commit = _commit(
            store, parent, existing + to_line(record), f"quality history: {record.get('commit')}"
        )
        if not remote:
            store.git("update-ref", store.local_ref, commit, parent or "0" * 40)
            return Appended(commit, attempt, False)
        try:
            store.git("push", "--quiet", store.remote or "", f"{commit}:{store.local_ref}")
        except GitError as exc:
            if not any(word in str(exc).lower() for word in _RACE) or attempt == attempts:
                raise GitError(
                    f"could not push the quality history after {plural(attempt, 'attempt')}: {exc}"
                ) from None
            time.sleep(min(2.0, 0.1 * 2**attempt) * random.uniform(0.5, 1.0))  # noqa: S311 - jitter only
            continue
        store.git("update-ref", store.remote_ref, commit)
        _follow_locally(store, commit)
        return Appended(commit, attempt, True)
    raise GitError("could not append to the quality history")  # attempts >= 1: not reached


def _follow_locally(store: Store, commit: str) -> None:
    """Move the local branch to the pushed commit when that is a fast-forward; a local branch with commits
    of its own is left as it is (nothing is ever rewritten)."""
    local = store.tip(store.local_ref)
    if local is None:
        store.git("update-ref", store.local_ref, commit, "0" * 40)
        return
    try:
        store.git("merge-base", "--is-ancestor", local, commit)
    except GitError:
        return
    store.git("update-ref", store.local_ref, commit, local)
