"""blast-radius: for each breaking schema change and each changed SQL model, who uses it downstream.

Builds the lineage graph at base and head (lineage/, cached by content), lists the consumers of every
breaking Avro change (found as schema-compat finds them) and classifies every changed model's output
columns: a removed or retyped column that a model, suite or pipeline still uses is an error at the
consumer's location, approvable like a schema break (`lineage.allow`, or the approval label).
Module level is stdlib + core: sqlglot is imported when the graph is built.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any

from dataops_ci.checks.schema_compat.allow import apply_approvals, useless_approvals
from dataops_ci.context import CheckContext
from dataops_ci.report import CheckResult, Finding, status_from_findings

if TYPE_CHECKING:
    from dataops_ci.lineage.model import Graph

NAME = "blast-radius"
NO_CONSUMER = "no consumer found in this repository"
BREAKING_COLUMN_CHANGES = {
    "removed": "sql-column-removed-but-used",
    "type changed": "sql-column-type-changed",
}
APPROVE_HINT = (
    "if the break is intended, approve it with the PR label, or in dataops-ci.yml under `lineage: {allow: "
    "[{rule: ..., path: ..., reason: ..., expires: ...}]}`; otherwise keep the column or update the consumer"
)


def applies(ctx: CheckContext) -> bool:
    patterns = [*ctx.config.schemas.paths, *ctx.config.sql.paths]
    return ctx.all_files or bool(ctx.changed_matching(patterns))


def run(ctx: CheckContext) -> CheckResult:
    from dataops_ci.lineage.build import build_graph
    from dataops_ci.lineage.cache import ParseCache, cache_root

    cache = ParseCache(cache_root() if ctx.config.lineage.cache else None)
    head = build_graph(ctx.repo, ctx.head, ctx.config, cache)
    base = build_graph(ctx.repo, ctx.base, ctx.config, cache)
    targets: list[dict[str, Any]] = []
    findings: list[Finding] = []
    for target, found in schema_targets(ctx, head, base):
        targets.append(target)
        findings += found
    for target, found in model_targets(ctx, head, base):
        targets.append(target)
        findings += found
    findings += [_note_finding(n) for n in head.notes]
    findings = apply_approvals(findings, ctx.config.lineage.allow, ctx.clock().date(), "lineage.allow")
    findings += useless_approvals(ctx.config.lineage.allow, "lineage.allow")
    metrics = {
        "targets": len(targets),
        "consumers": sum(len(t["consumers"]) for t in targets),
        "nodes": len(head.nodes),
        "uses": len(head.uses),
        "models": head.stats.get("models", 0),
        "parsed": cache.misses,
        "from_cache": cache.hits,
        "breaking_uses": sum(1 for f in findings if f.rule in BREAKING_COLUMN_CHANGES.values()),
    }
    return CheckResult(
        NAME,
        status_from_findings(findings),
        summarize(targets, findings),
        metrics=metrics,
        data={"targets": targets},
        findings=tuple(findings),
    )


def _note_finding(note: dict[str, Any]) -> Finding:
    return Finding("notice", note["rule"], note["message"], note.get("file"), hint=note.get("hint"))


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


def _count(consumers: Sequence[dict[str, Any]]) -> str:
    direct = sum(1 for c in consumers if c["depth"] == 1)
    kinds: dict[str, int] = {}
    for c in consumers:
        kinds[c["kind"]] = kinds.get(c["kind"], 0) + 1
    parts = ", ".join(f"{n} {k}{'' if n == 1 else 's'}" for k, n in sorted(kinds.items()))
    return f"{len(consumers)} consumer(s), {direct} direct ({parts})"


def _model_name(path: str) -> str:
    return PurePosixPath(path).stem.lower()


def changed_models(ctx: CheckContext) -> list[tuple[str | None, str | None]]:
    """(base model name, head model name) of every changed SQL model (None: added or deleted)."""
    from dataops_ci.lineage.build import is_macro

    pairs = []
    for change in ctx.changed_matching(ctx.config.sql.paths):
        if is_macro(change.path):
            continue
        old = change.old_path or change.path
        base = None if change.status == "A" else _model_name(old)
        pairs.append((base, None if change.deleted else _model_name(change.path)))
    return pairs


def model_targets(ctx: CheckContext, head: Graph, base: Graph) -> list[tuple[dict[str, Any], list[Finding]]]:
    from dataops_ci.lineage.impact import classify, column_consumers, owners_of

    out = []
    for old, new in changed_models(ctx):
        name = new or old or ""
        before = base.nodes.get(f"model:{old}") if old else None
        after = head.nodes.get(f"model:{new}") if new else None
        after = after if after is not None and after.file else None  # dbt YAML alone is not the model
        changes = classify(before, after) if before and after else []
        consumers = column_consumers(head, name, None)
        findings: list[Finding] = []
        if after is None and before is not None:
            changes = [{"column": "*", "change": "model removed"}]
            consumers = _readers_of_removed(head, name)
            findings += _removed_model(before, consumers)
        for change in changes:
            rule = BREAKING_COLUMN_CHANGES.get(change["change"])
            if rule:
                users = [u for u in column_consumers(head, name, change["column"]) if _names(u, change)]
                change["used_by"] = len(users)
                findings += [_break(rule, name, change, user) for user in users]
        node = after or before
        findings += _unknown(name, node.file if node else None, before, after)
        owners, notify = owners_of(consumers)
        findings.append(_model_notice(name, node.file if node else None, changes, consumers, owners, notify))
        target = {
            "kind": "model",
            "name": name,
            "file": node.file if node else None,
            "start": f"model:{name}",
            "change": "added" if before is None else "removed" if after is None else "changed",
            "columns": changes,
            "consumers": consumers,
            "owners": owners,
            "notify": notify,
        }
        out.append((target, findings))
    return out


def _names(user: dict[str, Any], change: dict[str, Any]) -> bool:
    """A direct consumer that names the column (not one that reads the whole model)."""
    return bool(user["depth"] == 1 and user.get("uses") == change["column"])


def _model_notice(
    name: str,
    file: str | None,
    changes: list[dict[str, Any]],
    consumers: list[dict[str, Any]],
    owners: list[str],
    notify: list[str],
) -> Finding:
    what = "; ".join(f"column {c['change']}: {c['column']}" for c in changes) or "no output column changed"
    used = f"used by {_count(consumers)}" if consumers else NO_CONSUMER
    data = {"owner": owners, "notify": notify, "consumers": len(consumers), "columns": changes}
    return Finding("notice", "sql-model-change", f"{name}: {what}; {used}", file, path=name, data=data)


def _break(rule: str, model: str, change: dict[str, Any], user: dict[str, Any]) -> Finding:
    column = change["column"]
    what = (
        "removed"
        if change["change"] == "removed"
        else (f"changes type ({change.get('old_type')} → {change.get('new_type')})")
    )
    message = f"{model}.{column} {what} in this change, but {user['kind']} {user['name']} uses it"
    data = {
        "breaks": "downstream",
        "model": model,
        "column": column,
        "consumer": user["id"],
        "owner": user.get("owners", []),
        "notify": user.get("notify", []),
    }
    if user["kind"] == "pipeline":
        data["pipeline"] = user["name"]
    return Finding(
        "error",
        rule,
        message,
        user.get("file"),
        user.get("line"),
        f"{model}.{column}",
        APPROVE_HINT,
        data=data,
    )


def _readers_of_removed(head: Graph, name: str) -> list[dict[str, Any]]:
    """Who still reads a removed model: by its model id (dbt YAML, exposures) or as a plain table now."""
    from dataops_ci.lineage.impact import consumer

    starts = [f"model:{name}"] + [
        n for n in head.nodes if n.startswith("table:") and n.rsplit(".", 1)[-1] in (name, f"table:{name}")
    ]
    found: dict[str, dict[str, Any]] = {}
    for start in starts:
        for hit in head.downstream(start, None):
            found.setdefault(hit.node, consumer(head, hit))
    return list(found.values())


def _removed_model(before: Any, consumers: list[dict[str, Any]]) -> list[Finding]:
    return [
        Finding(
            "error",
            "sql-model-removed-but-used",
            f"model {before.name} is removed in this change, but {c['kind']} {c['name']} reads it",
            c.get("file"),
            c.get("line"),
            before.name,
            APPROVE_HINT,
            data={
                "breaks": "downstream",
                "model": before.name,
                "consumer": c["id"],
                "owner": c.get("owners", []),
            },
        )
        for c in consumers
        if c["depth"] == 1
    ]


def _unknown(name: str, file: str | None, before: Any, after: Any) -> list[Finding]:
    side = [(s, n) for s, n in (("base", before), ("head", after)) if n is not None and n.unknown]
    return [
        Finding(
            "warning",
            "cannot-trace-sql-model",
            f"{name} at {s}: {n.unknown}",
            file,
            hint="name the columns instead of SELECT *, or declare the upstream's columns (a dbt schema.yml, "
            "or a `lineage:` link to its Avro schema)",
        )
        for s, n in side
    ]


def summarize(targets: Sequence[dict[str, Any]], findings: Sequence[Finding]) -> str:
    schemas = [t for t in targets if t["kind"] == "schema"]
    models = [t for t in targets if t["kind"] == "model"]
    breaks = sum(1 for f in findings if f.data.get("breaks") == "downstream" and f.severity == "error")
    parts = []
    if schemas:
        used = sum(1 for t in schemas if t["consumers"])
        parts.append(f"{len(schemas)} breaking schema change(s), {used} with consumers in this repository")
    if models:
        parts.append(f"{len(models)} changed SQL model(s)")
    if breaks:
        parts.append(f"{breaks} downstream use(s) of removed or retyped columns")
    return "; ".join(parts) if parts else "no breaking schema change or changed SQL model to trace"
