"""The graph: nodes (what exists), uses (who reads which column of what, and where), traversal."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from typing import Any

ALL = "*"  # a use of the whole node (every column: a row count, SELECT * ...), or "every column" in a query
ANY = "?"  # a use of columns that cannot be named (SELECT * of a relation whose columns are unknown)
UNKNOWN = "lineage unknown past here"


@dataclass
class Node:
    id: str  # "<kind>:<name>"
    kind: str  # schema | table | dataset | model | suite | pipeline | exposure | tests
    name: str
    file: str | None = None
    line: int | None = None
    columns: dict[str, dict[str, Any]] = field(default_factory=dict)  # name -> {"type", "line", "expr"}
    owners: list[str] = field(default_factory=list)
    notify: list[str] = field(default_factory=list)
    unknown: str | None = None  # why lineage cannot be followed past this node (SELECT *, unparsable)

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v not in (None, [], {})}


@dataclass(frozen=True)
class Use:
    src: str  # node id
    src_col: str  # column name, or ALL
    dst: str  # node id of the consumer
    dst_col: str | None  # the consumer's column it feeds (None: a filter, a check, a join key ...)
    file: str | None = None
    line: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}


@dataclass(frozen=True)
class Hit:
    """One consumer reached from a start column: which node, through which column, how far, from where."""

    node: str
    column: str | None
    depth: int
    via: str  # the node it was reached from
    via_col: str
    file: str | None
    line: int | None


@dataclass
class Graph:
    nodes: dict[str, Node] = field(default_factory=dict)
    uses: list[Use] = field(default_factory=list)
    notes: list[dict[str, Any]] = field(default_factory=list)  # {"rule", "message", "file", "hint"}
    stats: dict[str, int] = field(default_factory=dict)  # files parsed, from cache ...
    _out: dict[str, list[Use]] | None = None
    _in: dict[str, list[Use]] | None = None

    def add(self, node: Node) -> Node:
        known = self.nodes.get(node.id)
        if known is None:
            self.nodes[node.id] = node
            return node
        for key in ("file", "line", "unknown"):
            if getattr(known, key) is None:
                setattr(known, key, getattr(node, key))
        for name, info in node.columns.items():
            known.columns.setdefault(name, info)
        known.owners += [o for o in node.owners if o not in known.owners]
        known.notify += [n for n in node.notify if n not in known.notify]
        return known

    def use(self, use: Use) -> None:
        self.uses.append(use)
        if self._out is not None:  # indexes, once built, are kept up to date
            self._out.setdefault(use.src, []).append(use)
        if self._in is not None:
            self._in.setdefault(use.dst, []).append(use)

    def outgoing(self, node: str) -> list[Use]:
        if self._out is None:
            self._out = {}
            for use in self.uses:
                self._out.setdefault(use.src, []).append(use)
        return self._out.get(node, [])

    def incoming(self, node: str) -> list[Use]:
        if self._in is None:
            self._in = {}
            for use in self.uses:
                self._in.setdefault(use.dst, []).append(use)
        return self._in.get(node, [])

    def downstream(self, node: str, column: str | None) -> list[Hit]:
        """Every consumer of `column` of `node` (None: of any column), transitively, breadth first."""
        return list(self._walk(node, column, self.outgoing, _forward))

    def upstream(self, node: str, column: str | None) -> list[Hit]:
        """Every source `column` of `node` comes from, transitively (the reverse walk)."""
        return list(self._walk(node, column, self.incoming, _backward))

    def _walk(self, node: str, column: str | None, step: Any, ends: Any) -> Iterator[Hit]:
        queue: deque[tuple[str, str | None, int]] = deque([(node, column, 0)])
        queued: set[tuple[str, str | None]] = {(node, column)}
        told: set[tuple[str, str | None, str | None]] = set()
        while queue:
            here, col, depth = queue.popleft()
            for use in step(here):
                near_col, there, there_col = ends(use)
                if not _matches(near_col, col) or (there, there_col, near_col) in told:
                    continue
                told.add((there, there_col, near_col))
                yield Hit(there, there_col, depth + 1, here, near_col or ALL, use.file, use.line)
                key = (there, there_col if there_col not in (ALL, ANY) else None)
                if there_col is not None and key not in queued:
                    queued.add(key)
                    queue.append((there, key[1], depth + 1))

    def to_dict(self) -> dict[str, Any]:
        return {
            "nodes": [n.to_dict() for n in sorted(self.nodes.values(), key=lambda n: n.id)],
            "uses": [u.to_dict() for u in self.uses],
            "notes": self.notes,
        }


def _forward(use: Use) -> tuple[str | None, str, str | None]:
    return use.src_col, use.dst, use.dst_col


def _backward(use: Use) -> tuple[str | None, str, str | None]:
    return use.dst_col, use.src, use.src_col


def _matches(near: str | None, wanted: str | None) -> bool:
    """Does a use of `near` reach a consumer of column `wanted`? A use of the whole node (ALL: a row
    count, an exposure, a dataset read) or of columns unknown (ANY) is reached by every column."""
    if wanted is None or near in (ANY, ALL):
        return True
    return near is not None and near == wanted


def node_id(kind: str, name: str) -> str:
    return f"{kind}:{name}"
