"""One file to lint, as handed to a worker: picklable, and the unit the lint cache is keyed by."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LintJob:
    rel_path: str
    abs_path: str
    text: str
    default_dialect: str
    templater_fallback: str | None
    # The dbt project the file belongs to (its root, absolute): linted with dbt's context when dbt
    # itself cannot template it.
    dbt_root: str | None = None
