"""What the blast-radius modules share: messages, rule names, the consumer count."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from dataops_ci.words import plural

if TYPE_CHECKING:
    pass


NO_CONSUMER = "no consumer found in this repository"


BREAKING_COLUMN_CHANGES = {
    "removed": "sql-column-removed-but-used",
    "type changed": "sql-column-type-changed",
}


APPROVE_HINT = (
    "if the break is intended, approve it with the PR label, or in dataops-ci.yml under `lineage: {allow: "
    "[{rule: ..., path: ..., reason: ..., expires: ...}]}`; otherwise keep the column or update the consumer"
)


def _count(consumers: Sequence[dict[str, Any]]) -> str:
    direct = sum(1 for c in consumers if c["depth"] == 1)
    kinds: dict[str, int] = {}
    for c in consumers:
        kinds[c["kind"]] = kinds.get(c["kind"], 0) + 1
    parts = ", ".join(f"{n} {k}{'' if n == 1 else 's'}" for k, n in sorted(kinds.items()))
    return f"{plural(len(consumers), 'consumer')}, {direct} direct ({parts})"
