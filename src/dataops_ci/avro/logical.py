"""Logical types: which ones are valid on which underlying type (invalid ones are ignored, per the spec)."""

from __future__ import annotations

import math
from typing import Any

from dataops_ci.avro.model import Fixed, Node

_UNDERLYING: dict[str, frozenset[str]] = {
    "decimal": frozenset({"bytes", "fixed"}),
    "big-decimal": frozenset({"bytes"}),
    "uuid": frozenset({"string", "fixed"}),
    "date": frozenset({"int"}),
    "time-millis": frozenset({"int"}),
    "time-micros": frozenset({"long"}),
    "timestamp-millis": frozenset({"long"}),
    "timestamp-micros": frozenset({"long"}),
    "timestamp-nanos": frozenset({"long"}),
    "local-timestamp-millis": frozenset({"long"}),
    "local-timestamp-micros": frozenset({"long"}),
    "local-timestamp-nanos": frozenset({"long"}),
    "duration": frozenset({"fixed"}),
}

_FIXED_SIZES = {"uuid": 16, "duration": 12}


def apply_logical_type(node: Node, raw: dict[str, Any]) -> None:
    """Record the logicalType of ``raw`` on ``node``; ``node.logical`` stays None when it is not valid."""
    logical = raw.get("logicalType")
    if not isinstance(logical, str):
        return
    node.raw_logical = logical
    if node.kind not in _UNDERLYING.get(logical, ()):
        return
    if logical == "decimal":
        _apply_decimal(node, raw)
    elif not isinstance(node, Fixed) or node.size == _FIXED_SIZES.get(logical, node.size):
        node.logical = logical


def _apply_decimal(node: Node, raw: dict[str, Any]) -> None:
    precision, scale = raw.get("precision"), raw.get("scale", 0)
    if not isinstance(precision, int) or not isinstance(scale, int) or isinstance(precision, bool):
        return
    if isinstance(scale, bool) or precision < 1 or not 0 <= scale <= precision:
        return
    if isinstance(node, Fixed) and precision > _max_fixed_precision(node.size):
        return
    node.logical, node.precision, node.scale = "decimal", precision, scale


def _max_fixed_precision(size: int) -> int:
    return math.floor(math.log10(2 ** (8 * size - 1) - 1)) if size > 0 else 0
