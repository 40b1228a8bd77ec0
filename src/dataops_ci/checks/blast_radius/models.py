"""Changed SQL models: output columns at base and head, and the consumers of what was removed or retyped."""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any

from dataops_ci.context import CheckContext
from dataops_ci.report import Finding

if TYPE_CHECKING:
    from dataops_ci.lineage.model import Graph

from dataops_ci.checks.blast_radius.common import APPROVE_HINT, BREAKING_COLUMN_CHANGES, NO_CONSUMER, _count


def _model_name(path: str) -> str:
    return PurePosixPath(path).stem.lower()


def changed_models(ctx: CheckContext, head: Graph, base: Graph) -> list[tuple[str | None, str | None, bool]]:
    """(base model name, head model name, reached through a macro) of every changed SQL model (None: added
    or deleted), and of every unchanged model a changed macro reached."""
    from dataops_ci.lineage.build import is_macro

    pairs: list[tuple[str | None, str | None, bool]] = []
    macros = False
    for change in ctx.changed_matching(ctx.config.sql.paths):
        if is_macro(change.path):
            macros = True
            continue
        old = change.old_path or change.path
        base_name = None if change.status == "A" else _model_name(old)
        pairs.append((base_name, None if change.deleted else _model_name(change.path), False))
    if macros:
        edited = {name for old, new, _ in pairs for name in (old, new) if name}
        pairs += [(name, name, True) for name in reached_by_macros(head, base, edited)]
    return pairs


def reached_by_macros(head: Graph, base: Graph, edited: set[str]) -> list[str]:
    """Models whose file did not change but whose output columns did, where no upstream model's did too:
    a macro they call changed (a model downstream of those changes only by what it reads, and is their
    consumer, not a change of its own)."""
    from dataops_ci.lineage.impact import classify

    differs = {
        node.id
        for node in head.nodes.values()
        if node.kind == "model" and node.file and classify(base.nodes.get(node.id), node)
    }
    edited_ids = {f"model:{name}" for name in edited}
    return sorted(
        head.nodes[mid].name
        for mid in differs - edited_ids
        if not any(use.src in differs or use.src in edited_ids for use in head.incoming(mid))
    )


def model_targets(ctx: CheckContext, head: Graph, base: Graph) -> list[tuple[dict[str, Any], list[Finding]]]:
    from dataops_ci.lineage.impact import classify, column_consumers, owners_of

    out = []
    for old, new, by_macro in changed_models(ctx, head, base):
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
        if by_macro:  # the model's own file did not change
            target["reached_by"] = "a changed macro"
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
