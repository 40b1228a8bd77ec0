"""Filling named-type nodes from their JSON: names, aliases and docs; enum symbols; fixed sizes."""

from __future__ import annotations

from typing import Any

from dataops_ci.avro.issues import Pointer
from dataops_ci.avro.logical import apply_logical_type
from dataops_ci.avro.model import Enum, Fixed, Named
from dataops_ci.avro.names import resolve_alias


class SchemaError(Exception):
    """A structural problem at ``pointer`` in ``file``; ``rule`` is the ParseProblem rule id."""

    def __init__(self, rule: str, message: str, file: str, pointer: Pointer) -> None:
        super().__init__(message)
        self.rule, self.message, self.file, self.pointer = rule, message, file, pointer


def names_and_doc(node: Named, raw: dict[str, Any], file: str, pointer: Pointer) -> None:
    aliases = string_list(raw, "aliases", file, pointer)
    node.aliases = frozenset(resolve_alias(alias, node.namespace) for alias in aliases)
    doc = raw.get("doc")
    node.doc = doc if isinstance(doc, str) else None


def fill_enum(node: Enum, raw: dict[str, Any], file: str, pointer: Pointer) -> None:
    symbols = string_list(raw, "symbols", file, pointer)
    if "symbols" not in raw:
        raise SchemaError("invalid-schema", f'enum {node.fullname} needs "symbols"', file, pointer)
    if len(set(symbols)) != len(symbols):
        raise SchemaError(
            "invalid-schema", f"enum {node.fullname} repeats a symbol", file, (*pointer, "symbols")
        )
    node.symbols = symbols
    default = raw.get("default")
    if default is not None and default not in symbols:
        message = f"enum default {default!r} is not one of the symbols"
        raise SchemaError("invalid-schema", message, file, (*pointer, "default"))
    node.default = default


def fill_fixed(node: Fixed, raw: dict[str, Any], file: str, pointer: Pointer) -> None:
    size = raw.get("size")
    if not isinstance(size, int) or isinstance(size, bool) or size < 0:
        raise SchemaError("invalid-schema", f'fixed {node.fullname} needs a "size" >= 0', file, pointer)
    node.size = size
    apply_logical_type(node, raw)


def string_list(raw: dict[str, Any], key: str, file: str, pointer: Pointer) -> tuple[str, ...]:
    value = raw.get(key, [])
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise SchemaError("invalid-schema", f'"{key}" must be a list of strings', file, (*pointer, key))
    return tuple(value)
