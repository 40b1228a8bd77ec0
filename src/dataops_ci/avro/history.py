"""Findings that need a schema's history, not just one old/new pair: fields re-added with another type."""

from __future__ import annotations

from collections.abc import Sequence

from dataops_ci.avro import hints
from dataops_ci.avro.issues import Pointer, SchemaIssue
from dataops_ci.avro.model import Record, type_label
from dataops_ci.avro.parse import ParsedSchema
from dataops_ci.avro.traversal import field_pointer, visit


def field_types(schema: ParsedSchema) -> dict[str, tuple[str, Pointer]]:
    """Every field path of a schema -> (its type label, pointer to the field)."""
    out: dict[str, tuple[str, Pointer]] = {}
    for item in visit(schema.schema, schema.file):
        if isinstance(item.node, Record):
            for field in item.node.fields:
                out[f"{item.path}.{field.name}"] = (type_label(field.type), field_pointer(item, field))
    return out


def readded_fields(history: Sequence[ParsedSchema], new: ParsedSchema) -> list[SchemaIssue]:
    """Fields of ``new`` absent from the newest earlier version but present, with another type, in an
    older one. ``history`` is newest first (as a *_TRANSITIVE check walks it)."""
    if not history:
        return []
    versions = [field_types(version) for version in history]
    issues: list[SchemaIssue] = []
    for path, (label, pointer) in field_types(new).items():
        if path in versions[0]:
            continue
        for age, version in enumerate(versions[1:], start=2):
            if path in version:
                old_label = version[path][0]
                if old_label != label:
                    message = (
                        f"field {path} was removed and re-added with type {label}; "
                        f"{age} versions ago it was {old_label}, and data written then still exists"
                    )
                    issues.append(
                        SchemaIssue(
                            "field-readded-with-other-type",
                            "warning",
                            message,
                            path,
                            hints.READDED,
                            "",
                            "new",
                            pointer,
                        )
                    )
                break
    return issues
