"""What a check is given: the repository, config, revisions and the files that changed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from dataops_ci.git import ChangedFile, GitRepo, matches_any

if TYPE_CHECKING:
    from dataops_ci.config import Config  # annotations only: no pydantic at import


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class CheckContext:
    repo: GitRepo
    config: Config
    base: str  # commit SHA
    head: str | None  # commit SHA, or None for the working tree
    changed: tuple[ChangedFile, ...]
    all_files: bool = False
    files: tuple[str, ...] | None = None  # explicit FILES given on the command line (pre-commit)
    options: dict[str, Any] = field(default_factory=dict)  # check-specific CLI options
    clock: Callable[[], dt.datetime] = _utcnow  # injectable for freshness tests
    log: Callable[[str], None] = print

    def changed_paths(self) -> set[str]:
        """Every path touched by the change, at base or head."""
        paths = {c.path for c in self.changed}
        paths.update(c.old_path for c in self.changed if c.old_path)
        return paths

    def changed_matching(self, patterns: Sequence[str]) -> list[ChangedFile]:
        return [
            c
            for c in self.changed
            if matches_any(c.path, patterns) or (c.old_path is not None and matches_any(c.old_path, patterns))
        ]

    def selected(self, patterns: Sequence[str]) -> list[str]:
        """Head paths this check should look at: explicit files, everything (--all-files), or the changed."""
        if self.files is not None:
            return [p for p in self.files if matches_any(p, patterns)]
        if self.all_files:
            return self.repo.list_files(self.head, patterns)
        return [c.path for c in self.changed_matching(patterns) if not c.deleted]

    def none_matched(self, key: str, patterns: Sequence[str]) -> str:
        """What a check looked for and did not find, for its `skipped` summary:
        `no changed file matches schemas.paths ['**/*.avsc']` (given files, all files, or the change)."""
        scope = "given file" if self.files is not None else "file" if self.all_files else "changed file"
        return f"no {scope} matches {key} {list(patterns)!r}"

    def read_head(self, path: str) -> bytes | None:
        return self.repo.read_file(self.head, path)
