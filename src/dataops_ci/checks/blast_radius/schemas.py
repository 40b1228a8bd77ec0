"""Breaking schema changes (as schema-compat finds them) and everything that reads the field."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from dataops_ci.context import CheckContext
from dataops_ci.report import Finding

if TYPE_CHECKING:
    from dataops_ci.lineage.model import Graph

from dataops_ci.checks.blast_radius.common import NO_CONSUMER, _count


def _schema_breaks(ctx: CheckContext) -> list[Finding]:
    from dataops_ci.checks import schema_compat

    if not schema_compat.applies(ctx):
        return []
    result = schema_compat.run(ctx)
    return [
        f for f in result.findings if f.data.get("breaks") and (f.severity == "error" or "approved" in f.data)
    ]


def field_of(path: str | None) -> str | None:
    """The top-level field a schema finding's path is about (`Customer.address.street` -> `address`)."""
    parts = [p for p in re.split(r"[.\[\]]", path or "") if p]
    return parts[1] if len(parts) > 1 else None


def schema_targets(ctx: CheckContext, head: Graph, base: Graph) -> list[tuple[dict[str, Any], list[Finding]]]:
    from dataops_ci.lineage.impact import owners_of, schema_consumers

    out = []
    for finding in _schema_breaks(ctx):
        file = finding.file or str(finding.data.get("old_file") or "")
        field = field_of(finding.path)
        consumers = schema_consumers(head, base, file, field)
        owners, notify = owners_of(consumers)
        name = finding.path or file
        target = {
            "kind": "schema",
            "name": name,
            "file": file,
            "line": finding.line,
            "start": f"schema:{file}",
            "change": finding.rule,
            "consumers": consumers,
            "owners": owners,
            "notify": notify,
        }
        message = f"{name} ({finding.rule}): " + (
            f"used by {_count(consumers)}" if consumers else NO_CONSUMER
        )
        data = {"owner": owners, "notify": notify, "consumers": len(consumers)}
        rule = "schema-change-consumers" if consumers else "no-consumer-found"
        out.append((target, [Finding("notice", rule, message, file, finding.line, name, data=data)]))
    return out
