"""A pinned GitRepo (one run of the checks) asks git once per revision and once for the worktree listing,
and answers exactly what an unpinned one answers."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from dataops_ci.git import GitError, GitRepo, plumbing
from tests.conftest import Repo

SCHEMA = '{"type": "record", "name": "Customer", "fields": [{"name": "id", "type": "long"}]}\n'


def _worktree(repo: Repo) -> str:
    """Tracked, staged, untracked (odd names), ignored, deleted-but-indexed, a dangling symlink."""
    base = repo.commit(
        "base",
        {
            "a.avsc": SCHEMA,
            "gone.avsc": '{"type": "fixed", "name": "F", "size": 4}',
            "keep.txt": "k\n",
            ".gitignore": "*.log\n",
        },
    )
    repo.write(
        {
            "new dir/é x.avsc": '{"type": "string"}',
            "skipped.log": "x\n",
            "a.avsc": SCHEMA.replace("id", "key"),
        }
    )
    repo.write({"staged.avsc": SCHEMA})
    repo.git("add", "staged.avsc")
    (repo.root / "gone.avsc").unlink()
    os.symlink("nowhere.avsc", repo.root / "dangling.avsc")
    return base


def test_pinned_listing_and_changes_equal_unpinned(repo: Repo) -> None:
    base = _worktree(repo)
    plain, pinned = GitRepo(repo.root), GitRepo(repo.root).pinned()
    files = plain.list_files(None)
    assert files == pinned.list_files(None) == pinned.fresh().list_files(None)
    assert "new dir/é x.avsc" in files and "dangling.avsc" in files and "staged.avsc" in files
    assert "gone.avsc" not in files and "skipped.log" not in files
    changes = sorted(plain.changed_files(base, None), key=lambda c: c.path)
    assert changes == sorted(pinned.changed_files(base, None), key=lambda c: c.path)
    assert {c.path: c.status for c in changes} == {
        "a.avsc": "M",
        "dangling.avsc": "A",
        "gone.avsc": "D",
        "new dir/é x.avsc": "A",
        "staged.avsc": "A",
    }
    assert plain.tree_entries(None, ["**/*.avsc"]) == pinned.tree_entries(None, ["**/*.avsc"])


def test_pinned_asks_once_per_run_and_its_fresh_copies_share_it(repo: Repo) -> None:
    first = repo.commit("first", {"a.avsc": SCHEMA})
    plain, pinned = GitRepo(repo.root), GitRepo(repo.root).pinned()
    assert pinned.resolve("HEAD") == first and pinned.list_files(None) == ["a.avsc"]
    second = repo.commit("second", {"b.avsc": SCHEMA})
    # The run reads the change as it was when it started; an unpinned repository asks again.
    assert pinned.resolve("HEAD") == pinned.fresh().resolve("HEAD") == first
    assert pinned.fresh().list_files(None) == ["a.avsc"]
    assert plain.resolve("HEAD") == second and plain.list_files(None) == ["a.avsc", "b.avsc"]
    assert pinned.pinned().resolve("HEAD") == first  # pinning again keeps the same memo
    assert GitRepo(repo.root).pinned().resolve("HEAD") == second  # a new run asks again


def test_pinned_does_not_remember_a_failure(repo: Repo, tmp_path: Path) -> None:
    pinned = GitRepo(repo.root).pinned()
    with pytest.raises(GitError, match="cannot resolve git revision 'HEAD'"):
        pinned.resolve("HEAD")  # no commit yet
    sha = repo.commit("first", {"a.avsc": SCHEMA})
    assert pinned.resolve("HEAD") == sha


def test_discover_pinned_resolves_head_in_the_same_git_process(
    repo: Repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    sha = repo.commit("first", {"sub/a.avsc": SCHEMA})
    calls: list[list[str]] = []
    real_run = subprocess.run

    def counting_run(cmd: list[str], **kwargs: Any) -> Any:
        calls.append(cmd)
        return real_run(cmd, **kwargs)

    monkeypatch.setattr(plumbing.subprocess, "run", counting_run)
    pinned = GitRepo.discover(repo.root / "sub", pinned=True)
    assert pinned.resolve("HEAD") == sha and len(calls) == 1
    assert pinned.root == GitRepo.discover(repo.root / "sub").root
    assert pinned.fresh().resolve("HEAD") == sha and len(calls) == 2  # the plain discover above


def test_discover_pinned_without_a_commit_or_a_repository(repo: Repo, tmp_path: Path) -> None:
    (repo.root / "sub").mkdir()
    pinned = GitRepo.discover(repo.root / "sub", pinned=True)  # no commit yet: asked separately
    assert pinned.root == GitRepo.discover(repo.root).root
    with pytest.raises(GitError, match="cannot resolve git revision 'HEAD'"):
        pinned.resolve("HEAD")
    sha = repo.commit("first", {"a.avsc": SCHEMA})
    assert pinned.resolve("HEAD") == sha  # the failure was not remembered
    outside = tmp_path / "outside"
    outside.mkdir()
    with pytest.raises(GitError, match="not inside a git repository"):
        GitRepo.discover(outside, pinned=True)
