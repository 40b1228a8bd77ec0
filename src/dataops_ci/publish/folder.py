"""A data repository that may not be a git checkout (an Airflow worker's DAG folder): the working tree
read as it is, the way the checks read a worktree, without asking git."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from dataops_ci.git import GitError, GitRepo, matches_any

_SKIP_DIRS = {".git", ".venv", "venv", "node_modules", "__pycache__", ".mypy_cache", ".pytest_cache"}


class FolderRepo(GitRepo):
    """GitRepo for a plain folder: only the working tree (revision None) exists."""

    def git(self, *args: str, input: bytes | None = None) -> str:
        raise GitError(f"{self.root} is not a git repository: only its files as they are can be read")

    def list_files(self, rev: str | None, patterns: Sequence[str] | None = None) -> list[str]:
        if rev is not None:
            self.git()
        files = []
        for folder, dirs, names in os.walk(self.root):
            dirs[:] = sorted(d for d in dirs if d not in _SKIP_DIRS)
            base = Path(folder).relative_to(self.root)
            files += [(base / n).as_posix() for n in names]
        files.sort()
        return files if patterns is None else [p for p in files if matches_any(p, patterns)]


def open_repo(root: Path) -> GitRepo:
    """The folder itself, git checkout or not (a data project may be a subfolder of a bigger repository):
    the Python API reads files as they are, never a revision."""
    return FolderRepo(Path(root).resolve())
