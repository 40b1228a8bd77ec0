"""The files a sqlfluff config's Jinja settings point at (macro folders, include paths, a Python library),
as one digest for the lint cache key.

A model that calls a macro lints differently when the macro changes although neither the model nor any
config file did: without these files in the key, a warm run would hand back the old violations. dbt
projects are covered by `dbt_files` (macros and packages); this covers the plain Jinja templater's
`load_macros_from_path`, `loader_search_path` and `library_path`, in any config file sqlfluff reads.
Only folders inside the repository are read; the walk is bounded, and past the bound files count by size
and modification time instead of content (still never stale, just cheaper).
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path
from typing import Any

# `key = a, b` (ini) or `key = "a"` (pyproject.toml), one per line
_PATH_SETTING = re.compile(
    r"^[ \t]*(load_macros_from_path|loader_search_path|library_path)[ \t]*=[ \t]*(.+?)[ \t]*$", re.MULTILINE
)
MAX_FILES = 5_000
MAX_CONTENT_BYTES = 64 * 1024 * 1024  # read and hashed; past it, size and mtime stand in


def named_folders(config_text: str, config_dir: Path, root: Path) -> list[Path]:
    """The folders (or files) the Jinja path settings of one config file name, resolved against the
    config file's folder, that lie inside the repository."""
    found = []
    for _, value in _PATH_SETTING.findall(config_text):
        for part in value.strip("[]").split(","):
            name = part.strip().strip("'\"")
            if not name:
                continue
            target = (config_dir / name).resolve()
            if target.is_relative_to(root) and target not in found:
                found.append(target)
    return found


def digest_folders(folders: list[Path], root: Path) -> str:
    """One digest of every file under `folders` (names relative to the repository root); "" for none."""
    if not folders:
        return ""
    digest = hashlib.sha256()
    budget = {"files": MAX_FILES, "bytes": MAX_CONTENT_BYTES}
    for folder in folders:
        digest.update(f"{folder.relative_to(root).as_posix()}\0".encode())
        for path in _files_under(folder):
            _add(digest, path, root, budget)
    return str(digest.hexdigest())


def _files_under(folder: Path) -> list[Path]:
    if folder.is_file():
        return [folder]
    found: list[Path] = []
    for directory, subdirs, files in os.walk(folder):  # symlinked folders are not followed
        subdirs[:] = sorted(d for d in subdirs if d != "__pycache__" and not d.startswith("."))
        found += [Path(directory) / f for f in sorted(files)]
        if len(found) > 4 * MAX_FILES:
            break
    return found


def _add(digest: Any, path: Path, root: Path, budget: dict[str, int]) -> None:
    try:
        if path.is_symlink():  # its target may be outside the repository: the link itself is what is known
            digest.update(f"{path.relative_to(root).as_posix()}\0->{os.readlink(path)}\0".encode())
            return
        stat = path.stat()
    except OSError:
        return
    digest.update(f"{path.relative_to(root).as_posix()}\0{stat.st_size}\0".encode())
    budget["files"] -= 1
    if budget["files"] < 0 or stat.st_size > budget["bytes"]:
        digest.update(f"{stat.st_mtime_ns}\0".encode())
        return
    try:
        data = path.read_bytes()
    except OSError:
        return
    budget["bytes"] -= len(data)
    digest.update(data)
