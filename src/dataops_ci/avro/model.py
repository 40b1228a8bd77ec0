"""The engine's normalised schema form: one small object per Avro type, named types shared by identity.

Every node remembers where it was defined (``file`` and JSON ``pointer``) so a finding can name a line.
Named types are shared objects, so recursive schemas are cyclic graphs: walkers must guard against loops.
"""

from __future__ import annotations

from typing import Any

from dataops_ci.avro.issues import Pointer

PRIMITIVES = frozenset({"null", "boolean", "int", "long", "float", "double", "bytes", "string"})
NAMED_KINDS = frozenset({"record", "error", "enum", "fixed"})


class _Missing:
    """Marks a field without a default (a JSON null default is a real default)."""

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


class Node:
    """Base of every schema node. ``kind`` is the Avro type name ("int", "record", "union", ...)."""

    __slots__ = ("kind", "logical", "raw_logical", "precision", "scale", "file", "pointer")

    def __init__(self, kind: str, file: str, pointer: Pointer) -> None:
        self.kind = kind
        self.logical: str | None = None  # a valid logical type (invalid ones are ignored, as the spec says)
        self.raw_logical: str | None = None  # the logicalType as written, valid or not
        self.precision: int | None = None
        self.scale: int | None = None
        self.file = file
        self.pointer = pointer

    def describe(self) -> str:
        """A short human name of the type, for messages."""
        if self.logical == "decimal":
            return f"{self.kind} (decimal({self.precision},{self.scale}))"
        if self.logical:
            return f"{self.kind} ({self.logical})"
        return self.kind


class Named(Node):
    __slots__ = ("name", "namespace", "fullname", "aliases", "doc")

    def __init__(self, kind: str, fullname: str, file: str, pointer: Pointer) -> None:
        super().__init__(kind, file, pointer)
        self.fullname = fullname
        self.namespace, _, self.name = fullname.rpartition(".")
        self.aliases: frozenset[str] = frozenset()  # full names, resolved against the namespace
        self.doc: str | None = None

    def describe(self) -> str:
        base = f"{self.kind} {self.fullname}"
        return f"{base} ({self.logical})" if self.logical else base


class Field:
    """A record field. Built for every field of every schema, so it is kept cheap: the pointer is derived
    on demand from the record's pointer, and the plain attributes come straight from the JSON."""

    __slots__ = ("name", "type", "index", "record_pointer", "raw", "closed")

    def __init__(
        self, name: str, type_: Node, index: int, raw: dict[str, Any], record_pointer: Pointer, closed: bool
    ) -> None:
        self.name = name
        self.type = type_
        self.index = index
        self.raw = raw  # the field's JSON object
        self.record_pointer = record_pointer
        self.closed = closed  # True: the type is fully described by ``raw`` (see Builder)

    @property
    def aliases(self) -> list[str]:
        """Field aliases (the builder checked they are a list of strings)."""
        aliases: list[str] = self.raw.get("aliases", [])
        return aliases

    @property
    def pointer(self) -> Pointer:
        return (*self.record_pointer, "fields", self.index)

    @property
    def has_default(self) -> bool:
        return "default" in self.raw

    @property
    def default(self) -> Any:
        """The default value (JSON null is a real default); MISSING when there is none."""
        return self.raw.get("default", MISSING)

    @property
    def doc(self) -> str | None:
        doc = self.raw.get("doc")
        return doc if isinstance(doc, str) else None

    @property
    def order(self) -> str:
        order: str = self.raw.get("order", "ascending")
        return order

    def same_as(self, other: Field) -> bool:
        """Provably identical (same JSON, nothing resolved from elsewhere): nothing to compare."""
        return self.closed and other.closed and self.raw == other.raw


class Record(Named):
    __slots__ = ("fields", "by_name")

    def __init__(self, kind: str, fullname: str, file: str, pointer: Pointer) -> None:
        super().__init__(kind, fullname, file, pointer)
        self.fields: list[Field] = []
        self.by_name: dict[str, Field] = {}


class Enum(Named):
    __slots__ = ("symbols", "default")

    def __init__(self, fullname: str, file: str, pointer: Pointer) -> None:
        super().__init__("enum", fullname, file, pointer)
        self.symbols: tuple[str, ...] = ()
        self.default: str | None = None


class Fixed(Named):
    __slots__ = ("size",)

    def __init__(self, fullname: str, file: str, pointer: Pointer) -> None:
        super().__init__("fixed", fullname, file, pointer)
        self.size = 0


class Array(Node):
    __slots__ = ("items",)

    def __init__(self, items: Node, file: str, pointer: Pointer) -> None:
        super().__init__("array", file, pointer)
        self.items = items


class Map(Node):
    __slots__ = ("values",)

    def __init__(self, values: Node, file: str, pointer: Pointer) -> None:
        super().__init__("map", file, pointer)
        self.values = values


class Union(Node):
    __slots__ = ("branches",)

    def __init__(self, branches: list[Node], file: str, pointer: Pointer) -> None:
        super().__init__("union", file, pointer)
        self.branches = branches


def type_label(node: Node) -> str:
    """A compact structural label: "int", "array<string>", "union[null, com.acme.Address]"."""
    if isinstance(node, Named):
        return node.fullname
    if isinstance(node, Array):
        return f"array<{type_label(node.items)}>"
    if isinstance(node, Map):
        return f"map<{type_label(node.values)}>"
    if isinstance(node, Union):
        return "union[" + ", ".join(type_label(b) for b in node.branches) + "]"
    return node.describe()
