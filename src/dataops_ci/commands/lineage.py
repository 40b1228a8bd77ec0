"""Print the repository's lineage graph, or one column's upstream and downstream (outside PRs too).

    dataops-ci lineage [-C DIR] [--rev REV] [--format json|mermaid|dot] [--column NODE.COLUMN]

`--rev` absent means the working tree. `--column` names a model, table, dataset or schema and a column of it
(`customer_segments.top_customer_id`, `raw.customers.email`, `schemas/customer.avsc.email`).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

FORMATS = ("json", "mermaid", "dot")
KIND_ORDER = ("model", "table", "dataset", "schema", "suite", "pipeline", "exposure", "tests")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-C", dest="directory", default=".", help="run as if started in this directory")
    parser.add_argument("--rev", default=None, help="revision to read (default: the working tree)")
    parser.add_argument("--config", help="config file (default: dataops-ci.yml or pyproject.toml)")
    parser.add_argument("--format", choices=FORMATS, default="json")
    parser.add_argument("--column", help="one column's lineage: NODE.COLUMN (e.g. customer_segments.segment)")


def find_node(graph: Any, dotted: str) -> tuple[str, str]:
    """(node id, column) for NODE.COLUMN: the longest node name (or id) that prefixes it, models first."""
    from dataops_ci import cli

    best: tuple[tuple[int, int], str, str] | None = None
    for node in graph.nodes.values():
        kind = KIND_ORDER.index(node.kind) if node.kind in KIND_ORDER else len(KIND_ORDER)
        for name in {node.name.lower(), node.id.lower()}:
            if dotted.startswith(name + ".") and (best is None or (-len(name), kind) < best[0]):
                best = ((-len(name), kind), node.id, dotted[len(name) + 1 :])
    if best is None:
        raise cli.UsageError(
            f"no model, table, dataset or schema in the lineage graph is named by {dotted!r}"
        )
    return best[1], best[2]


def main(args: argparse.Namespace) -> int:
    from dataops_ci import cli
    from dataops_ci.config import load_config
    from dataops_ci.git import GitRepo
    from dataops_ci.lineage.build import build_graph
    from dataops_ci.lineage.cache import ParseCache, cache_root

    repo = GitRepo.discover(Path(args.directory))
    config = load_config(repo.root, args.config)
    rev = repo.resolve(args.rev) if args.rev else None
    graph = build_graph(repo, rev, config, ParseCache(cache_root() if config.lineage.cache else None))
    if args.column:
        node, column = find_node(graph, args.column.lower())
        print(_column_view(graph, node, column, args.format))
    else:
        print(_whole(graph, args.format))
    return cli.EXIT_OK


def _column_view(graph: Any, node: str, column: str, fmt: str) -> str:
    from dataclasses import asdict

    up = _nearest(graph.upstream(node, column))
    down = _nearest(graph.downstream(node, column))
    if fmt == "json":
        view = {"node": node, "column": column, "upstream": [asdict(h) for h in up],
                "downstream": [asdict(h) for h in down]}  # fmt: skip
        return json.dumps(view, indent=2)
    ids = {node, *(h.node for h in up), *(h.node for h in down)}
    nodes = [
        graph.nodes[i].to_dict() if i in graph.nodes else {"id": i, "kind": "", "name": i}
        for i in sorted(ids)
    ]
    edges = [{"src": h.node, "dst": h.via, "src_col": h.column} for h in up]
    edges += [{"src": h.via, "dst": h.node, "src_col": h.via_col} for h in down]
    return _picture(nodes, edges, fmt)


def _nearest(hits: list[Any]) -> list[Any]:
    """One hit per node: the nearest, and one through a named column before one through the whole node."""
    best: dict[str, Any] = {}
    for hit in hits:
        rank = (hit.depth, hit.via_col in ("*", "?"), hit.column in (None, "*", "?"))
        known = best.get(hit.node)
        if known is None or rank < known[0]:
            best[hit.node] = (rank, hit)
    return sorted((h for _, h in best.values()), key=lambda h: h.depth)


def _whole(graph: Any, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(graph.to_dict(), indent=2)
    data = graph.to_dict()
    return _picture(data["nodes"], data["uses"], fmt)


def _picture(nodes: list[dict[str, Any]], uses: list[dict[str, Any]], fmt: str) -> str:
    from dataops_ci.render import graph as dot_render
    from dataops_ci.render import mermaid

    if fmt == "dot":
        return dot_render.dot(nodes, uses)
    return mermaid.graph(nodes, uses)
