"""Input caps: how much of any input a run reads, checked before reading.

Every reader of PR content (schemas, pipeline definitions, suites, data, SQL, test output) asks a `Cap`
first. An input over its cap is not read; the reader reports a `cannot-*` finding whose message names the
cap and whose hint names the config key that raises it, so a run stays bounded in memory and time and
nothing is dropped silently.

A foundation: imports only the standard library and `dataops_ci.report`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from dataops_ci.report import Finding, Severity


@dataclass(frozen=True)
class Overrun:
    """An input over its cap: what to say, and what to do about it."""

    message: str
    hint: str

    def finding(self, rule: str, file: str | None, severity: Severity = "error") -> Finding:
        return Finding(severity, rule, self.message, file=file, hint=self.hint)


@dataclass(frozen=True)
class Cap:
    """A limit on one kind of input, and the config key (`section.key`) that sets it."""

    key: str
    limit: int
    unit: str = "bytes"

    def check(self, subject: str, amount: int, at_least: bool = False) -> Overrun | None:
        """None when `amount` is within the cap; else why `subject` was not read. `at_least`: counting
        stopped at the cap, so `amount` is a lower bound."""
        if amount <= self.limit:
            return None
        more = "more than " if at_least else ""
        return Overrun(
            f"{subject} has {more}{amount:,} {self.unit}, over the cap of {self.limit:,} {self.unit} "
            f"({self.key}); it was not read",
            f"raise {self.key} in dataops-ci.yml if it is really meant to be this large",
        )

    def over(self, sizes: Mapping[str, int]) -> dict[str, Overrun]:
        """The paths of `sizes` (path -> amount) over the cap, each with why it was not read."""
        return {path: over for path, size in sizes.items() if (over := self.check(path, size)) is not None}


def disk_size(path: Path) -> int:
    """Bytes of a file, or of every file under a directory (a partitioned dataset); symlinks not followed."""
    if not path.is_dir():
        return path.stat().st_size
    total = 0
    for dirpath, _, names in os.walk(path):
        for name in names:
            total += os.lstat(os.path.join(dirpath, name)).st_size
    return total
