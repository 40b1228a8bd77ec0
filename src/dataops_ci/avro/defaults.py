"""Does a JSON default value match its Avro type? (The spec: a union's default matches its first branch.)"""

from __future__ import annotations

from typing import Any

from dataops_ci.avro.model import Array, Enum, Fixed, Map, Node, Record, Union, type_label

_INT_RANGE = {"int": (-(2**31), 2**31 - 1), "long": (-(2**63), 2**63 - 1)}


def default_problem(node: Node, value: Any) -> str | None:
    """Why ``value`` is not a valid default for ``node``, or None when it is."""
    if isinstance(node, Union):
        if not node.branches:
            return "an empty union has no valid default"
        problem = default_problem(node.branches[0], value)
        return None if problem is None else f"{problem} (a union's default must match its first branch)"
    if isinstance(node, Record):
        return _record_problem(node, value)
    if isinstance(node, Array):
        if not isinstance(value, list):
            return f"{_show(value)} is not an array"
        return next((p for p in (default_problem(node.items, item) for item in value) if p), None)
    if isinstance(node, Map):
        if not isinstance(value, dict):
            return f"{_show(value)} is not a map (JSON object)"
        return next((p for p in (default_problem(node.values, item) for item in value.values()) if p), None)
    if isinstance(node, Enum):
        return None if value in node.symbols else f"{_show(value)} is not a symbol of enum {node.fullname}"
    if isinstance(node, Fixed):
        if _is_byte_string(value) and len(value) == node.size:
            return None
        return f"{_show(value)} is not a string of {node.size} byte characters"
    return None if _primitive_ok(node.kind, value) else f"{_show(value)} is not a valid {type_label(node)}"


def _record_problem(node: Record, value: Any) -> str | None:
    if not isinstance(value, dict):
        return f"{_show(value)} is not a record (JSON object)"
    for field in node.fields:
        if field.name in value:
            problem = default_problem(field.type, value[field.name])
            if problem:
                return f"{field.name}: {problem}"
        elif not field.has_default:
            return f'the default record lacks "{field.name}"'
    return None


def _primitive_ok(kind: str, value: Any) -> bool:
    if kind == "null":
        return value is None
    if kind == "boolean":
        return isinstance(value, bool)
    if kind in _INT_RANGE:
        low, high = _INT_RANGE[kind]
        return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high
    if kind in ("float", "double"):
        return isinstance(value, int | float) and not isinstance(value, bool)
    if kind == "string":
        return isinstance(value, str)
    if kind == "bytes":
        return _is_byte_string(value)
    return False


def _is_byte_string(value: Any) -> bool:
    """The spec writes bytes and fixed defaults as strings of code points 0-255."""
    return isinstance(value, str) and all(ord(char) < 256 for char in value)


def _show(value: Any) -> str:
    text = repr(value) if not isinstance(value, str) else f'"{value}"'
    return text if len(text) <= 40 else text[:37] + "..."
