"""compare(): one small schema pair per rule and mode, with the expected rule, severity and path."""

from __future__ import annotations

from typing import Any

import pytest

from dataops_ci.avro import compare, parse_revision
from tests.avro.helpers import field, issues_between, parsed, record, summary

STATUS = {"type": "enum", "name": "Status", "symbols": ["ACTIVE", "CLOSED", "PENDING"]}
STATUS_2 = {"type": "enum", "name": "Status", "symbols": ["ACTIVE", "CLOSED"]}
ID = field("id", "long")

# (case id, old fields, new fields, mode, expected (rule, severity, path) subset, absent rules)
CASES: list[
    tuple[str, list[dict[str, Any]], list[dict[str, Any]], str, set[tuple[str, str, str]], set[str]]
] = [
    (
        "added-no-default-backward",
        [ID],
        [ID, field("email", "string")],
        "BACKWARD",
        {("field-added-without-default", "error", "Customer.email")},
        set(),
    ),
    (
        "added-no-default-forward-ok",
        [ID],
        [ID, field("email", "string")],
        "FORWARD",
        {("field-added-without-default", "notice", "Customer.email")},
        set(),
    ),
    (
        "added-with-default",
        [ID],
        [ID, field("email", ["null", "string"], default=None)],
        "FULL",
        {("field-added", "notice", "Customer.email")},
        {"field-added-without-default"},
    ),
    (
        "removed-no-default-forward",
        [ID, field("fax", "string")],
        [ID],
        "FORWARD",
        {("field-removed", "error", "Customer.fax")},
        set(),
    ),
    (
        "removed-no-default-backward-ok",
        [ID, field("fax", "string")],
        [ID],
        "BACKWARD",
        {("field-removed", "notice", "Customer.fax")},
        set(),
    ),
    (
        "removed-with-default-full-ok",
        [ID, field("fax", "string", default="")],
        [ID],
        "FULL",
        {("field-removed", "notice", "Customer.fax")},
        set(),
    ),
    (
        "renamed-with-alias-backward-ok",
        [ID, field("mail", "string")],
        [ID, field("email", "string", aliases=["mail"])],
        "BACKWARD",
        {("field-renamed", "notice", "Customer.email")},
        {"field-added-without-default"},
    ),
    (
        "renamed-with-alias-forward",
        [ID, field("mail", "string")],
        [ID, field("email", "string", aliases=["mail"])],
        "FORWARD",
        {("field-renamed", "error", "Customer.email")},
        set(),
    ),
    (
        "int-to-long-backward-ok",
        [field("n", "int")],
        [field("n", "long")],
        "BACKWARD",
        {("type-changed", "notice", "Customer.n")},
        set(),
    ),
    (
        "int-to-long-forward",
        [field("n", "int")],
        [field("n", "long")],
        "FORWARD",
        {("type-changed", "error", "Customer.n")},
        set(),
    ),
    (
        "string-to-bytes-full-ok",
        [field("s", "string")],
        [field("s", "bytes")],
        "FULL",
        set(),
        {"type-changed"},
    ),
    ("float-to-double-backward-ok", [field("x", "float")], [field("x", "double")], "BACKWARD", set(), set()),
    ("long-to-float-backward-ok", [field("x", "long")], [field("x", "float")], "BACKWARD", set(), set()),
    (
        "string-to-int",
        [field("s", "string")],
        [field("s", "int")],
        "BACKWARD",
        {("type-changed", "error", "Customer.s")},
        set(),
    ),
    (
        "type-change-none-is-notice",
        [field("s", "string")],
        [field("s", "int")],
        "NONE",
        {("type-changed", "notice", "Customer.s")},
        set(),
    ),
    (
        "enum-symbol-removed",
        [field("status", STATUS)],
        [field("status", STATUS_2)],
        "BACKWARD",
        {("enum-symbol-removed", "error", "Customer.status")},
        set(),
    ),
    (
        "enum-symbol-removed-with-default",
        [field("status", STATUS)],
        [field("status", {**STATUS_2, "default": "ACTIVE"})],
        "BACKWARD",
        {("enum-symbol-removed", "notice", "Customer.status")},
        set(),
    ),
    (
        "enum-symbol-added-forward",
        [field("status", STATUS_2)],
        [field("status", STATUS)],
        "FORWARD",
        {("enum-symbol-added", "error", "Customer.status")},
        set(),
    ),
    (
        "enum-symbol-added-old-default",
        [field("status", {**STATUS_2, "default": "ACTIVE"})],
        [field("status", {**STATUS, "default": "ACTIVE"})],
        "FULL",
        {("enum-symbol-added", "notice", "Customer.status")},
        set(),
    ),
    (
        "fixed-size",
        [field("h", {"type": "fixed", "name": "Hash", "size": 16})],
        [field("h", {"type": "fixed", "name": "Hash", "size": 32})],
        "BACKWARD",
        {("fixed-size-changed", "error", "Customer.h")},
        set(),
    ),
    (
        "name-changed",
        [field("a", {"type": "record", "name": "Address", "fields": []})],
        [field("a", {"type": "record", "name": "PostalAddress", "fields": []})],
        "BACKWARD",
        {("name-changed", "error", "Customer.a")},
        set(),
    ),
    (
        "name-changed-with-relative-alias",
        [field("a", {"type": "record", "name": "Address", "fields": []})],
        [field("a", {"type": "record", "name": "PostalAddress", "aliases": ["Address"], "fields": []})],
        "BACKWARD",
        {("name-changed", "notice", "Customer.a")},
        set(),
    ),  # old readers still lack the alias
    (
        "name-changed-with-full-alias",
        [field("a", {"type": "record", "name": "Address", "fields": []})],
        [
            field(
                "a",
                {"type": "record", "name": "PostalAddress", "aliases": ["com.acme.Address"], "fields": []},
            )
        ],
        "BACKWARD",
        {("name-changed", "notice", "Customer.a")},
        set(),
    ),
    (
        "name-changed-alias-in-other-namespace",
        [field("a", {"type": "record", "name": "Address", "fields": []})],
        [
            field(
                "a",
                {"type": "record", "name": "PostalAddress", "aliases": ["org.other.Address"], "fields": []},
            )
        ],
        "BACKWARD",
        {("name-changed", "error", "Customer.a")},
        set(),
    ),
    (
        "union-branch-removed",
        [field("p", ["null", "string"], default=None)],
        [field("p", "string")],
        "BACKWARD",
        {("union-branch-removed", "error", "Customer.p")},
        set(),
    ),
    (
        "union-branch-added-forward",
        [field("p", "string")],
        [field("p", ["null", "string"], default=None)],
        "FORWARD",
        {("union-branch-added", "error", "Customer.p")},
        set(),
    ),
    (
        "union-branch-added-backward-ok",
        [field("p", "string")],
        [field("p", ["null", "string"], default=None)],
        "BACKWARD",
        {("union-branch-added", "notice", "Customer.p")},
        {"type-changed"},
    ),
    (
        "reader-union-lacks-writer-type",
        [field("p", "int")],
        [field("p", ["null", "string"], default=None)],
        "BACKWARD",
        {("type-changed", "error", "Customer.p")},
        set(),
    ),
    (
        "reader-union-promotes",
        [field("p", "int")],
        [field("p", ["null", "double"], default=None)],
        "BACKWARD",
        set(),
        {"type-changed"},
    ),
    (
        "decimal-precision",
        [field("amount", {"type": "bytes", "logicalType": "decimal", "precision": 10, "scale": 2})],
        [field("amount", {"type": "bytes", "logicalType": "decimal", "precision": 12, "scale": 2})],
        "BACKWARD",
        {("logical-type-changed", "error", "Customer.amount")},
        set(),
    ),
    (
        "decimal-precision-none-still-warns",
        [field("amount", {"type": "bytes", "logicalType": "decimal", "precision": 10, "scale": 2})],
        [field("amount", {"type": "bytes", "logicalType": "decimal", "precision": 10, "scale": 3})],
        "NONE",
        {("logical-type-changed", "warning", "Customer.amount")},
        set(),
    ),
    (
        "timestamp-unit",
        [field("ts", {"type": "long", "logicalType": "timestamp-millis"})],
        [field("ts", {"type": "long", "logicalType": "timestamp-micros"})],
        "FULL",
        {("logical-type-changed", "warning", "Customer.ts")},
        set(),
    ),
    (
        "array-items",
        [field("tags", {"type": "array", "items": "string"})],
        [field("tags", {"type": "array", "items": "int"})],
        "BACKWARD",
        {("type-changed", "error", "Customer.tags[]")},
        set(),
    ),
    (
        "map-values",
        [field("attrs", {"type": "map", "values": "long"})],
        [field("attrs", {"type": "map", "values": "int"})],
        "BACKWARD",
        {("type-changed", "error", "Customer.attrs{}")},
        set(),
    ),
    (
        "default-mismatch",
        [ID],
        [ID, field("n", ["null", "int"], default=0)],
        "BACKWARD",
        {("default-type-mismatch", "warning", "Customer.n")},
        set(),
    ),
    (
        "doc-only",
        [field("id", "long", doc="the id")],
        [field("id", "long", doc="the customer id")],
        "FULL",
        {("doc-changed", "notice", "Customer.id")},
        set(),
    ),
    (
        "order-only",
        [ID, field("name", "string")],
        [field("name", "string"), ID],
        "FULL",
        {("field-order-changed", "notice", "Customer")},
        set(),
    ),
    (
        "sort-order",
        [ID],
        [field("id", "long", order="descending")],
        "FULL",
        {("sort-order-changed", "notice", "Customer.id")},
        set(),
    ),
    (
        "default-changed",
        [field("n", "int", default=1)],
        [field("n", "int", default=2)],
        "FULL",
        {("default-changed", "notice", "Customer.n")},
        set(),
    ),
    (
        "enum-default-changed",
        [field("status", STATUS)],
        [field("status", {**STATUS, "default": "ACTIVE"})],
        "FULL",
        {("default-changed", "notice", "Customer.status")},
        set(),
    ),
    (
        "enum-symbols-reordered",
        [field("status", STATUS)],
        [field("status", {**STATUS, "symbols": ["CLOSED", "ACTIVE", "PENDING"]})],
        "FULL",
        {("field-order-changed", "notice", "Customer.status")},
        set(),
    ),
    (
        "union-reordered",
        [field("p", ["null", "string"], default=None)],
        [field("p", ["string", "null"], default="")],
        "FULL",
        {("field-order-changed", "notice", "Customer.p"), ("default-changed", "notice", "Customer.p")},
        set(),
    ),
    (
        "namespace-moved",
        [field("a", {"type": "record", "name": "Address", "fields": []})],
        [field("a", {"type": "record", "name": "Address", "namespace": "com.acme.geo", "fields": []})],
        "FULL",
        {("namespace-moved", "warning", "Customer.a")},
        {"name-changed"},
    ),
    (
        "namespace-moved-with-alias",
        [field("a", {"type": "record", "name": "Address", "fields": []})],
        [
            field(
                "a",
                {
                    "type": "record",
                    "name": "Address",
                    "namespace": "com.acme.geo",
                    "aliases": ["com.acme.Address"],
                    "fields": [],
                },
            )
        ],
        "FULL",
        {("namespace-moved", "notice", "Customer.a")},
        set(),
    ),
    (
        "nested-record-field-added",
        [field("a", {"type": "record", "name": "Address", "fields": [field("zip", "string")]})],
        [
            field(
                "a",
                {
                    "type": "record",
                    "name": "Address",
                    "fields": [field("zip", "string"), field("city", "string")],
                },
            )
        ],
        "BACKWARD",
        {("field-added-without-default", "error", "Customer.a.city")},
        set(),
    ),
    (
        "date-to-timestamp",
        [field("d", {"type": "int", "logicalType": "date"})],
        [field("d", {"type": "long", "logicalType": "timestamp-millis"})],
        "BACKWARD",
        {("logical-type-changed", "warning", "Customer.d")},
        set(),
    ),
    (
        "changed-field-with-bad-default",
        [field("n", "int")],
        [field("n", ["null", "long"], default=5)],
        "BACKWARD",
        {("default-type-mismatch", "warning", "Customer.n")},
        set(),
    ),
]


@pytest.mark.parametrize(
    ("old_fields", "new_fields", "mode", "expected", "absent"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_rule_table(
    old_fields: list[dict[str, Any]],
    new_fields: list[dict[str, Any]],
    mode: str,
    expected: set[tuple[str, str, str]],
    absent: set[str],
) -> None:
    issues = issues_between(record(*old_fields), record(*new_fields), mode)
    found = summary(issues)
    assert expected <= found, found
    assert not absent & {issue.rule for issue in issues}
    if not any(severity == "error" for _, severity, _ in expected):
        assert all(issue.severity != "error" for issue in issues), found


def test_identical_schemas_have_no_issues() -> None:
    text = record(ID, field("status", STATUS), field("p", ["null", "string"], default=None))
    assert issues_between(text, text, "FULL") == []


def test_full_reports_each_broken_direction() -> None:
    issues = issues_between(record(field("s", "string")), record(field("s", "int")), "FULL")
    assert {(i.rule, i.severity, i.breaks) for i in issues} == {
        ("type-changed", "error", "readers"),
        ("type-changed", "error", "writers"),
    }


def test_removal_points_at_old_file_and_line() -> None:
    old_text = record(ID, field("fax", "string"))
    issues = issues_between(old_text, record(ID), "FORWARD")
    (removed,) = [i for i in issues if i.rule == "field-removed"]
    assert (removed.side, removed.breaks, removed.severity) == ("old", "writers", "error")
    line = parsed(old_text).line_of(removed.pointer)
    assert line is not None and '"name": "fax"' in old_text.splitlines()[line - 1]


def test_change_inside_a_type_from_another_file_points_at_the_reference() -> None:
    address_v1 = record(field("zip", "string"), name="Address")
    address_v2 = address_v1.replace('"string"', '"int"')
    customer = record(ID, field("home", "Address"))
    old = parse_revision({"address.avsc": address_v1, "customer.avsc": customer}).schemas["customer.avsc"]
    new = parse_revision({"address.avsc": address_v2, "customer.avsc": customer}).schemas["customer.avsc"]
    (issue,) = [i for i in compare(old, new, "BACKWARD") if i.severity == "error"]
    assert (issue.rule, issue.path) == ("type-changed", "Customer.home.zip")
    line = new.line_of(issue.pointer)
    assert line is not None and '"type": "Address"' in customer.splitlines()[line - 1]


def test_recursive_schema_terminates_and_finds_change() -> None:
    def linked(value_type: str) -> dict[str, Any]:
        return {
            "type": "record",
            "name": "Node",
            "fields": [
                {"name": "value", "type": value_type},
                {"name": "next", "type": ["null", "Node"], "default": None},
            ],
        }

    issues = issues_between(linked("string"), linked("int"), "BACKWARD")
    assert ("type-changed", "error", "Node.value") in summary(issues)


def test_unknown_mode_is_rejected() -> None:
    with pytest.raises(ValueError, match="unknown compatibility mode"):
        issues_between(record(ID), record(ID), "SIDEWAYS")


def test_transitive_modes_use_their_base_directions() -> None:
    issues = issues_between(record(ID), record(ID, field("e", "string")), "BACKWARD_TRANSITIVE")
    assert ("field-added-without-default", "error", "Customer.e") in summary(issues)
