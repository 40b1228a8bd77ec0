"""The per-file parse cache: one JSON file per (what was parsed, how), like the lint cache.

Keys hash the file's content with everything its result depends on (dialect, macros, the upstream columns
a model was traced against, sqlglot's version), so a PR re-parses only what it changed and what changed
under it. Stored under `<cache root>/lineage/`; `root=None` disables it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

from dataops_ci.sqllint.cache import LintCache, cache_root

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


class ParseCache(LintCache):
    """The lint cache's store in its own folder, counting hits and misses (the blast-radius metrics)."""

    def __init__(self, root: Path | None) -> None:
        super().__init__(root, "lineage")
        self.hits = 0
        self.misses = 0

    def get(self, key: str) -> dict[str, Any] | None:
        loaded = super().get(key)
        if loaded is None:
            self.misses += 1
        else:
            self.hits += 1
        return loaded


def cached(cache: ParseCache, key: str, compute: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """The cached value of `key`, else `compute()` stored under it."""
    hit = cache.get(key)
    if hit is not None:
        return hit
    value = compute()
    cache.put(key, value)
    return value
