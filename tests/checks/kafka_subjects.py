"""A Kafka-subject schema repository and its history, in the shape of the real ones.

One `.avsc` per subject (`subjects/<topic>-value.avsc`), each self-contained: shared records (Address,
Money, the Status enum) are inlined into every subject that needs them, mostly as byte-identical copies;
`shipment` inlines an Address with a different definition, `supplier`'s copy drifts in commit 1, and
`payment` uses Money without defining it (a schema reference, as Schema Registry has them). The history mixes
changes that are compatible in both directions, in one, and in neither, and one commit where the copies of
Money disagree (so payment's reference is ambiguous) and a later one where they agree again.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

Doc = dict[str, Any]
State = dict[str, Doc]
COMMON = "com.acme.common"
MONEY_REF = f"{COMMON}.Money"


def f(name: str, type_: Any, **extra: Any) -> Doc:
    return {"name": name, "type": type_, **extra}


def optional_string(name: str) -> Doc:
    return f(name, ["null", "string"], default=None)


def address(*extra: Doc) -> Doc:
    fields = [f("street", "string"), f("city", "string"), f("zip", "string"), *extra]
    return {"type": "record", "name": "Address", "namespace": COMMON, "fields": fields}


def money() -> Doc:
    fields = [f("units", "long"), f("currency", "string")]
    return {"type": "record", "name": "Money", "namespace": COMMON, "fields": fields}


def status() -> Doc:
    return {"type": "enum", "name": "Status", "namespace": COMMON, "symbols": ["ACTIVE", "SUSPENDED"]}


def subject(name: str, *fields: Doc) -> Doc:
    return {"type": "record", "name": name, "namespace": "com.acme", "fields": [f("id", "long"), *fields]}


def initial() -> State:
    line_fields = [f("sku", "string"), f("qty", "int"), f("price", MONEY_REF)]
    line = {"type": "record", "name": "Line", "fields": line_fields}
    return {
        "customer": subject(
            "Customer",
            f("name", "string"),
            f("status", status()),
            f("home", address()),
            f("work", ["null", f"{COMMON}.Address"], default=None),
        ),
        "supplier": subject("Supplier", f("name", "string"), f("address", address())),
        "order": subject(
            "Order",
            f("ship_to", address()),
            f("total", money()),
            f("lines", {"type": "array", "items": line}),
        ),
        "invoice": subject("Invoice", f("total", money()), f("tax", MONEY_REF)),
        "refund": subject("Refund", f("amount", money()), f("reason", ["null", "string"], default=None)),
        "shipment": subject("Shipment", f("to", address(f("floor", "int"))), f("weight_kg", "float")),
        "payment": subject("Payment", f("amount", MONEY_REF)),
        "account": subject("Account", f("status", status()), f("owner", "string")),
    }


def fields(doc: Doc) -> list[Doc]:
    return doc["fields"]  # type: ignore[no-any-return]


def field(doc: Doc, name: str) -> Doc:
    return next(item for item in fields(doc) if item["name"] == name)


def c1(s: State) -> None:
    fields(s["customer"]).append(optional_string("email"))  # compatible both ways
    # supplier's copy of Address drifts from the others
    fields(field(s["supplier"], "address")["type"]).append(f("country", "string", default="NL"))
    field(field(s["order"], "lines")["type"]["items"], "qty")["type"] = "long"  # int -> long: backward only


def c2(s: State) -> None:
    s["invoice"]["fields"] = [x for x in fields(s["invoice"]) if x["name"] != "tax"]  # removed: backward only
    fields(s["refund"]).append(f("refunded_at", "long"))  # added without default: forward only


def c3(s: State) -> None:
    field(s["customer"], "status")["type"]["symbols"].append("CLOSED")  # symbol added: backward only
    field(s["shipment"], "weight_kg")["type"] = "double"  # float -> double: backward only
    field(field(s["shipment"], "to")["type"], "floor")["type"] = "string"  # int -> string: neither


def c4(s: State) -> None:
    # refund's copy of Money now differs from order's and invoice's: payment's reference is ambiguous
    fields(field(s["refund"], "amount")["type"]).append(f("scale", "int", default=2))
    renamed = field(s["order"], "ship_to")
    renamed["name"], renamed["aliases"] = "shipping_address", ["ship_to"]  # reader alias: backward only


def c5(s: State) -> None:
    fields(s["payment"]).append(optional_string("note"))  # while its Money is ambiguous
    s["account"]["fields"] = [x for x in fields(s["account"]) if x["name"] != "owner"]  # backward only


def c6(s: State) -> None:
    money_fields = fields(field(s["refund"], "amount")["type"])
    money_fields[:] = [x for x in money_fields if x["name"] != "scale"]  # identical copies again
    s["refund"]["fields"] = [x for x in fields(s["refund"]) if x["name"] != "refunded_at"]  # backward only
    field(s["customer"], "name")["type"] = ["string", "null"]  # string -> union: backward only


def c7(s: State) -> None:
    field(s["supplier"], "id")["type"] = "int"  # long -> int: forward only
    field(s["refund"], "reason")["type"] = ["null", "string", "int"]  # union widened: backward only
    field(s["account"], "status")["type"]["default"] = "ACTIVE"  # enum default: harmless


EDITS: list[Callable[[State], None]] = [c1, c2, c3, c4, c5, c6, c7]


def history() -> list[dict[str, str]]:
    """The file texts of each commit, oldest first."""
    state = initial()
    out = [texts(state)]
    for edit in EDITS:
        state = copy.deepcopy(state)
        edit(state)
        out.append(texts(state))
    return out


def texts(state: State) -> dict[str, str]:
    return {f"subjects/{topic}-value.avsc": json.dumps(doc, indent=2) + "\n" for topic, doc in state.items()}


def definitions(value: Any, enclosing: str = "") -> dict[str, Doc]:
    """Full name -> definition of the named types in a document (for Avro's own reference resolution)."""
    found: dict[str, Doc] = {}
    if isinstance(value, list):
        for item in value:
            found.update(definitions(item, enclosing))
    elif isinstance(value, dict):
        if value.get("type") in ("record", "enum", "fixed"):
            space = value.get("namespace", enclosing)
            fullname = f"{space}.{value['name']}" if space else value["name"]
            found.setdefault(fullname, value)
            for item in value.get("fields", []):
                found.update(definitions(item["type"], space))
        else:
            for key in ("type", "items", "values"):
                found.update(definitions(value.get(key), enclosing))
    return found
