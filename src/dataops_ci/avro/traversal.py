"""Visit every node of one schema once (recursion-safe), with its path and pointer in the schema's file."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from dataops_ci.avro.issues import Pointer
from dataops_ci.avro.model import Array, Field, Map, Named, Node, Record, Union


@dataclass(frozen=True)
class Visit:
    node: Node
    path: str
    pointer: Pointer
    here: bool  # False when the node is defined in another file (pointer is the reference to it)


def root_path(node: Node) -> str:
    return node.name if isinstance(node, Named) else node.kind


def visit(root: Node, file: str) -> Iterator[Visit]:
    seen: set[int] = set()
    stack = [Visit(root, root_path(root), (), True)]
    while stack:
        item = stack.pop()
        node, pointer, here = item.node, item.pointer, item.here
        if isinstance(node, Named):
            if id(node) in seen:
                continue
            seen.add(id(node))
            pointer, here = (node.pointer, True) if node.file == file else (pointer, False)
        yield Visit(node, item.path, pointer, here)
        stack.extend(reversed(list(_children(node, item.path, pointer, here))))


def _children(node: Node, path: str, pointer: Pointer, here: bool) -> Iterator[Visit]:
    def at(*segments: str | int) -> Pointer:
        return (*pointer, *segments) if here else pointer

    if isinstance(node, Record):
        for field in node.fields:
            field_pointer = (*field.pointer, "type") if here else pointer
            yield Visit(field.type, f"{path}.{field.name}", field_pointer, here)
    elif isinstance(node, Union):
        for index, branch in enumerate(node.branches):
            yield Visit(branch, path, at(index), here)
    elif isinstance(node, Array):
        yield Visit(node.items, f"{path}[]", at("items"), here)
    elif isinstance(node, Map):
        yield Visit(node.values, f"{path}{{}}", at("values"), here)


def field_pointer(visit_: Visit, field: Field, *segments: str) -> Pointer:
    """Pointer to a part of a field of the record being visited."""
    return (*field.pointer, *segments) if visit_.here else visit_.pointer
