"""The affected part of the lineage graph as a Mermaid flowchart (GitHub renders ```` ```mermaid ````).

Input is blast-radius data (`targets`, each with its `consumers` and the node they were reached `via`), or a
whole graph's nodes and uses (`dataops-ci lineage --format mermaid`). Node ids are ours (`n0`, `n1` ...);
every label goes through `escape.mermaid_label`, so nothing from the repository can add a node, an edge,
a click handler, a directive or HTML. At most `max_nodes` nodes are drawn, then one "and N more".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from dataops_ci.render.escape import mermaid_label

MAX_NODES = 30
STYLES = (
    "classDef changed fill:#ffe0e0,stroke:#c00,stroke-width:2px",
    "classDef unknown stroke-dasharray:5 5",
)
KIND_LABELS = {"schema": "Avro", "table": "table", "dataset": "dataset", "model": "model", "suite": "suite",
               "pipeline": "pipeline", "exposure": "exposure", "tests": "dbt tests"}  # fmt: skip


def _label(kind: str, name: str, extra: str = "") -> str:
    text = f"{KIND_LABELS.get(kind, kind)} {name}" + (f" ({extra})" if extra else "")
    return mermaid_label(text, 80)


class Flowchart:
    def __init__(self, max_nodes: int = MAX_NODES) -> None:
        self.max_nodes = max_nodes
        self.ids: dict[str, str] = {}
        self.lines: list[str] = []
        self.edges: set[tuple[str, str]] = set()
        self.more = 0

    def node(self, key: str, label: str, css: str | None = None) -> str | None:
        if key in self.ids:
            return self.ids[key]
        if len(self.ids) >= self.max_nodes:
            self.more += 1
            return None
        ident = f"n{len(self.ids)}"
        self.ids[key] = ident
        self.lines.append(f'    {ident}["{label}"]' + (f":::{css}" if css else ""))
        return ident

    def edge(self, src: str, dst: str, label: str = "") -> None:
        a, b = self.ids.get(src), self.ids.get(dst)
        if a is None or b is None or (a, b) in self.edges:
            return
        self.edges.add((a, b))
        self.lines.append(f'    {a} -->|"{mermaid_label(label, 40)}"| {b}' if label else f"    {a} --> {b}")

    def text(self) -> str:
        lines = ["flowchart LR", *self.lines]
        if self.more:
            lines.append(f'    more["#8230; and {self.more} more"]')
        return "\n".join(lines + [f"    {s}" for s in STYLES])


def blast_radius(targets: Sequence[Mapping[str, Any]], max_nodes: int = MAX_NODES) -> str:
    chart = Flowchart(max_nodes)
    for target in targets:
        start = str(target.get("start") or "")
        kind = str(target.get("kind") or "")
        chart.node(start, _label(kind, str(target.get("name") or ""), "changed"), "changed")
    for target in targets:
        for entry in _consumers(target):
            css = "unknown" if entry.get("unknown") else None
            chart.node(str(entry.get("id")), _label(str(entry.get("kind")), str(entry.get("name"))), css)
    for target in targets:
        for entry in _consumers(target):
            chart.edge(str(entry.get("via")), str(entry.get("id")), str(entry.get("uses") or ""))
    return chart.text()


def _consumers(target: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    consumers = target.get("consumers")
    return [c for c in consumers if isinstance(c, Mapping)] if isinstance(consumers, list) else []


def graph(nodes: Iterable[Mapping[str, Any]], uses: Iterable[Mapping[str, Any]], max_nodes: int = 500) -> str:
    chart = Flowchart(max_nodes)
    for node in nodes:
        css = "unknown" if node.get("unknown") else None
        chart.node(str(node["id"]), _label(str(node.get("kind")), str(node.get("name"))), css)
    for use in uses:
        chart.edge(str(use["src"]), str(use["dst"]))
    return chart.text()
