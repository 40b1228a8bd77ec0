"""lint(): single-schema checks for the avro-schema-lint hook (names, defaults, logical types, docs)."""

from __future__ import annotations

from dataops_ci.avro.compare import default_issues
from dataops_ci.avro.issues import Pointer, SchemaIssue
from dataops_ci.avro.model import Enum, Named, Record
from dataops_ci.avro.names import is_valid_full_name, is_valid_name
from dataops_ci.avro.parse import ParsedSchema
from dataops_ci.avro.traversal import Visit, field_pointer, visit
from dataops_ci.words import noun

NAME_HINT = (
    "names start with a letter or _ and continue with letters, digits or _ "
    "(namespaces: such names joined by dots)"
)
DOC_HINT = 'add a "doc" saying what it holds, for the people who read the schema'
LOGICAL_HINT = (
    "readers ignore an invalid logical type and see the underlying type: fix the logicalType or its arguments"
)


def lint(schema: ParsedSchema) -> list[SchemaIssue]:
    """Findings about one schema on its own; only parts defined in this file are linted."""
    issues: list[SchemaIssue] = []
    for item in visit(schema.schema, schema.file):
        if not item.here:
            continue
        node = item.node
        if isinstance(node, Named):
            issues.extend(_named_issues(node, item))
        if isinstance(node, Record):
            issues.extend(_field_issues(node, item))
        if node.raw_logical is not None and node.logical is None:
            message = (
                f"logical type {node.raw_logical!r} is not valid on {node.kind} here and will be ignored"
            )
            pointer = (*item.pointer, "logicalType")
            issues.append(_issue("logical-type-invalid", "warning", message, item, LOGICAL_HINT, pointer))
    issues.extend(default_issues(schema, only_here=True))
    return issues


def _named_issues(node: Named, item: Visit) -> list[SchemaIssue]:
    issues: list[SchemaIssue] = []
    if not is_valid_full_name(node.fullname):
        message = f"{node.kind} name {node.fullname!r} is not a valid Avro name"
        issues.append(_issue("invalid-name", "error", message, item, NAME_HINT, (*item.pointer, "name")))
    if isinstance(node, Enum):
        bad = [symbol for symbol in node.symbols if not is_valid_name(symbol)]
        if bad:
            message = (
                f"enum {noun(len(bad), 'symbol')} {', '.join(map(repr, bad))} of {node.fullname} "
                f"{noun(len(bad), 'is', 'are')} not {noun(len(bad), 'a valid Avro name', 'valid Avro names')}"
            )
            issues.append(
                _issue("invalid-name", "error", message, item, NAME_HINT, (*item.pointer, "symbols"))
            )
    if isinstance(node, Record) and node.doc is None:
        message = f"record {node.fullname} has no doc"
        issues.append(_issue("doc-missing", "notice", message, item, DOC_HINT, item.pointer))
    return issues


def _field_issues(node: Record, item: Visit) -> list[SchemaIssue]:
    issues: list[SchemaIssue] = []
    for field in node.fields:
        path = f"{item.path}.{field.name}"
        if not is_valid_name(field.name):
            message = f"field name {field.name!r} is not a valid Avro name"
            issues.append(
                SchemaIssue(
                    "invalid-name",
                    "error",
                    message,
                    path,
                    NAME_HINT,
                    "",
                    "new",
                    field_pointer(item, field, "name"),
                )
            )
        if field.doc is None:
            message = f'field "{field.name}" has no doc'
            issues.append(
                SchemaIssue(
                    "doc-missing", "notice", message, path, DOC_HINT, "", "new", field_pointer(item, field)
                )
            )
    return issues


def _issue(rule: str, severity: str, message: str, item: Visit, hint: str, pointer: Pointer) -> SchemaIssue:
    return SchemaIssue(rule, severity, message, item.path, hint, "", "new", pointer)
