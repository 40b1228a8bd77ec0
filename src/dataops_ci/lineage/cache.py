"""The per-file parse cache: one JSON file per (what was parsed, how), like the lint cache.

Keys hash the file's content with everything its result depends on (dialect, macros, the upstream columns
a model was traced against, sqlglot's version), so a PR re-parses only what it changed and what changed
under it. Stored under `<cache root>/lineage/`; `root=None` disables it.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

from dataops_ci.sqllint.cache import cache_root

CACHE_FORMAT = "lineage-v1"

__all__ = ["ParseCache", "cache_root", "cached", "digest"]


@lru_cache(maxsize=1)
def _sqlglot_version() -> str:
    try:
        return metadata.version("sqlglot")
    except metadata.PackageNotFoundError:
        return "absent"


def digest(*parts: Any) -> str:
    sha = hashlib.sha256(f"{CACHE_FORMAT}\0{_sqlglot_version()}".encode())
    for part in parts:
        data = part if isinstance(part, bytes) else json.dumps(part, sort_keys=True, default=str).encode()
        sha.update(len(data).to_bytes(8, "big"))
        sha.update(data)
    return sha.hexdigest()


class ParseCache:
    def __init__(self, root: Path | None) -> None:
        self.directory = root / "lineage" if root is not None else None
        self.hits = 0
        self.misses = 0

    def _path(self, key: str) -> Path | None:
        return self.directory / key[:2] / f"{key}.json" if self.directory is not None else None

    def get(self, key: str) -> dict[str, Any] | None:
        path = self._path(key)
        loaded: Any = None
        if path is not None:
            try:
                loaded = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                loaded = None
        if isinstance(loaded, dict):
            self.hits += 1
            return loaded
        self.misses += 1
        return None

    def put(self, key: str, value: dict[str, Any]) -> None:
        path = self._path(key)
        if path is None:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(json.dumps(value), encoding="utf-8")
            tmp.replace(path)
        except OSError:
            pass  # a cache that cannot be written only costs speed


def cached(cache: ParseCache, key: str, compute: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """The cached value of `key`, else `compute()` stored under it."""
    hit = cache.get(key)
    if hit is not None:
        return hit
    value = compute()
    cache.put(key, value)
    return value
