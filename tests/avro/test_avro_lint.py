"""lint() on single schemas, and readded_fields() over a schema's history."""

from __future__ import annotations

from typing import Any

import pytest

from dataops_ci.avro import lint, parse_revision, readded_fields
from tests.avro.helpers import field, parsed, record

DOC = {"doc": "documented"}

LINT_CASES: list[tuple[str, str, str, str, str]] = [
    # (case, schema text, rule, severity, path)
    (
        "bad-field-name",
        record(field("first-name", "string", **DOC), **DOC),
        "invalid-name",
        "error",
        "Customer.first-name",
    ),
    (
        "bad-record-name",
        record(field("a", "int", **DOC), name="Bad-Name", **DOC),
        "invalid-name",
        "error",
        "Bad-Name",
    ),
    (
        "bad-namespace",
        record(field("a", "int", **DOC), namespace="com.1acme", **DOC),
        "invalid-name",
        "error",
        "Customer",
    ),
    (
        "bad-enum-symbol",
        record(field("s", {"type": "enum", "name": "S", "symbols": ["ok", "not ok"]}, **DOC), **DOC),
        "invalid-name",
        "error",
        "Customer.s",
    ),
    ("record-doc-missing", record(field("a", "int", **DOC)), "doc-missing", "notice", "Customer"),
    ("field-doc-missing", record(field("a", "int"), **DOC), "doc-missing", "notice", "Customer.a"),
    (
        "default-mismatch",
        record(field("n", ["null", "int"], default=3, **DOC), **DOC),
        "default-type-mismatch",
        "warning",
        "Customer.n",
    ),
    (
        "default-int-range",
        record(field("n", "int", default=2**40, **DOC), **DOC),
        "default-type-mismatch",
        "warning",
        "Customer.n",
    ),
    (
        "default-record-missing-field",
        record(
            field(
                "r",
                {"type": "record", "name": "In", "doc": "d", "fields": [field("x", "int", **DOC)]},
                default={},
                **DOC,
            ),
            **DOC,
        ),
        "default-type-mismatch",
        "warning",
        "Customer.r",
    ),
    (
        "default-fixed-size",
        record(field("h", {"type": "fixed", "name": "H", "size": 2}, default="abc", **DOC), **DOC),
        "default-type-mismatch",
        "warning",
        "Customer.h",
    ),
    (
        "logical-invalid",
        record(field("d", {"type": "string", "logicalType": "date"}, **DOC), **DOC),
        "logical-type-invalid",
        "warning",
        "Customer.d",
    ),
]


@pytest.mark.parametrize(
    ("text", "rule", "severity", "path"), [c[1:] for c in LINT_CASES], ids=[c[0] for c in LINT_CASES]
)
def test_lint_rule(text: str, rule: str, severity: str, path: str) -> None:
    schema = parsed(text)
    found = {(i.rule, i.severity, i.path) for i in lint(schema)}
    assert (rule, severity, path) in found
    (issue,) = [i for i in lint(schema) if i.rule == rule]
    assert schema.line_of(issue.pointer) is not None and issue.hint


VALID_DEFAULTS: list[tuple[Any, Any]] = [
    (["null", "string"], None),
    (["string", "null"], "x"),
    ("boolean", True),
    ("long", -(2**63)),
    ("double", 1),
    ("float", 1.5),
    ("bytes", "\u00ff\u0000"),
    ({"type": "array", "items": "int"}, [1, 2]),
    ({"type": "map", "values": "string"}, {"a": "b"}),
    ({"type": "enum", "name": "E", "symbols": ["A"]}, "A"),
    ({"type": "record", "name": "In", "fields": [{"name": "x", "type": "int", "default": 1}]}, {}),
]


@pytest.mark.parametrize(("type_", "default"), VALID_DEFAULTS)
def test_valid_defaults_are_not_reported(type_: Any, default: Any) -> None:
    schema = parsed(record(field("v", type_, default=default)))
    assert [i for i in lint(schema) if i.rule == "default-type-mismatch"] == []


def test_clean_schema_has_no_lint() -> None:
    assert lint(parsed(record(field("id", "long", **DOC), **DOC))) == []


def test_lint_skips_types_defined_in_other_files() -> None:
    address = record(field("zip", "int"), name="Address")
    customer = record(field("a", "Address", **DOC), **DOC)
    revision = parse_revision({"a.avsc": address, "c.avsc": customer})
    assert lint(revision.schemas["c.avsc"]) == []
    assert {i.path for i in lint(revision.schemas["a.avsc"])} == {"Address", "Address.zip"}


def test_field_readded_with_other_type() -> None:
    v1 = parsed(record(field("id", "long"), field("age", "int")), "v1.avsc")
    v2 = parsed(record(field("id", "long")), "v2.avsc")
    v3 = parsed(record(field("id", "long"), field("age", "string", default="")), "v3.avsc")
    (issue,) = readded_fields([v2, v1], v3)
    assert (issue.rule, issue.severity, issue.path, issue.side) == (
        "field-readded-with-other-type",
        "warning",
        "Customer.age",
        "new",
    )
    assert v3.line_of(issue.pointer) == 11  # the "name" line of the re-added field
    same_type = parsed(record(field("id", "long"), field("age", "int", default=0)), "v3b.avsc")
    assert readded_fields([v2, v1], same_type) == []
    assert readded_fields([v1], v3) == []  # present in the previous version: a plain type change
