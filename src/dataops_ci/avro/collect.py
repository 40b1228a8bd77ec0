"""First parsing pass: find every named type defined anywhere in a revision, so references resolve
regardless of which file (or which position in a file) defines them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dataops_ci.avro.issues import Pointer
from dataops_ci.avro.model import NAMED_KINDS
from dataops_ci.avro.names import full_name, namespace_of


@dataclass(frozen=True)
class Definition:
    fullname: str
    file: str
    raw: dict[str, Any]
    pointer: Pointer


@dataclass(frozen=True)
class Duplicate:
    fullname: str
    file: str
    pointer: Pointer
    first_file: str


def collect_definitions(docs: dict[str, Any]) -> tuple[dict[str, Definition], list[Duplicate]]:
    """All named-type definitions of the documents (in the given file order); later repeats are duplicates."""
    found: dict[str, Definition] = {}
    duplicates: list[Duplicate] = []
    for file, doc in docs.items():
        for definition in _definitions_in(doc, "", (), file):
            first = found.get(definition.fullname)
            if first is None:
                found[definition.fullname] = definition
            else:
                duplicates.append(Duplicate(definition.fullname, file, definition.pointer, first.file))
    return found, duplicates


def defined_names(doc: Any, file: str) -> set[str]:
    return {definition.fullname for definition in _definitions_in(doc, "", (), file)}


def _definitions_in(value: Any, enclosing: str, pointer: Pointer, file: str) -> list[Definition]:
    out: list[Definition] = []
    _walk(value, enclosing, pointer, file, out)
    return out


def _walk(value: Any, enclosing: str, pointer: Pointer, file: str, out: list[Definition]) -> None:
    if isinstance(value, list):
        for index, branch in enumerate(value):
            _walk(branch, enclosing, (*pointer, index), file, out)
        return
    if not isinstance(value, dict):
        return
    kind = value.get("type")
    if kind in NAMED_KINDS and isinstance(value.get("name"), str):
        namespace = value.get("namespace")
        fullname = full_name(value["name"], namespace if isinstance(namespace, str) else None, enclosing)
        out.append(Definition(fullname, file, value, pointer))
        fields = value.get("fields")
        if kind in ("record", "error") and isinstance(fields, list):
            inner = namespace_of(fullname)
            for index, field in enumerate(fields):
                field_type = field.get("type") if isinstance(field, dict) else None
                if isinstance(field_type, dict | list):  # a plain type name defines nothing
                    _walk(field_type, inner, (*pointer, "fields", index, "type"), file, out)
    elif kind == "array":
        _walk(value.get("items"), enclosing, (*pointer, "items"), file, out)
    elif kind == "map":
        _walk(value.get("values"), enclosing, (*pointer, "values"), file, out)
    elif isinstance(kind, dict | list):
        _walk(kind, enclosing, (*pointer, "type"), file, out)
