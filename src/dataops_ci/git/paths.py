"""Repository paths: the glob rules of the config's `paths:` keys, where a symlink in the tree points, and
the one rule every reader of the working tree follows: a path whose real path leaves the repository is
refused before it is read (`models/env.sql -> /proc/self/environ` would put the runner's secrets into the
report)."""

from __future__ import annotations

import os
import posixpath
from collections.abc import Iterable
from fnmatch import fnmatchcase
from pathlib import Path

MAX_LINK_HOPS = 8


def link_target(path: str, target: str) -> str | None:
    """The repository path a symlink at `path` with link text `target` points to, or None when it leaves
    the repository (absolute, or climbing above the root)."""
    if target.startswith("/"):
        return None
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(path), target))
    if joined == ".." or joined.startswith("../"):
        return None
    return joined


def inside_repo(root: Path, path: str | os.PathLike[str]) -> bool:
    """True when `root / path`, every symlink on the way resolved, is inside `root` (the file itself need not
    exist). Absolute paths, `..` and links out of the repository are all refused; so is a symlink loop."""
    try:
        real = (root / path).resolve()
        return real.is_relative_to(root.resolve())
    except (OSError, RuntimeError, ValueError):  # a loop (RuntimeError before 3.13), a NUL in the path
        return False


def outside_repo_message(path: str) -> str:
    return f"{path} leads outside the repository (a symlink or path whose real path is elsewhere); not read"


OUTSIDE_REPO_HINT = "point the symlink at a file inside the repository, or commit the file itself"


def match_glob(path: str, pattern: str) -> bool:
    """gitignore-like globs: `dir/` is a prefix, `**` spans directories, a pattern without `/` matches
    the file name anywhere (`*.avsc`), one with `/` is anchored at the repository root."""
    if pattern.endswith("/"):
        return path.startswith(pattern)
    if "/" not in pattern:
        return fnmatchcase(path.rsplit("/", 1)[-1], pattern)
    return _full_match(path.split("/"), pattern.strip("/").split("/"))


def _full_match(parts: list[str], pats: list[str]) -> bool:
    if not pats:
        return not parts
    if pats[0] == "**":
        return any(_full_match(parts[i:], pats[1:]) for i in range(len(parts) + 1))
    return bool(parts) and fnmatchcase(parts[0], pats[0]) and _full_match(parts[1:], pats[1:])


def matches_any(path: str, patterns: Iterable[str]) -> bool:
    return any(match_glob(path, p) for p in patterns)
