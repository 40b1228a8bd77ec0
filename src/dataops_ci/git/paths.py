"""Repository paths: the glob rules of the config's `paths:` keys, and where a symlink in the tree points."""

from __future__ import annotations

import posixpath
from collections.abc import Iterable
from fnmatch import fnmatchcase

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
