"""Per-file name resolution (schemas.references: per-file): each .avsc stands alone, as a Kafka subject.

A file's own definitions first; a name used and not defined is borrowed from the other files (identical
copies are fine, differing ones are ``ambiguous-type``); ``shared`` keeps one namespace for the revision.
"""

from __future__ import annotations

import json
import random
from typing import Any

import pytest

from dataops_ci.avro import compare, parse_revision
from dataops_ci.avro.model import Record

COMMON = "com.acme.common"


def address(*extra: dict[str, Any]) -> dict[str, Any]:
    fields = [{"name": "street", "type": "string"}, {"name": "zip", "type": "string"}, *extra]
    return {"type": "record", "name": "Address", "namespace": COMMON, "fields": fields}


def subject(name: str, *fields: dict[str, Any]) -> str:
    all_fields = [{"name": "id", "type": "long"}, *fields]
    doc = {"type": "record", "name": name, "namespace": "com.acme", "fields": all_fields}
    return json.dumps(doc, indent=2)


def uses(name: str, field: str, type_: Any) -> str:
    return subject(name, {"name": field, "type": type_})


def field_type(revision: Any, path: str, field: str) -> Any:
    record = revision.schemas[path].schema
    assert isinstance(record, Record)
    return record.by_name[field].type


def test_inline_copies_and_different_own_definitions_all_parse() -> None:
    texts = {
        "customer.avsc": uses("Customer", "home", address()),
        "supplier.avsc": uses("Supplier", "address", address()),  # a byte-identical copy
        "shipment.avsc": uses("Shipment", "to", address({"name": "floor", "type": "int"})),  # differs
    }
    revision = parse_revision(texts)
    assert dict(revision.problems) == {}
    assert set(revision.schemas) == set(texts)
    shipment_address = field_type(revision, "shipment.avsc", "to")
    assert [f.name for f in shipment_address.fields] == ["street", "zip", "floor"]  # its own, not the first
    customer_home = field_type(revision, "customer.avsc", "home")
    assert customer_home is not field_type(revision, "supplier.avsc", "address")  # each file its own
    shared = parse_revision(texts, "shared")
    assert {p.rule for problems in shared.problems.values() for p in problems} == {"duplicate-name"}


def test_a_name_used_and_not_defined_is_borrowed_from_identical_copies() -> None:
    texts = {
        "a.avsc": uses("A", "home", address()),
        "b.avsc": uses("B", "home", address()),
        "order.avsc": uses("Order", "ship_to", f"{COMMON}.Address"),
    }
    revision = parse_revision(texts)
    assert dict(revision.problems) == {}
    borrowed = field_type(revision, "order.avsc", "ship_to")
    assert borrowed is field_type(revision, "a.avsc", "home")  # the first in path order, shared by identity
    assert borrowed.file == "a.avsc"


def test_a_name_defined_differently_by_two_other_files_is_ambiguous_naming_both() -> None:
    texts = {
        "a.avsc": uses("A", "home", address()),
        "b.avsc": uses("B", "home", address({"name": "floor", "type": "int"})),
        "c.avsc": uses("C", "home", address()),
        "order.avsc": uses("Order", "ship_to", f"{COMMON}.Address"),
    }
    revision = parse_revision(texts)
    (problem,) = revision.problems["order.avsc"]
    assert problem.rule == "ambiguous-type"
    assert "a.avsc and b.avsc define it differently" in problem.message
    assert "3 files define it, in 2 ways" in problem.message
    assert problem.line == 12  # the reference
    assert {"a.avsc", "b.avsc", "c.avsc"} <= set(revision.schemas)  # each uses its own


def test_own_definition_wins_even_when_others_disagree() -> None:
    texts = {
        "a.avsc": uses("A", "home", address()),
        "b.avsc": uses("B", "home", address({"name": "floor", "type": "int"})),
        "order.avsc": subject(
            "Order",
            {"name": "ship_to", "type": address()},
            {"name": "bill_to", "type": f"{COMMON}.Address"},  # after its own definition: its own
        ),
    }
    assert dict(parse_revision(texts).problems) == {}


def test_forward_reference_to_an_own_definition_is_not_borrowed() -> None:
    texts = {
        "a.avsc": uses("A", "home", address({"name": "floor", "type": "int"})),
        "order.avsc": subject(
            "Order",
            {"name": "bill_to", "type": ["null", f"{COMMON}.Address"], "default": None},
            {"name": "ship_to", "type": address()},
        ),
    }
    revision = parse_revision(texts)
    assert dict(revision.problems) == {}
    union = field_type(revision, "order.avsc", "bill_to")
    assert union.branches[1] is field_type(revision, "order.avsc", "ship_to")


def test_no_file_defines_it_is_an_unknown_type() -> None:
    revision = parse_revision({"order.avsc": uses("Order", "ship_to", f"{COMMON}.Adress")})
    (problem,) = revision.problems["order.avsc"]
    assert problem.rule == "unknown-type"


def test_a_borrowed_type_resolves_its_own_references_in_its_own_file() -> None:
    country = {"type": "enum", "name": "Country", "namespace": COMMON, "symbols": ["NL", "BE"]}
    other_country = {**country, "symbols": ["FR"]}
    with_country = address({"name": "country", "type": country})
    texts = {
        "a.avsc": uses("A", "home", with_country),
        "b.avsc": uses("B", "country", other_country),  # another Country: does not concern Address
        "order.avsc": uses("Order", "ship_to", f"{COMMON}.Address"),
    }
    revision = parse_revision(texts)
    assert dict(revision.problems) == {}
    borrowed = field_type(revision, "order.avsc", "ship_to")
    assert borrowed.by_name["country"].type.symbols == ("NL", "BE")


def test_files_that_borrow_from_each_other_in_a_cycle_both_parse() -> None:
    node = {"type": "record", "name": "Node", "namespace": COMMON, "fields": [
        {"name": "tree", "type": ["null", f"{COMMON}.Tree"], "default": None}]}  # fmt: skip
    tree = {"type": "record", "name": "Tree", "namespace": COMMON, "fields": [
        {"name": "root", "type": f"{COMMON}.Node"}]}  # fmt: skip
    texts = {"node.avsc": json.dumps(node), "tree.avsc": json.dumps(tree)}
    for order in (["node.avsc", "tree.avsc"], ["tree.avsc", "node.avsc"]):
        revision = parse_revision(texts)
        for path in order:
            assert path in revision.schemas, revision.problems.get(path)
        assert dict(revision.problems) == {}


def test_an_invalid_borrowed_type_names_its_file_and_leaves_no_half_built_type() -> None:
    broken = address()
    broken["fields"].append({"name": "floor"})  # no type
    texts = {"a.avsc": uses("A", "home", broken), "order.avsc": uses("Order", "ship_to", f"{COMMON}.Address")}
    for order in (["order.avsc", "a.avsc"], ["a.avsc", "order.avsc"]):
        revision = parse_revision(texts)
        problems = {path: revision.problems.get(path) for path in order}
        assert problems["a.avsc"] and problems["a.avsc"][0].rule == "invalid-schema"
        (problem,) = problems["order.avsc"] or []
        assert problem.rule == "invalid-schema" and "a.avsc" in problem.message


def test_a_name_defined_twice_in_one_file_is_still_a_duplicate() -> None:
    text = subject("Order", {"name": "a", "type": address()}, {"name": "b", "type": address()})
    (problem,) = parse_revision({"order.avsc": text}).problems["order.avsc"]
    assert problem.rule == "duplicate-name" and "earlier in this file" in problem.message


def test_divergences_list_names_defined_in_several_ways() -> None:
    texts = {
        "a.avsc": uses("A", "home", address()),
        "b.avsc": uses("B", "home", address({"name": "floor", "type": "int"})),
        "c.avsc": uses("C", "home", address()),
        "d.avsc": "{not json",
    }
    (divergence,) = parse_revision(texts).divergences()
    assert divergence.fullname == f"{COMMON}.Address"
    assert divergence.variants == (("a.avsc", "c.avsc"), ("b.avsc",))
    assert (divergence.file, divergence.line) == ("a.avsc", 14)
    assert "2 different definitions: a.avsc, c.avsc; b.avsc" in divergence.describe()
    assert parse_revision(texts, "shared").divergences() == []


def test_compare_across_revisions_of_a_borrowing_file() -> None:
    old_texts = {"a.avsc": uses("A", "home", address()), "o.avsc": uses("O", "to", f"{COMMON}.Address")}
    new_address = address({"name": "floor", "type": "int"})
    new_texts = {"a.avsc": uses("A", "home", new_address), "o.avsc": old_texts["o.avsc"]}
    old, new = parse_revision(old_texts).schemas["o.avsc"], parse_revision(new_texts).schemas["o.avsc"]
    assert [(i.rule, i.path) for i in compare(old, new, "BACKWARD")] == [
        ("field-added-without-default", "O.to.floor")
    ]


@pytest.mark.parametrize("references", ["per-file", "shared"])
def test_escaped_names_are_still_found(references: str) -> None:
    escaped = json.dumps(address()).replace('"Address"', '"Addr\\u0065ss"')
    texts = {"z/address.avsc": escaped, "a/order.avsc": uses("Order", "to", f"{COMMON}.Address")}
    assert "a/order.avsc" in parse_revision(texts, references).schemas  # type: ignore[arg-type]


def test_copies_that_differ_only_in_docs_or_layout_are_the_same_definition() -> None:
    documented = {**address(), "doc": "A postal address."}
    texts = {
        "a.avsc": uses("A", "home", address()),
        "b.avsc": json.dumps(json.loads(uses("B", "home", documented))),  # other layout, and a doc
        "order.avsc": uses("Order", "ship_to", f"{COMMON}.Address"),
    }
    revision = parse_revision(texts)
    assert dict(revision.problems) == {} and revision.divergences() == []
    with_default = address(
        {"name": "floor", "type": {"type": "map", "values": "string"}, "default": {"doc": "x"}}
    )
    other_default = address({"name": "floor", "type": {"type": "map", "values": "string"}, "default": {}})
    texts = {**texts, "a.avsc": uses("A", "home", with_default), "b.avsc": uses("B", "home", other_default)}
    (problem,) = parse_revision(texts).problems["order.avsc"]
    assert problem.rule == "ambiguous-type"  # a default is data: {"doc": "x"} is not {}


def _random_revision(rng: random.Random) -> dict[str, str]:
    """Subjects that inline, reference or redefine Address and Money at random (some copies identical)."""
    units = [{"name": "units", "type": "long"}]
    money = {"type": "record", "name": "Money", "namespace": COMMON, "fields": units}
    variants = {
        "Address": [address(), address({"name": "floor", "type": "int"})],
        "Money": [money, {**money, "fields": [*money["fields"], {"name": "currency", "type": "string"}]}],
    }
    texts = {}
    for index in range(rng.randint(2, 6)):
        fields = []
        for name, options in variants.items():
            choice = rng.random()
            if choice < 0.5:
                fields.append({"name": name.lower(), "type": rng.choice(options)})
            elif choice < 0.8:
                fields.append({"name": name.lower(), "type": f"{COMMON}.{name}"})
        texts[f"s{index}.avsc"] = subject(f"S{index}", *fields)
    return texts


def test_random_subject_revisions_parse_as_avro_alone_and_independently_of_lookup_order() -> None:
    import avro.errors
    import avro.schema

    rng = random.Random(12)
    alone_parsed = 0
    outcomes: set[str] = set()
    for _ in range(150):
        texts = _random_revision(rng)
        everything = parse_revision(texts)
        expected = {path: (path in everything.schemas, everything.problems.get(path)) for path in texts}
        order = list(texts)
        rng.shuffle(order)
        revision = parse_revision(texts)
        assert {path: (path in revision.schemas, revision.problems.get(path)) for path in order} == expected
        for path, text in texts.items():
            try:
                avro.schema.parse(text)
            except avro.errors.SchemaParseException:
                continue
            alone_parsed += 1
            assert expected[path] == (True, None), (path, texts)  # self-contained for Avro: fine for us
        for path, (parsed, problems) in expected.items():
            if not parsed:
                assert problems and problems[0].rule in {"ambiguous-type", "unknown-type"}, problems
                outcomes.add(problems[0].rule)
            elif f'"{COMMON}.' in texts[path]:
                outcomes.add("borrowed")
    assert alone_parsed > 100
    assert outcomes == {"ambiguous-type", "unknown-type", "borrowed"}
