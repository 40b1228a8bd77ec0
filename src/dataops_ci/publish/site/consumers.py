"""Who reads each schema field, from the lineage graph (lineage/, the `lineage` extra): the models, suites,
pipelines and exposures downstream of it, transitively, with where they use it. Without the extra, or when
the graph cannot be built, the schema pages say so instead of claiming nobody uses a field."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from dataops_ci.config import Config
from dataops_ci.git import GitRepo
from dataops_ci.publish.site.model import ConsumerRow, SchemaPage

MAX_PER_SCHEMA = 100


def graph_or_reason(repo: GitRepo, config: Config) -> tuple[Any, str]:
    """(the working tree's lineage graph, "") or (None, why there is none)."""
    try:
        from dataops_ci.lineage.build import build_graph
        from dataops_ci.lineage.cache import ParseCache, cache_root
    except ImportError:
        return (
            None,
            "install the lineage extra (pip install 'dataops-ci[lineage]') to see who uses each field",
        )
    try:
        cache = ParseCache(cache_root() if config.lineage.cache else None)
        return build_graph(repo, None, config, cache), ""
    except Exception as exc:  # a graph that cannot be built must not stop the docs
        return None, f"the lineage graph could not be built: {type(exc).__name__}: {str(exc)[:200]}"


def consumers(graph: Any, page: SchemaPage) -> tuple[ConsumerRow, ...]:
    from dataops_ci.lineage.model import node_id

    node = node_id("schema", page.file)
    if node not in graph.nodes:
        return ()
    fields: Sequence[str] = [f.name for f in page.types[0].fields] if page.types else []
    rows: list[ConsumerRow] = []
    seen: set[tuple[str, str, str]] = set()  # one row per field and consumer: its first (nearest) use
    for name in fields:
        for hit in graph.downstream(node, name):
            target = graph.nodes.get(hit.node)
            where = f"{hit.file}:{hit.line}" if hit.file and hit.line else (hit.file or "")
            label = target.name if target is not None else hit.node
            kind = target.kind if target is not None else ""
            column = f".{hit.column}" if hit.column and hit.column not in ("*", "?") else ""
            if (name, f"{label}{column}", kind) in seen:
                continue
            seen.add((name, f"{label}{column}", kind))
            rows.append(ConsumerRow(name, f"{label}{column}", kind, where, hit.depth))
            if len(rows) >= MAX_PER_SCHEMA:
                return tuple(rows)
    return tuple(rows)
