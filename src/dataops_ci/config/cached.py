"""The config loader the CLI uses: full validation once per config content, then a cached snapshot.

The pre-commit hooks start a fresh process per commit, and importing pydantic and building the models
costs far more than the check itself. So a validated config is stored as a snapshot (see `snapshot`) in the
repository's git dir, keyed by everything the result depends on: the dataops-ci version, the source of this
package (an edited model is a new key), the explicit `--config` argument and the bytes of every file the
loader could read. A hit hands back a read-only view without importing pydantic; anything else (no git dir,
a miss, an unreadable entry) goes through `load.load_config`, the one place that validates, so every error
and warning message is that loader's own. Errors are never cached: a bad config is validated every time.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from dataops_ci import __version__
from dataops_ci.config import snapshot
from dataops_ci.config.names import CONFIG_FILES, MAX_CONFIG_BYTES

if TYPE_CHECKING:
    from dataops_ci.config.model import Config

try:  # SHA-256 without hashlib, which loads OpenSSL first (~3 ms of every hook's start-up); same digests
    from _sha256 import sha256  # CPython 3.11
except ImportError:  # pragma: no cover - 3.12+ named it _sha2; any other Python: hashlib's
    try:
        from _sha2 import sha256
    except ImportError:
        from hashlib import sha256

CACHE_DIR = ("dataops-ci", "config")
KEEP_ENTRIES = 16  # one per config content a repository has had recently; the oldest go first
PACKAGE_DIR = Path(__file__).resolve().parent


def load_config(root: Path, explicit: str | None = None) -> Config:
    """The validated config for the repository at `root` (or the explicit file); cached when possible."""
    cache = _cache_dir(root)
    key = _key(root, explicit) if cache is not None else None
    if cache is not None and key is not None:
        hit = _read(cache / f"{key}.json")
        if hit is not None:
            # A FrozenView has every declared field of Config, recursively, with the same values.
            return cast("Config", hit)
    from dataops_ci.config.load import load_config as validate  # pydantic: only on a miss

    config = validate(root, explicit)
    if cache is not None and key is not None:
        _write(cache, key, snapshot.dump(config))
    return config


def _cache_dir(root: Path) -> Path | None:
    """<git dir>/dataops-ci/config; a worktree's `.git` file names its own git dir."""
    dot_git = root / ".git"
    if dot_git.is_dir():
        return dot_git.joinpath(*CACHE_DIR)
    try:
        first = dot_git.read_text(encoding="utf-8", errors="replace")[:4096].splitlines()[0]
    except (OSError, IndexError):
        return None
    if not first.startswith("gitdir:"):
        return None
    git_dir = Path(first.removeprefix("gitdir:").strip())
    git_dir = git_dir if git_dir.is_absolute() else root / git_dir
    return git_dir.joinpath(*CACHE_DIR) if git_dir.is_dir() else None


def _key(root: Path, explicit: str | None) -> str | None:
    digest = sha256(f"{__version__}\0{explicit!r}\0{Path.cwd()}\0".encode())
    try:
        for source in sorted(PACKAGE_DIR.glob("*.py")):
            _add_file(digest, source)
        candidates = [root / name for name in (*CONFIG_FILES, "pyproject.toml")]
        if explicit:
            candidates += [Path(explicit), root / explicit]
        for candidate in candidates:
            _add_file(digest, candidate)
    except OSError:
        return None  # something unreadable: let the validating loader say what
    return str(digest.hexdigest())


def _add_file(digest: Any, path: Path) -> None:
    digest.update(f"{path.resolve()}\0".encode())
    if not path.is_file():
        digest.update(b"missing\0")
        return
    if path.stat().st_size > MAX_CONFIG_BYTES:  # not hashed (a 2 GiB file took 15 s): the loader refuses it
        raise OSError(f"{path} is over {MAX_CONFIG_BYTES} bytes")
    digest.update(sha256(path.read_bytes()).digest())


def _read(entry: Path) -> snapshot.FrozenView | None:
    try:
        view = snapshot.load(json.loads(entry.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None
    return view if isinstance(view, snapshot.FrozenView) else None


def _write(cache: Path, key: str, data: object) -> None:
    """Best effort: a read-only git dir just means no cache."""
    try:
        cache.mkdir(parents=True, exist_ok=True)
        partial = cache / f".{key}.{os.getpid()}.tmp"
        partial.write_text(json.dumps(data), encoding="utf-8")
        os.replace(partial, cache / f"{key}.json")
        entries = sorted(cache.glob("*.json"), key=lambda p: p.stat().st_mtime)
        for stale in entries[:-KEEP_ENTRIES]:
            stale.unlink(missing_ok=True)
    except OSError:
        pass
