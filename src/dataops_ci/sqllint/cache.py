"""The lint cache: one JSON file per (file content, effective sqlfluff config, sqlfluff version).

The effective config is a function of the config files sqlfluff reads for a file (every ancestor
directory's `.sqlfluff`, `setup.cfg`, `tox.ini`, `pep8.ini`, `pyproject.toml`, `.sqlfluffignore`, plus the
user's home and app-dir config) and of the overrides dataops-ci passes (default dialect, templater
fallback). Hashing those inputs instead of asking sqlfluff for the merged config means a warm run never
imports sqlfluff at all. The files those configs' Jinja settings name (macro folders, include paths, a
library: `template_inputs`) and a dbt project's macros and packages (`dbt_files`) are in the key too.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

from dataops_ci.sqllint.template_inputs import digest_folders, named_folders

CACHE_FORMAT = "sql-lint-v2"
CONFIG_FILE_NAMES = (".sqlfluff", "setup.cfg", "tox.ini", "pep8.ini", "pyproject.toml", ".sqlfluffignore")
CACHE_DIR_ENV = "DATAOPS_CI_CACHE_DIR"


def cache_root(env: Mapping[str, str] | None = None) -> Path:
    """$DATAOPS_CI_CACHE_DIR, else $XDG_CACHE_HOME/dataops-ci, else ~/.cache/dataops-ci.

    Outside the repository on purpose: a cache dir inside the working tree would show up as untracked
    (changed) files in working-tree runs."""
    env = os.environ if env is None else env
    if env.get(CACHE_DIR_ENV):
        return Path(env[CACHE_DIR_ENV])
    xdg = env.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "dataops-ci"


def sqlfluff_version() -> str:
    try:
        return metadata.version("sqlfluff")
    except metadata.PackageNotFoundError:
        return "absent"


@lru_cache(maxsize=4096)
def _dir_config_digest(directory: str, root: str) -> str:
    """Hash of the sqlfluff config files in one directory and of the files their Jinja settings name
    (empty string when there are no config files)."""
    digest = hashlib.sha256()
    found = False
    for name in CONFIG_FILE_NAMES:
        try:
            data = (Path(directory) / name).read_bytes()
        except OSError:
            continue
        found = True
        digest.update(f"{name}\0{len(data)}\0".encode())
        digest.update(data)
        text = data.decode("utf-8", errors="replace")
        folders = named_folders(text, Path(directory), Path(root))
        digest.update(digest_folders(folders, Path(root)).encode())
    return digest.hexdigest() if found else ""


def config_fingerprint(file_path: Path, root: Path) -> str:
    """Hash of every config input sqlfluff could read for `file_path` (ancestors, home, app dir).

    Folders inside the repository are named relative to its root, so checkouts at different places
    (CI runners, developers) share cache entries."""
    parts: list[str] = []
    directories = [file_path.parent, *file_path.parent.parents]
    directories += [Path.home(), Path.home() / ".config" / "sqlfluff"]
    for directory in directories:
        digest = _dir_config_digest(str(directory), str(root))
        if digest:
            name = (
                directory.relative_to(root).as_posix() if directory.is_relative_to(root) else str(directory)
            )
            parts.append(f"{name}={digest}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def clear_fingerprint_memo() -> None:
    """Forget memoised directory hashes (config files may have changed since the last run)."""
    _dir_config_digest.cache_clear()


def cache_key(rel_path: str, content: bytes, fingerprint: str, settings: Mapping[str, Any]) -> str:
    digest = hashlib.sha256()
    header = {"format": CACHE_FORMAT, "sqlfluff": sqlfluff_version(), "path": rel_path, **settings}
    digest.update(json.dumps(header, sort_keys=True).encode())
    digest.update(fingerprint.encode())
    digest.update(content)
    return digest.hexdigest()


class LintCache:
    """Results stored as `<root>/<folder>/<key[:2]>/<key>.json`; unreadable entries count as misses. Also
    the store of the lineage parse cache (`lineage.cache.ParseCache`, folder `lineage`)."""

    def __init__(self, root: Path | None, folder: str = "sql-lint") -> None:
        self.directory = root / folder if root is not None else None

    def _path(self, key: str) -> Path | None:
        return self.directory / key[:2] / f"{key}.json" if self.directory is not None else None

    def get(self, key: str) -> dict[str, Any] | None:
        path = self._path(key)
        if path is None:
            return None
        try:
            loaded = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return loaded if isinstance(loaded, dict) else None

    def put(self, key: str, result: Mapping[str, Any]) -> None:
        path = self._path(key)
        if path is None:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            # Write then rename so a concurrent reader never sees half a file.
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(json.dumps(result), encoding="utf-8")
            tmp.replace(path)
        except OSError:
            pass  # a cache that cannot be written only costs speed
