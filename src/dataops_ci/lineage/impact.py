"""Who a change reaches: the consumers of a schema field or a model column (transitively, with depth and
where), and what changed in a model's output columns between two revisions."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from dataops_ci.lineage.model import ALL, Graph, Hit, Node, node_id

MAX_CONSUMERS = 200  # per change: a huge fan-out is summarised, never walked forever


def consumer(graph: Graph, hit: Hit) -> dict[str, Any]:
    node = graph.nodes.get(hit.node) or Node(hit.node, hit.node.partition(":")[0], hit.node.partition(":")[2])
    entry: dict[str, Any] = {
        "id": node.id,
        "kind": node.kind,
        "name": node.name,
        "file": hit.file or node.file,
        "line": hit.line,
        "column": hit.column if hit.column not in (None, ALL, "?") else None,
        "uses": hit.via_col if hit.via_col not in (ALL, "?") else None,
        "depth": hit.depth,
        "via": hit.via,
        "owners": list(node.owners),
        "notify": list(node.notify),
    }
    if node.unknown:
        entry["unknown"] = node.unknown
    return {k: v for k, v in entry.items() if v not in (None, [])}


def _entries(graph: Graph, hits: Iterable[Hit]) -> list[dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for hit in hits:
        known = out.get(hit.node)
        if known is None and len(out) < MAX_CONSUMERS:
            out[hit.node] = consumer(graph, hit)
        elif known is not None and "uses" not in known and known["depth"] == hit.depth:
            out[hit.node] = consumer(graph, hit)  # one entry per consumer: the nearest use naming a column
    return list(out.values())


def carriers(graphs: Iterable[Graph], schema_file: str) -> list[str]:
    """The tables and datasets a schema is linked to, at either revision."""
    schema = node_id("schema", schema_file)
    found: dict[str, None] = {}
    for graph in graphs:
        found.update({u.dst: None for u in graph.outgoing(schema)})
    return list(found)


def schema_consumers(head: Graph, base: Graph, schema_file: str, field: str | None) -> list[dict[str, Any]]:
    """Everything that reads `field` of the schema (None: any of it), or the records it describes."""
    schema = node_id("schema", schema_file)
    hits: list[Hit] = []
    for target in carriers((head, base), schema_file):
        hits.append(Hit(target, field, 1, schema, field or ALL, None, None))
        for hit in head.downstream(target, field):
            hits.append(Hit(hit.node, hit.column, hit.depth + 1, hit.via, hit.via_col, hit.file, hit.line))
    hits.sort(key=lambda h: h.depth)
    return _entries(head if head.nodes else base, hits)


def column_consumers(graph: Graph, model: str, column: str | None) -> list[dict[str, Any]]:
    return _entries(graph, graph.downstream(node_id("model", model), column))


def classify(base: Node | None, head: Node | None) -> list[dict[str, Any]]:
    """Column changes of one model: removed, type changed, added, logic changed (from the traced output
    columns at both revisions). A side whose columns are unknown gives no column changes."""
    if base is None or head is None or base.unknown or head.unknown:
        return []
    changes: list[dict[str, Any]] = []
    for name, old in base.columns.items():
        new = head.columns.get(name)
        if new is None:
            changes.append({"column": name, "change": "removed", "old_type": old.get("type")})
        elif old.get("type") and new.get("type") and old["type"] != new["type"]:
            changes.append(
                {"column": name, "change": "type changed", "old_type": old["type"], "new_type": new["type"]}
            )
        elif old.get("expr") != new.get("expr"):
            changes.append(
                {"column": name, "change": "logic changed", "old": old.get("expr"), "new": new.get("expr")}
            )
    for name, new in head.columns.items():
        if name not in base.columns:
            changes.append({"column": name, "change": "added", "new_type": new.get("type")})
    return changes


def owners_of(entries: Iterable[dict[str, Any]]) -> tuple[list[str], list[str]]:
    owners: dict[str, None] = {}
    notify: dict[str, None] = {}
    for entry in entries:
        owners.update(dict.fromkeys(entry.get("owners", [])))
        notify.update(dict.fromkeys(entry.get("notify", [])))
    return list(owners), [n for n in notify if n not in owners]
