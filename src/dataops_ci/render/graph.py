"""A lineage graph (or the part of it around one column) as Graphviz DOT; Mermaid is `render/mermaid`.

Node ids are ours (`n0` ...); labels go through `escape.dot_label`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from dataops_ci.render.escape import dot_label


def dot(nodes: Iterable[Mapping[str, Any]], uses: Iterable[Mapping[str, Any]]) -> str:
    ids: dict[str, str] = {}
    lines = ["digraph lineage {", "  rankdir=LR;", "  node [shape=box];"]
    for node in nodes:
        ident = ids.setdefault(str(node["id"]), f"n{len(ids)}")
        style = ", style=dashed" if node.get("unknown") else ""
        label = dot_label(f"{node.get('kind')} {node.get('name')}")
        lines.append(f'  {ident} [label="{label}"{style}];')
    seen: set[tuple[str, str, str]] = set()
    for use in uses:
        a, b = ids.get(str(use["src"])), ids.get(str(use["dst"]))
        label = str(use.get("src_col") or "")
        if a is None or b is None or (a, b, label) in seen:
            continue
        seen.add((a, b, label))
        lines.append(f'  {a} -> {b} [label="{dot_label(label, 60)}"];')
    return "\n".join([*lines, "}"])
