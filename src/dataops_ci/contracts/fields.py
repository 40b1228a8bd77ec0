"""Data contracts: does a dataset match the Avro schema its pipeline names?

Checked per top-level field of the schema's record: the column exists (by name or alias), holds values
of the field's type, and has no nulls unless the field's type is a union with "null". Columns the schema
does not name are extra (a warning). pandas is used only through the frame passed in; this module
imports nothing heavy itself.

Text formats (CSV, TSV) carry no types: a `string`, `bytes` or `fixed` field accepts any value there
(pandas may have read "00123" as a number), and booleans may be written true/false/0/1. Typed formats
(Parquet, Avro, JSON Lines) must hold values of the field's own type.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from dataops_ci.contracts.value_types import value_checker
from dataops_ci.words import plural

TEXT_FORMATS = ("csv", "tsv")


class ContractSchemaError(Exception):
    """The schema file is not a usable Avro record schema."""


@dataclass(frozen=True)
class ContractField:
    name: str
    type: Any  # the Avro type with "null" taken out of a union, named types resolved
    nullable: bool
    has_default: bool
    aliases: tuple[str, ...] = ()

    @property
    def type_name(self) -> str:
        return _describe(self.type)


@dataclass(frozen=True)
class Violation:
    rule: str  # contract-missing-column | contract-extra-column | contract-type-mismatch | ...
    severity: str
    column: str
    message: str
    count: int = 0
    rows: tuple[int, ...] = ()  # 1-based data row numbers of the first offending rows
    examples: tuple[Any, ...] = ()


def parse_contract(schema_text: str) -> list[ContractField]:
    try:
        schema = json.loads(schema_text)
    except ValueError as exc:
        raise ContractSchemaError(f"not valid JSON: {exc}") from None
    _validate_avro(schema)
    if not isinstance(schema, dict) or schema.get("type") != "record":
        raise ContractSchemaError("a data contract must be an Avro record schema (type: record)")
    named: dict[str, Any] = {}
    _register_named(schema, schema.get("namespace"), named)
    return [_field(raw, named) for raw in schema.get("fields", [])]


def _validate_avro(schema: Any) -> None:
    """fastavro's validation. Named types defined in other .avsc files (`"type": "com.acme.Address"`, or a
    capitalised name) are stood in for by empty records: the contract checks top-level columns only."""
    import fastavro
    from fastavro.schema import UnknownType

    external: dict[str, Any] = {}
    for _ in range(50):
        try:
            fastavro.parse_schema(schema, named_schemas=dict(external), _write_hint=False)
            return
        except UnknownType as exc:
            name = str(exc.name)
            if name in external or not ("." in name or name[:1].isupper()):
                # `lng` is a typo of a primitive; another file's type is `Address` or `com.acme.Address`.
                raise ContractSchemaError(
                    f"not a valid Avro schema: unknown type '{name}' (a type from another file needs its "
                    "full name, e.g. com.acme.Address)"
                ) from None
            external[name] = {"type": "record", "name": name, "fields": []}
        except Exception as exc:  # noqa: BLE001 - fastavro raises several kinds for an invalid schema
            raise ContractSchemaError(f"not a valid Avro schema: {exc}") from None
    raise ContractSchemaError("not a valid Avro schema: more than 50 named types from other files")


def _field(raw: dict[str, Any], named: dict[str, Any]) -> ContractField:
    kind = _resolve(raw["type"], named)
    nullable = False
    if isinstance(kind, list):
        branches = [b for b in kind if b != "null"]
        nullable = len(branches) < len(kind)
        kind = branches[0] if len(branches) == 1 else branches
    return ContractField(raw["name"], kind, nullable, "default" in raw, tuple(raw.get("aliases") or ()))


def _register_named(schema: Any, namespace: str | None, named: dict[str, Any]) -> None:
    if isinstance(schema, list):
        for branch in schema:
            _register_named(branch, namespace, named)
        return
    if not isinstance(schema, dict):
        return
    if schema.get("type") in ("record", "error", "enum", "fixed") and "name" in schema:
        space = schema.get("namespace", namespace)
        name = str(schema["name"])
        named[name.rsplit(".", 1)[-1]] = schema
        named[name if "." in name or not space else f"{space}.{name}"] = schema
        namespace = space
    for raw in schema.get("fields", []):
        _register_named(raw.get("type"), namespace, named)
    for key in ("items", "values"):
        _register_named(schema.get(key), namespace, named)


def _resolve(kind: Any, named: dict[str, Any]) -> Any:
    if isinstance(kind, str) and kind in named:
        return named[kind]
    if isinstance(kind, list):
        return [_resolve(b, named) for b in kind]
    return kind


def _describe(kind: Any) -> str:
    if isinstance(kind, list):
        return " | ".join(_describe(b) for b in kind)
    if isinstance(kind, dict):
        logical = kind.get("logicalType")
        if logical:
            return f"{kind.get('type')} ({logical})"
        return f"{kind['type']} {kind['name']}" if kind.get("name") else str(kind.get("type"))
    return str(kind)


def column_for(spec: ContractField, columns: Iterable[str]) -> str | None:
    """The data's column for a field: its name, else one of its aliases."""
    present = set(columns)
    return next((c for c in (spec.name, *spec.aliases) if c in present), None)


def check_columns(columns: list[str], fields: list[ContractField]) -> list[Violation]:
    """Missing and extra columns."""
    violations = [_missing(spec) for spec in fields if column_for(spec, columns) is None]
    matched = {column_for(spec, columns) for spec in fields}
    for column in columns:
        if column not in matched:
            message = f"column '{column}' is not in the schema"
            violations.append(Violation("contract-extra-column", "warning", column, message))
    return violations


def check_frame(frame: Any, fields: list[ContractField], fmt: str, examples: int = 3) -> list[Violation]:
    """Violations of the contract by a pandas DataFrame read from a file of format `fmt`."""
    columns = [str(c) for c in frame.columns]
    violations = check_columns(columns, fields)
    for spec in fields:
        column = column_for(spec, columns)
        if column is not None:
            violations += _column_violations(frame[column], spec, column, fmt, examples)
    return violations


def _missing(spec: ContractField) -> Violation:
    # A field with a default can be filled in by readers; without one, every reader breaks.
    severity = "warning" if spec.has_default else "error"
    message = f"the schema's field '{spec.name}' ({spec.type_name}) has no column in the data"
    return Violation("contract-missing-column", severity, spec.name, message)


def _column_violations(
    series: Any, spec: ContractField, column: str, fmt: str, examples: int
) -> list[Violation]:
    out: list[Violation] = []
    nulls = series.isna()
    if not spec.nullable and bool(nulls.any()):
        rows = _rows(nulls, examples)
        message = (
            f"'{column}' is {spec.type_name}, not nullable, but has {plural(int(nulls.sum()), 'null value')}"
        )
        out.append(
            Violation("contract-null-in-required-field", "error", column, message, int(nulls.sum()), rows)
        )
    values = series[~nulls]
    checker: Callable[[Any], Any] = value_checker(spec.type, fmt in TEXT_FORMATS)
    bad = ~checker(values)
    if bool(bad.any()):
        count = int(bad.sum())
        shown = tuple(values[bad].head(examples).tolist())
        message = f"'{column}' should hold {spec.type_name} values; {count} do not (e.g. {_show(shown)})"
        rows = _rows(bad.reindex(series.index, fill_value=False), examples)
        out.append(Violation("contract-type-mismatch", "error", column, message, count, rows, shown))
    return out


def _rows(mask: Any, limit: int) -> tuple[int, ...]:
    positions = mask.to_numpy().nonzero()[0][:limit]
    return tuple(int(p) + 1 for p in positions)


def _show(values: tuple[Any, ...]) -> str:
    return ", ".join(repr(v)[:40] for v in values)
