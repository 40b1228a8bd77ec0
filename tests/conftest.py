"""Shared fixtures: real git repositories in temp dirs, built from files or case folders."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

CASES = Path(__file__).parent / "cases"
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test Author",
    "GIT_AUTHOR_EMAIL": "author@example.invalid",
    "GIT_COMMITTER_NAME": "Test Author",
    "GIT_COMMITTER_EMAIL": "author@example.invalid",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}


class Repo:
    """A real git repository in a temp dir, with helpers to write files and commit snapshots."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.git("init", "-q", "-b", "main")

    def git(self, *args: str) -> str:
        env = {**os.environ, **GIT_ENV}
        proc = subprocess.run(["git", *args], cwd=self.root, env=env, capture_output=True, text=True)
        if proc.returncode != 0:
            raise AssertionError(f"git {' '.join(args)} failed: {proc.stderr}")
        return proc.stdout

    def write(self, files: Mapping[str, str | bytes]) -> None:
        for rel, content in files.items():
            path = self.root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")

    def remove(self, *paths: str) -> None:
        for rel in paths:
            (self.root / rel).unlink()

    def commit(self, message: str = "commit", files: Mapping[str, str | bytes] | None = None) -> str:
        if files:
            self.write(files)
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", message)
        return self.git("rev-parse", "HEAD").strip()

    def load_snapshot(self, folder: Path) -> None:
        """Replace the working tree (not .git) with the contents of `folder`."""
        for child in self.root.iterdir():
            if child.name != ".git":
                shutil.rmtree(child) if child.is_dir() else child.unlink()
        if folder.exists():
            # copy, not copy2: a fresh mtime. With copied mtimes, a head file of the same size as its
            # base version looks unchanged to `git diff` (it trusts the index's stat data): change missed.
            shutil.copytree(folder, self.root, dirs_exist_ok=True, copy_function=shutil.copy)


@pytest.fixture
def make_repo(tmp_path: Path) -> Callable[..., Repo]:
    counter = iter(range(1000))

    def factory(name: str | None = None) -> Repo:
        root = tmp_path / (name or f"repo{next(counter)}")
        root.mkdir(parents=True)
        return Repo(root)

    return factory


@pytest.fixture
def repo(make_repo: Callable[..., Repo]) -> Repo:
    return make_repo("data-project")


def case_repo(make_repo: Callable[..., Repo], case: Path) -> Repo:
    """A repo whose main commit is `case/base` and whose working tree is `case/head` (uncommitted)."""
    r = make_repo(case.name)
    r.load_snapshot(case / "base")
    r.commit("base")
    r.load_snapshot(case / "head")
    return r
