"""Which schema files the schema-compat check looks at, and under which compatibility mode.

Changed `.avsc` files by default (renames compared old path -> new path), the explicit FILES of a
pre-commit run, or every schema with --all-files (plus the deleted ones, which are findings).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from dataops_ci.context import CheckContext
from dataops_ci.git import ChangedFile, match_glob, matches_any
from dataops_ci.report import Finding

TRANSITIVE_SUFFIX = "_TRANSITIVE"


@dataclass(frozen=True)
class Target:
    """One schema to judge: its head path (None: deleted), its base path (None: added), and the change."""

    path: str | None
    old_path: str | None
    change: str  # added | modified | renamed | deleted | unchanged

    @property
    def file(self) -> str:
        """The path findings and `data.files` name: the head path, or the base path of a deletion."""
        return self.path or self.old_path or ""


@dataclass
class Verdict:
    """The outcome for one target: its `data.files` entry and its findings."""

    entry: dict[str, Any]
    findings: list[Finding] = field(default_factory=list)


def _from_change(change: ChangedFile, patterns: list[str]) -> Target:
    new_is_schema = not change.deleted and matches_any(change.path, patterns)
    old_is_schema = change.old_path is not None and matches_any(change.old_path, patterns)
    if change.deleted or not new_is_schema:
        # Deleted, or moved out of the schema paths: either way consumers lose the schema.
        return Target(None, change.old_path, "deleted")
    if not old_is_schema or change.status == "A":
        return Target(change.path, None, "added")
    return Target(change.path, change.old_path, "renamed" if change.status == "R" else "modified")


def plan_targets(ctx: CheckContext, head_schemas: Iterable[str]) -> list[Target]:
    """The targets of this run, sorted by file. `head_schemas` are all schema paths at head."""
    patterns = ctx.config.schemas.paths
    by_file = {t.file: t for t in (_from_change(c, patterns) for c in ctx.changed_matching(patterns))}
    if ctx.files is not None:
        wanted = {f for f in ctx.files if matches_any(f, patterns)}
        by_file = {f: t for f, t in by_file.items() if f in wanted}
        for path in sorted(wanted - by_file.keys()):
            by_file[path] = Target(path, path, "unchanged")
    elif ctx.all_files:
        for path in head_schemas:
            by_file.setdefault(path, Target(path, path, "unchanged"))
    return [by_file[f] for f in sorted(by_file)]


def mode_for(path: str, default: str, overrides: Mapping[str, str], cli_mode: str | None) -> str:
    """The compatibility mode of one schema file.

    An override naming the exact file wins, then the last matching glob of `schemas.overrides` (later
    entries refine earlier ones, as in .gitattributes), then `--mode`, then `schemas.compatibility`.
    """
    if path in overrides:
        return overrides[path]
    matching = [mode for pattern, mode in overrides.items() if match_glob(path, pattern)]
    if matching:
        return matching[-1]
    return cli_mode or default


def split_mode(mode: str) -> tuple[str, bool]:
    """("FULL", True) for FULL_TRANSITIVE: the pairwise mode, and whether to check every earlier version."""
    if mode.endswith(TRANSITIVE_SUFFIX):
        return mode[: -len(TRANSITIVE_SUFFIX)], True
    return mode, False
