"""A seeded generator of random Avro schemas and of "next versions" of them (for cross-checks).

Schemas draw names from small pools so that old and new versions share, rename and move named types;
mutations cover what evolves in practice: promotions, added/removed/renamed fields, enum symbols and
defaults, fixed sizes, unions widened and narrowed, renamed types with and without aliases, namespaces.
"""

from __future__ import annotations

import copy
import random
from typing import Any

PRIMITIVES = ["null", "boolean", "int", "long", "float", "double", "bytes", "string"]
DEFAULTS: dict[str, Any] = {
    "null": None,
    "boolean": False,
    "int": 1,
    "long": 2,
    "float": 1.5,
    "double": 2.5,
    "bytes": "\u00ff",
    "string": "s",
}
SYMBOLS = ["A", "B", "C", "D", "E"]
NAMESPACES = ["com.acme", "com.acme.v2", ""]


class SchemaGenerator:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.used: set[str] = set()
        self.defined: list[str] = []  # named types complete so far: later fields may reference them

    def schema(self) -> dict[str, Any]:
        self.used, self.defined = set(), []
        return self.record(depth=0)

    def record(self, depth: int) -> dict[str, Any]:
        name = self.name("R")
        fields = [self.field(f"f{i}", depth) for i in range(self.rng.randint(1, 5))]
        self.defined.append(name)
        return {"type": "record", "name": name, "fields": fields}

    def field(self, name: str, depth: int) -> dict[str, Any]:
        out: dict[str, Any] = {"name": name, "type": self.type(depth + 1)}
        default = default_for(out["type"])
        if default is not _NO_DEFAULT and self.rng.random() < 0.4:
            out["default"] = default
        return out

    def type(self, depth: int) -> Any:
        roll = self.rng.random()
        if depth > 2 or roll < 0.4:
            return self.rng.choice(PRIMITIVES)
        if roll < 0.45:
            return self.rng.choice(self.defined) if self.defined else "string"
        if roll < 0.55:
            return self.named(
                {"type": "enum", "name": self.name("E"), "symbols": self.rng.sample(SYMBOLS, 3)}
            )
        if roll < 0.6:
            return self.named({"type": "fixed", "name": self.name("F"), "size": self.rng.choice([4, 8])})
        if roll < 0.62:
            return {
                "type": "bytes",
                "logicalType": "decimal",
                "precision": self.rng.choice([9, 12]),
                "scale": 2,
            }
        if roll < 0.72:
            return {"type": "array", "items": self.type(depth + 1)}
        if roll < 0.8:
            return {"type": "map", "values": self.type(depth + 1)}
        if roll < 0.9:
            return self.record(depth)
        branches: list[Any] = self.rng.sample(
            ["null", "int", "long", "string", "bytes", "double"], self.rng.randint(2, 3)
        )
        extra = self.rng.random()
        if extra < 0.2 and self.defined:
            branches.append(self.rng.choice(self.defined))  # a named type used in a union
        elif extra < 0.4:
            branches.append(self.named({"type": "enum", "name": self.name("E"), "symbols": ["A", "B"]}))
        elif extra < 0.5 and depth < 3:
            branches.append(self.record(depth + 1))
        return branches

    def named(self, schema: dict[str, Any]) -> dict[str, Any]:
        self.defined.append(schema["name"])
        return schema

    def name(self, prefix: str) -> str:
        for index in range(100):
            candidate = f"{prefix}{index}"
            if candidate not in self.used:
                self.used.add(candidate)
                return candidate
        raise AssertionError("name pool exhausted")


class _NoDefault:
    pass


_NO_DEFAULT: Any = _NoDefault()


def default_for(schema: Any) -> Any:
    if isinstance(schema, str):
        return DEFAULTS.get(schema, _NO_DEFAULT)
    if isinstance(schema, list):
        return default_for(schema[0])
    kind = schema["type"]
    if kind == "enum":
        return schema["symbols"][0]
    if kind == "fixed":
        return "x" * schema["size"]
    if kind == "array":
        return []
    if kind == "map":
        return {}
    return _NO_DEFAULT


class Mutator:
    """Makes a plausible next version of a schema by applying a few random edits."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def mutate(self, schema: dict[str, Any], edits: int = 2) -> dict[str, Any]:
        new = copy.deepcopy(schema)
        for _ in range(edits):
            records = list(_records(new))
            record = self.rng.choice(records)
            getattr(self, self.rng.choice(_EDITS))(record, new)
        return new

    def change_type(self, record: dict[str, Any], root: dict[str, Any]) -> None:
        field = self.rng.choice(record["fields"])
        if isinstance(field["type"], str):
            field["type"] = self.rng.choice(PRIMITIVES)
            field.pop("default", None)

    def add_field(self, record: dict[str, Any], root: dict[str, Any]) -> None:
        kind = self.rng.choice(PRIMITIVES[1:])
        field: dict[str, Any] = {"name": f"n{len(record['fields'])}", "type": kind}
        if self.rng.random() < 0.5:
            field["default"] = DEFAULTS[kind]
        record["fields"].append(field)

    def remove_field(self, record: dict[str, Any], root: dict[str, Any]) -> None:
        if len(record["fields"]) > 1:
            record["fields"].pop(self.rng.randrange(len(record["fields"])))

    def rename_field(self, record: dict[str, Any], root: dict[str, Any]) -> None:
        field = self.rng.choice(record["fields"])
        if self.rng.random() < 0.7:
            field["aliases"] = [field["name"]]
        field["name"] = field["name"] + "_r"

    def toggle_default(self, record: dict[str, Any], root: dict[str, Any]) -> None:
        field = self.rng.choice(record["fields"])
        default = default_for(field["type"])
        if "default" in field:
            del field["default"]
        elif default is not _NO_DEFAULT:
            field["default"] = default

    def widen_union(self, record: dict[str, Any], root: dict[str, Any]) -> None:
        field = self.rng.choice(record["fields"])
        if isinstance(field["type"], str) and field["type"] != "null":
            field["type"] = ["null", field["type"]] if self.rng.random() < 0.5 else [field["type"], "null"]
            field.pop("default", None)
        elif isinstance(field["type"], list):
            extra = self.rng.choice(["float", "boolean", "string", "null", "long"])
            if extra not in field["type"]:
                field["type"].append(extra)
            elif len(field["type"]) > 1:
                field["type"].remove(extra)
                field.pop("default", None)

    def edit_named(self, record: dict[str, Any], root: dict[str, Any]) -> None:
        named = [f["type"] for f in record["fields"] if isinstance(f["type"], dict) and "name" in f["type"]]
        if not named:
            return
        target = self.rng.choice(named)
        roll = self.rng.random()
        if target["type"] == "enum" and roll < 0.5:
            symbols = target["symbols"]
            if self.rng.random() < 0.5:
                symbols.append(next(s for s in SYMBOLS if s not in symbols))
            elif len(symbols) > 1:
                symbols.pop()
            if self.rng.random() < 0.3:
                target["default"] = symbols[0]
        elif target["type"] == "fixed" and roll < 0.5:
            target["size"] = self.rng.choice([4, 8, 16])
        elif roll < 0.75:
            old_name = target["name"]
            target["name"] = old_name + "x"
            _rename_references(root, old_name, target["name"])
            if self.rng.random() < 0.6:
                target["aliases"] = [old_name]
        else:
            target["namespace"] = self.rng.choice(NAMESPACES)

    def set_namespace(self, record: dict[str, Any], root: dict[str, Any]) -> None:
        record["namespace"] = self.rng.choice(NAMESPACES)


_EDITS = [
    "change_type",
    "add_field",
    "remove_field",
    "rename_field",
    "toggle_default",
    "widen_union",
    "edit_named",
    "set_namespace",
]


def _rename_references(schema: Any, old: str, new: str) -> None:
    """Point references to a renamed type at its new name (definitions keep their own edit)."""
    if isinstance(schema, list):
        for index, branch in enumerate(schema):
            if branch == old:
                schema[index] = new
            else:
                _rename_references(branch, old, new)
    elif isinstance(schema, dict):
        for key in ("type", "items", "values"):
            if schema.get(key) == old:
                schema[key] = new
            elif isinstance(schema.get(key), dict | list):
                _rename_references(schema[key], old, new)
        for field in schema.get("fields", []) if schema.get("type") == "record" else []:
            if field["type"] == old:
                field["type"] = new
            else:
                _rename_references(field["type"], old, new)


def _records(schema: Any) -> Any:
    if isinstance(schema, list):
        for branch in schema:
            yield from _records(branch)
    elif isinstance(schema, dict):
        if schema["type"] == "record":
            yield schema
            for field in schema["fields"]:
                yield from _records(field["type"])
        elif schema["type"] == "array":
            yield from _records(schema["items"])
        elif schema["type"] == "map":
            yield from _records(schema["values"])


def schema_pairs(count: int, seed: int = 2) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    generator, mutator = SchemaGenerator(seed), Mutator(seed + 1)
    pairs = []
    for _ in range(count):
        old = generator.schema()
        pairs.append((old, mutator.mutate(old, edits=mutator.rng.randint(1, 3))))
    return pairs
