"""The git layer against real repositories: renames, deletions, worktree heads, bulk reads, shallow clones."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from dataops_ci.git import ChangedFile, GitError, GitRepo, match_glob
from dataops_ci.runner import resolve_base
from tests.conftest import GIT_ENV, Repo

SCHEMA = '{"type": "record", "name": "Customer", "fields": [{"name": "id", "type": "long"}]}\n'


def _git(cwd: Path, *args: str) -> str:
    proc = subprocess.run(
        ["git", *args], cwd=cwd, env={**os.environ, **GIT_ENV}, capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def _move(repo: Repo, src: str, dst: str) -> None:
    (repo.root / dst).parent.mkdir(parents=True, exist_ok=True)
    repo.git("mv", src, dst)


# -- changed files -----------------------------------------------------------------------------------------
def test_changed_files_between_commits_detects_rename_modify_delete(repo: Repo) -> None:
    base = repo.commit("base", {"a.avsc": SCHEMA, "b.avsc": SCHEMA.replace("Customer", "B"), "c.txt": "c\n"})
    _move(repo, "a.avsc", "schemas/customer.avsc")
    repo.write({"b.avsc": SCHEMA.replace("Customer", "B2")})
    repo.remove("c.txt")
    head = repo.commit("head")
    changes = sorted(GitRepo(repo.root).changed_files(base, head), key=lambda c: c.path)
    assert changes == [
        ChangedFile("M", "b.avsc", "b.avsc"),
        ChangedFile("D", "c.txt", "c.txt"),
        ChangedFile("R", "schemas/customer.avsc", "a.avsc"),
    ]
    assert [c.deleted for c in changes] == [False, True, False]


def test_worktree_head_includes_unstaged_staged_and_untracked(repo: Repo) -> None:
    base = repo.commit("base", {"a.avsc": SCHEMA, "b.avsc": SCHEMA})
    repo.write({"a.avsc": SCHEMA.replace("long", "int"), "new dir/é.avsc": '{"type": "string"}'})
    repo.remove("b.avsc")
    repo.write({"staged.avsc": '{"type": "enum", "name": "Staged", "symbols": ["A"]}'})
    repo.git("add", "staged.avsc")
    changes = {c.path: c.status for c in GitRepo(repo.root).changed_files(base, None)}
    assert changes == {"a.avsc": "M", "b.avsc": "D", "staged.avsc": "A", "new dir/é.avsc": "A"}


def test_worktree_plain_mv_is_a_rename_and_the_index_is_untouched(repo: Repo) -> None:
    base = repo.commit("base", {"a.avsc": SCHEMA, "keep.txt": "k"})
    index_before = (repo.root / ".git/index").read_bytes()
    (repo.root / "schemas").mkdir()
    (repo.root / "a.avsc").rename(repo.root / "schemas/customer.avsc")
    changes = GitRepo(repo.root).changed_files(base, None)
    assert changes == [ChangedFile("R", "schemas/customer.avsc", "a.avsc")]
    assert (repo.root / ".git/index").read_bytes() == index_before
    assert "?? schemas/" in repo.git("status", "--short")


def test_ignored_untracked_files_are_not_changes(repo: Repo) -> None:
    base = repo.commit("base", {".gitignore": "build/\n"})
    repo.write({"build/out.avsc": SCHEMA})
    assert GitRepo(repo.root).changed_files(base, None) == []


# -- changed lines -----------------------------------------------------------------------------------------
def test_changed_lines_are_head_line_numbers(repo: Repo) -> None:
    base = repo.commit("base", {"q.sql": "select 1\nfrom a\nwhere x\norder by 1\n"})
    repo.write({"q.sql": "-- new\nselect 1\nfrom b\nwhere x\n"})
    git = GitRepo(repo.root)
    assert git.changed_lines(base, None, "q.sql") == {1, 3}
    head = repo.commit("head")
    assert git.changed_lines(base, head, "q.sql") == {1, 3}


def test_changed_lines_of_a_renamed_file_are_only_the_edited_ones(repo: Repo) -> None:
    body = "".join(f"line {i}\n" for i in range(1, 21))
    base = repo.commit("base", {"old.sql": body})
    _move(repo, "old.sql", "models/new.sql")
    repo.write({"models/new.sql": body.replace("line 7\n", "line seven\n")})
    head = repo.commit("head")
    git = GitRepo(repo.root)
    assert git.changed_lines(base, head, "models/new.sql", old_path="old.sql") == {7}
    assert len(git.changed_lines(base, head, "models/new.sql")) == 20, "without old_path: all lines"


def test_changed_lines_of_untracked_file_is_every_line(repo: Repo) -> None:
    base = repo.commit("base", {"a.txt": "a\n"})
    repo.write({"new.sql": "select 1\nfrom t\n"})
    assert GitRepo(repo.root).changed_lines(base, None, "new.sql") >= {1, 2}


# -- contents ----------------------------------------------------------------------------------------------
def test_read_files_in_bulk_at_commit_and_worktree(repo: Repo) -> None:
    names = {"a.avsc": "A", "dir with space/ü.avsc": "U", "missing": None}
    head = repo.commit("c", {k: v for k, v in names.items() if v})
    repo.write({"a.avsc": "changed"})
    git = GitRepo(repo.root)
    at_commit = git.read_files(head, list(names))
    assert at_commit == {"a.avsc": b"A", "dir with space/ü.avsc": b"U", "missing": None}
    assert git.read_files(None, ["a.avsc", "missing"]) == {"a.avsc": b"changed", "missing": None}
    assert git.read_objects([(head, "a.avsc"), (head, "nope/x y.avsc"), (head, "a.avsc")]) == [
        b"A",
        None,
        b"A",
    ]


def test_tree_entries_report_symlinks_and_sizes(repo: Repo) -> None:
    repo.write({"s/a.avsc": SCHEMA, "s/big.avsc": "x" * 5000})
    os.symlink("/etc/hostname", repo.root / "s/out.avsc")
    os.symlink("a.avsc", repo.root / "s/in.avsc")
    os.symlink("../../../nowhere.avsc", repo.root / "s/dangling.avsc")
    head = repo.commit("c")
    git = GitRepo(repo.root)
    for rev in (head, None):
        entries = git.tree_entries(rev, ["**/*.avsc"])
        assert sorted(entries) == ["s/a.avsc", "s/big.avsc", "s/dangling.avsc", "s/in.avsc", "s/out.avsc"]
        assert entries["s/big.avsc"].size == 5000 and not entries["s/big.avsc"].is_symlink
        assert entries["s/out.avsc"].is_symlink and entries["s/in.avsc"].is_symlink
    for rev in (None, head):
        assert git.escapes_repo(rev, "s/out.avsc") and git.escapes_repo(rev, "s/dangling.avsc")
        assert not git.escapes_repo(rev, "s/in.avsc") and not git.escapes_repo(rev, "s/a.avsc")


def test_read_blobs_by_object_id_from_tree_entries(repo: Repo) -> None:
    head = repo.commit("c", {"s/a.avsc": "A", "s/b c.avsc": "BC"})
    git = GitRepo(repo.root)
    entries = git.tree_entries(head, ["**/*.avsc"])
    assert git.read_blobs([entries["s/b c.avsc"].oid, entries["s/a.avsc"].oid, "0" * 40]) == [
        b"BC",
        b"A",
        None,
    ]
    assert all(e.oid == "" for e in git.tree_entries(None).values()), "the worktree has no object ids"


def test_history_follows_renames_newest_first(repo: Repo) -> None:
    first = repo.commit("v1", {"old/a.avsc": SCHEMA})
    second = repo.commit("v2", {"old/a.avsc": SCHEMA.replace("long", "int")})
    repo.commit("unrelated", {"other.txt": "x"})
    _move(repo, "old/a.avsc", "schemas/é customer.avsc")
    third = repo.commit("rename")
    fourth = repo.commit("v3", {"schemas/é customer.avsc": SCHEMA.replace("long", "string")})
    history = GitRepo(repo.root).history(fourth, "schemas/é customer.avsc")
    assert history == [
        (fourth, "schemas/é customer.avsc"),
        (third, "schemas/é customer.avsc"),
        (second, "old/a.avsc"),
        (first, "old/a.avsc"),
    ]
    contents = GitRepo(repo.root).read_objects(history)
    assert contents[2] == SCHEMA.replace("long", "int").encode()


def test_match_glob_semantics() -> None:
    assert match_glob("schemas/events/click.avsc", "schemas/events/**")
    assert match_glob("a/b/c.avsc", "*.avsc")
    assert match_glob("c.avsc", "**/*.avsc")
    assert not match_glob("other/c.avsc", "schemas/*.avsc")
    assert match_glob("tests/unit/x.py", "tests/")


# -- base commits: shallow clones and GitHub events ----------------------------------------------------------
@pytest.fixture
def shallow_clone(make_repo: Callable[..., Repo], tmp_path: Path) -> tuple[Path, str, str]:
    """A shallow (depth 1) clone of an origin with two commits: (clone, base sha, head sha)."""
    origin = make_repo("origin-src")
    base = origin.commit("base", {"s/a.avsc": SCHEMA})
    head = origin.commit("head", {"s/a.avsc": SCHEMA.replace("long", "int")})
    _git(tmp_path, "clone", "-q", "--bare", str(origin.root), "origin.git")
    _git(tmp_path, "clone", "-q", "--depth=1", f"file://{tmp_path / 'origin.git'}", "clone")
    return tmp_path / "clone", base, head


def test_ensure_commit_fetches_just_the_missing_base_in_a_shallow_clone(shallow_clone) -> None:  # type: ignore[no-untyped-def]
    clone, base, head = shallow_clone
    git = GitRepo(clone)
    assert git.is_shallow() and not git.has_commit(base)
    said: list[str] = []
    git.ensure_commit(base, log=said.append)
    assert git.has_commit(base)
    assert said and "fetching just that commit" in said[0] and base[:12] in said[0]
    assert git.is_shallow(), "the clone must stay shallow: only the base commit is fetched"
    assert [c.path for c in git.changed_files(base, head)] == ["s/a.avsc"]


def test_ensure_commit_unfetchable_base_says_fetch_depth_0(shallow_clone) -> None:  # type: ignore[no-untyped-def]
    clone, _base, _head = shallow_clone
    with pytest.raises(GitError, match="fetch-depth: 0"):
        GitRepo(clone).ensure_commit("1" * 40, log=lambda _m: None)


def test_full_clone_is_never_deepened_or_fetched(repo: Repo) -> None:
    repo.commit("only", {"a.txt": "a"})
    git = GitRepo(repo.root)
    said: list[str] = []
    with pytest.raises(GitError, match="fetch-depth: 0"):
        git.ensure_commit("2" * 40, log=said.append)
    assert said == [] and not git.is_shallow()


def test_resolve_base_reads_the_pr_base_from_the_github_event(shallow_clone, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    clone, base, _head = shallow_clone
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"pull_request": {"base": {"sha": base}, "number": 7}}))
    env = {"GITHUB_ACTIONS": "true", "GITHUB_EVENT_PATH": str(event)}
    assert resolve_base(GitRepo(clone), None, env) == base
    # An explicit --base wins over the event; outside Actions the default is HEAD.
    head_sha = GitRepo(clone).resolve("HEAD")
    assert resolve_base(GitRepo(clone), "HEAD", env) == head_sha
    assert resolve_base(GitRepo(clone), None, {"GITHUB_EVENT_PATH": str(event)}) == head_sha


def test_resolve_base_push_event_falls_back_to_head(repo: Repo, tmp_path: Path) -> None:
    sha = repo.commit("c", {"a.txt": "a"})
    event = tmp_path / "push.json"
    event.write_text(json.dumps({"ref": "refs/heads/main", "before": "0" * 40}))
    env = {"GITHUB_ACTIONS": "true", "GITHUB_EVENT_PATH": str(event)}
    assert resolve_base(GitRepo(repo.root), None, env) == sha


def test_unknown_base_ref_is_a_git_error_with_the_fix(repo: Repo) -> None:
    repo.commit("c", {"a.txt": "a"})
    with pytest.raises(GitError, match="fetch-depth: 0"):
        resolve_base(GitRepo(repo.root), "origin/nope", {})
