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


def collect_definitions(docs: dict[str, Any]) -> dict[str, Definition]:
    """All named-type definitions of the documents; for a name defined twice, the first in file order."""
    found: dict[str, Definition] = {}
    for file, doc in docs.items():
        for definition in definitions_in(doc, file):
            found.setdefault(definition.fullname, definition)
    return found


def defined_names(doc: Any, file: str) -> set[str]:
    return {definition.fullname for definition in definitions_in(doc, file)}


def definitions_in(doc: Any, file: str) -> list[Definition]:
    """The named types a document defines, in document order."""
    out: list[Definition] = []
    _walk(doc, "", (), file, out)
    return out


def _walk(value: Any, enclosing: str, pointer: Pointer, file: str, out: list[Definition]) -> None:
    if isinstance(value, list):
        for index, branch in enumerate(value):
            _walk(branch, enclosing, (*pointer, index), file, out)
        return
    if not isinstance(value, dict):
        return
    kind = value.get("type")
    if isinstance(kind, str) and kind in NAMED_KINDS and isinstance(value.get("name"), str):
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
