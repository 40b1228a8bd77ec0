"""parse_revision(): named types across files, problems with lines, and line lookup of pointers."""

from __future__ import annotations

import json

import pytest

from dataops_ci.avro import parse_revision
from dataops_ci.avro.model import Record

ADDRESS = json.dumps(
    {
        "type": "record",
        "name": "Address",
        "namespace": "com.acme",
        "fields": [{"name": "zip", "type": "string"}],
    },
    indent=2,
)
CUSTOMER = json.dumps(
    {
        "type": "record",
        "name": "Customer",
        "namespace": "com.acme",
        "fields": [
            {"name": "id", "type": "long"},
            {"name": "home", "type": "Address"},
            {"name": "work", "type": ["null", "com.acme.Address"], "default": None},
        ],
    },
    indent=2,
)


@pytest.mark.parametrize("order", [("a.avsc", "b.avsc"), ("b.avsc", "a.avsc")])
def test_named_types_resolve_across_files_in_any_order(order: tuple[str, str]) -> None:
    # The referencing file sorts before and after the defining one.
    texts = {order[0]: CUSTOMER, order[1]: ADDRESS}
    revision = parse_revision(texts)
    assert revision.problems == {}
    customer = revision.schemas[order[0]].schema
    address = revision.schemas[order[1]].schema
    assert isinstance(customer, Record)
    assert customer.by_name["home"].type is address  # one shared node
    assert revision.schemas[order[0]].names == {"com.acme.Customer"}


def test_duplicate_definition_is_a_problem_of_the_later_file_with_shared_references() -> None:
    revision = parse_revision({"a/address.avsc": ADDRESS, "b/address_copy.avsc": ADDRESS}, "shared")
    assert "a/address.avsc" in revision.schemas
    (problem,) = revision.problems["b/address_copy.avsc"]
    assert problem.rule == "duplicate-name"
    assert "com.acme.Address" in problem.message and "a/address.avsc" in problem.message
    assert problem.line == 3  # the "name" line of the second definition


def test_duplicate_inside_one_file() -> None:
    inner = {"type": "enum", "name": "S", "symbols": ["A"]}
    text = json.dumps(
        {
            "type": "record",
            "name": "R",
            "fields": [{"name": "a", "type": inner}, {"name": "b", "type": inner.copy()}],
        },
        indent=2,
    )
    (problem,) = parse_revision({"r.avsc": text}).problems["r.avsc"]
    assert problem.rule == "duplicate-name" and "earlier in this file" in problem.message


def test_invalid_json_has_line_and_column() -> None:
    text = '{\n  "type": "record",\n  "name": "R",\n  "fields": [,]\n}'
    (problem,) = parse_revision({"bad.avsc": text}).problems["bad.avsc"]
    assert (problem.rule, problem.line, problem.column) == ("invalid-json", 4, 14)


def test_unknown_type_names_the_line_and_suggests() -> None:
    text = CUSTOMER.replace('"type": "Address"', '"type": "Adress"')
    revision = parse_revision({"customer.avsc": text, "address.avsc": ADDRESS})
    (problem,) = revision.problems["customer.avsc"]
    assert problem.rule == "unknown-type"
    assert text.splitlines()[problem.line - 1].strip().startswith('"type": "Adress"')  # type: ignore[operator]
    assert "com.acme.Address" in problem.message
    assert "address.avsc" in revision.schemas


def test_file_using_an_invalid_file_type_reports_it() -> None:
    broken = ADDRESS.replace('"fields"', '"feilds"')
    revision = parse_revision({"customer.avsc": CUSTOMER, "address.avsc": broken})
    assert revision.problems["address.avsc"][0].rule == "invalid-schema"
    (problem,) = revision.problems["customer.avsc"]
    assert problem.rule == "invalid-schema" and "address.avsc" in problem.message


INVALID = [
    ("no-type", {"name": "x"}, "invalid-schema"),
    ("record-without-fields", {"type": "record", "name": "R"}, "invalid-schema"),
    ("field-without-type", {"type": "record", "name": "R", "fields": [{"name": "a"}]}, "invalid-schema"),
    (
        "duplicate-field",
        {"type": "record", "name": "R", "fields": [{"name": "a", "type": "int"}] * 2},
        "duplicate-name",
    ),
    ("enum-without-symbols", {"type": "enum", "name": "E"}, "invalid-schema"),
    ("enum-repeated-symbol", {"type": "enum", "name": "E", "symbols": ["A", "A"]}, "invalid-schema"),
    (
        "enum-default-not-a-symbol",
        {"type": "enum", "name": "E", "symbols": ["A"], "default": "B"},
        "invalid-schema",
    ),
    ("fixed-without-size", {"type": "fixed", "name": "F"}, "invalid-schema"),
    ("fixed-negative-size", {"type": "fixed", "name": "F", "size": -1}, "invalid-schema"),
    ("array-without-items", {"type": "array"}, "invalid-schema"),
    ("map-without-values", {"type": "map"}, "invalid-schema"),
    ("nested-union", ["null", ["int", "string"]], "invalid-schema"),
    ("union-repeats-type", ["int", "int"], "invalid-schema"),
    (
        "bad-sort-order",
        {"type": "record", "name": "R", "fields": [{"name": "a", "type": "int", "order": "up"}]},
        "invalid-schema",
    ),
    ("redefined-primitive", {"type": "record", "name": "int", "fields": []}, "invalid-schema"),
    ("number-as-type", 42, "invalid-schema"),
    (
        "unknown-reference",
        {"type": "record", "name": "R", "fields": [{"name": "a", "type": "Nope"}]},
        "unknown-type",
    ),
]


@pytest.mark.parametrize(
    ("schema", "rule"), [case[1:] for case in INVALID], ids=[case[0] for case in INVALID]
)
def test_invalid_schemas(schema: object, rule: str) -> None:
    (problem,) = parse_revision({"s.avsc": json.dumps(schema, indent=2)}).problems["s.avsc"]
    assert problem.rule == rule
    assert problem.line is not None


def test_recursive_schema_parses() -> None:
    text = json.dumps(
        {
            "type": "record",
            "name": "Node",
            "fields": [{"name": "children", "type": {"type": "array", "items": "Node"}}],
        }
    )
    node = parse_revision({"n.avsc": text}).schemas["n.avsc"].schema
    assert isinstance(node, Record) and node.by_name["children"].type.items is node  # type: ignore[attr-defined]


def test_namespace_rules() -> None:
    text = json.dumps(
        {
            "type": "record",
            "name": "Outer",
            "namespace": "a.b",
            "fields": [
                {"name": "inner", "type": {"type": "record", "name": "Inner", "fields": []}},
                {
                    "name": "other",
                    "type": {"type": "record", "name": "x.y.Other", "namespace": "ignored", "fields": []},
                },
                {
                    "name": "plain",
                    "type": {"type": "enum", "name": "Plain", "namespace": "", "symbols": ["A"]},
                },
                {"name": "again", "type": "Inner"},
                {"name": "global", "type": "Plain"},  # falls back to the null namespace, as Java does
            ],
        }
    )
    parsed = parse_revision({"o.avsc": text}).schemas["o.avsc"]
    assert parsed.names == {"a.b.Outer", "a.b.Inner", "x.y.Other", "Plain"}


def test_line_of_pointers() -> None:
    parsed = parse_revision({"c.avsc": CUSTOMER, "a.avsc": ADDRESS}).schemas["c.avsc"]
    lines = CUSTOMER.splitlines()

    def text_at(*pointer: str | int) -> str:
        line = parsed.line_of(pointer)
        assert line is not None
        return lines[line - 1].strip()

    assert text_at("fields", 1, "name") == '"name": "home",'
    assert text_at("fields", 1) == '"name": "home",'  # a field is located at its name
    assert text_at("fields", 2, "type") == '"type": ['
    assert text_at("fields", 2, "type", 1) == '"com.acme.Address"'
    assert parsed.line_of(("fields", 9)) == parsed.line_of(("fields",))  # nearest existing ancestor
    assert parsed.line_of(()) == 1


def test_logical_types_valid_and_ignored() -> None:
    text = json.dumps(
        {
            "type": "record",
            "name": "R",
            "fields": [
                {
                    "name": "ok",
                    "type": {"type": "bytes", "logicalType": "decimal", "precision": 5, "scale": 2},
                },
                {
                    "name": "bad_scale",
                    "type": {"type": "bytes", "logicalType": "decimal", "precision": 2, "scale": 5},
                },
                {"name": "wrong_base", "type": {"type": "string", "logicalType": "date"}},
                {
                    "name": "uuid_fixed",
                    "type": {"type": "fixed", "name": "U", "size": 16, "logicalType": "uuid"},
                },
                {
                    "name": "big",
                    "type": {
                        "type": "fixed",
                        "name": "D",
                        "size": 2,
                        "logicalType": "decimal",
                        "precision": 5,
                    },
                },
            ],
        }
    )
    record = parse_revision({"r.avsc": text}).schemas["r.avsc"].schema
    assert isinstance(record, Record)
    logical = {f.name: (f.type.logical, f.type.raw_logical) for f in record.fields}
    assert logical == {
        "ok": ("decimal", "decimal"),
        "bad_scale": (None, "decimal"),
        "wrong_base": (None, "date"),
        "uuid_fixed": ("uuid", "uuid"),
        "big": (None, "decimal"),  # 2 bytes hold at most 4 decimal digits
    }


def test_absurdly_deep_nesting_is_a_problem_not_a_crash() -> None:
    deep_json = '{"type": "array", "items": ' * 5000 + '"int"' + "}" * 5000
    deep_schema: object = "int"
    for _ in range(350):
        deep_schema = {"type": "array", "items": deep_schema}
    revision = parse_revision({"deep_json.avsc": deep_json, "deep.avsc": json.dumps(deep_schema)})
    assert [p.rule for p in revision.problems["deep_json.avsc"]] == ["invalid-schema"]
    assert [p.rule for p in revision.problems["deep.avsc"]] == ["invalid-schema"]


@pytest.mark.parametrize("references", ["shared", "per-file"])
def test_lookup_order_does_not_change_results(references: str) -> None:
    # Files are parsed when looked up; whatever the order, the results are the same. Shared: "first
    # defined" is path order. Per file: each address file is its own; the customer's Address is ambiguous.
    other = ADDRESS.replace('"string"', '"int"')
    texts = {"a/address.avsc": ADDRESS, "b/customer.avsc": CUSTOMER, "c/address_again.avsc": other}
    everything = parse_revision(texts, references)  # type: ignore[arg-type]
    expected_schemas, expected_problems = set(everything.schemas), dict(everything.problems)
    if references == "shared":
        assert expected_schemas == {"a/address.avsc", "b/customer.avsc"}
    else:
        assert expected_schemas == {"a/address.avsc", "c/address_again.avsc"}
        assert [p.rule for p in expected_problems["b/customer.avsc"]] == ["ambiguous-type"]
    for order in (["c/address_again.avsc", "b/customer.avsc", "a/address.avsc"], ["b/customer.avsc"]):
        revision = parse_revision(texts, references)  # type: ignore[arg-type]
        for path in order:
            assert (path in revision.schemas) == (path in expected_schemas)
            assert revision.problems.get(path) == expected_problems.get(path)
    if references == "shared":
        customer = parse_revision(texts, "shared").schemas["b/customer.avsc"].schema
        assert isinstance(customer, Record)
        assert customer.by_name["home"].type.by_name["zip"].type.kind == "string"  # type: ignore[attr-defined]


def test_escaped_names_still_resolve() -> None:
    escaped = ADDRESS.replace('"Address"', '"Addr\\u0065ss"')
    revision = parse_revision({"z/address.avsc": escaped, "a/customer.avsc": CUSTOMER})
    assert "a/customer.avsc" in revision.schemas


def test_gc_paused_restores_the_collector_state() -> None:
    import gc

    from dataops_ci.avro import gc_paused

    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()  # a caller that paused it keeps it paused
    finally:
        gc.enable()


def test_many_lookups_switch_to_one_pass() -> None:
    texts = {
        f"s{i:03}.avsc": json.dumps({"type": "enum", "name": f"E{i}", "symbols": ["A"]}) for i in range(200)
    }
    revision = parse_revision(texts)
    found = [path for path in sorted(texts)[:30] if path in revision.schemas]
    assert len(found) == 30
    assert len(revision.schemas) == 200 and not revision.problems
