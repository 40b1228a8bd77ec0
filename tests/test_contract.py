"""Data contracts: Avro record schemas checked against pandas frames read from text and typed formats."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd
import pytest

from dataops_ci.config import DataSource
from dataops_ci.contracts.fields import ContractSchemaError, Violation, check_frame, parse_contract
from dataops_ci.expectations.engines import load_dataframe
from dataops_ci.pipelines.contract import load_for_contract

SCHEMA = {
    "type": "record",
    "name": "Customer",
    "namespace": "com.acme",
    "fields": [
        {"name": "id", "type": "long"},
        {"name": "email", "type": ["null", "string"], "default": None},
        {"name": "age", "type": "int"},
        {"name": "score", "type": "double"},
        {"name": "active", "type": "boolean"},
        {"name": "tier", "type": {"type": "enum", "name": "Tier", "symbols": ["gold", "silver"]}},
        {"name": "previous_tier", "type": ["null", "Tier"], "default": None},
        {"name": "updated_at", "type": {"type": "long", "logicalType": "timestamp-millis"}},
        {"name": "ref", "type": {"type": "string", "logicalType": "uuid"}},
    ],
}
GOOD_CSV = """\
id,email,age,score,active,tier,previous_tier,updated_at,ref
1,a@example.com,31,0.5,true,gold,,2026-11-24T09:00:00Z,7c9e6679-7425-40de-944b-e07fc1f90ae7
2,,40,1,false,silver,gold,2026-11-24T10:00:00+01:00,16fd2706-8baf-433b-82eb-8c7fada847da
"""


def fields() -> list:  # type: ignore[type-arg]
    return parse_contract(json.dumps(SCHEMA))


def violations(frame: pd.DataFrame, fmt: str = "csv") -> list[tuple[str, str]]:
    return sorted((v.rule, v.column) for v in check_frame(frame, fields(), fmt))


def csv(text: str) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(text))


def test_parse_resolves_nullability_and_named_types() -> None:
    by_name = {f.name: f for f in fields()}

    assert not by_name["id"].nullable and by_name["id"].type == "long"
    assert by_name["email"].nullable and by_name["email"].type == "string"
    assert by_name["previous_tier"].nullable and by_name["previous_tier"].type["symbols"] == [
        "gold",
        "silver",
    ]
    assert by_name["tier"].type_name == "enum Tier"
    assert by_name["updated_at"].type_name == "long (timestamp-millis)"


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("{not json", "not valid JSON"),
        (
            '{"type": "record", "name": "X", "fields": [{"name": "a", "type": "lng"}]}',
            "not a valid Avro schema",
        ),
        ('"string"', "must be an Avro record"),
    ],
)
def test_unusable_schemas(text: str, says: str) -> None:
    with pytest.raises(ContractSchemaError, match=says):
        parse_contract(text)


def test_a_matching_csv_has_no_violations() -> None:
    assert violations(csv(GOOD_CSV)) == []


def test_missing_extra_and_defaulted_columns() -> None:
    frame = csv(GOOD_CSV).drop(columns=["age", "email"]).assign(country="NL")
    found = {(v.rule, v.column): v for v in check_frame(frame, fields(), "csv")}

    assert found[("contract-missing-column", "age")].severity == "error"
    assert found[("contract-missing-column", "email")].severity == "warning"  # it has a default
    assert found[("contract-extra-column", "country")].severity == "warning"
    assert len(found) == 3


def test_a_column_may_be_named_by_an_alias() -> None:
    schema = {"type": "record", "name": "R", "fields": [{"name": "id", "type": "long", "aliases": ["key"]}]}
    frame = pd.DataFrame({"key": [1, 2]})

    assert check_frame(frame, parse_contract(json.dumps(schema)), "parquet") == []


def test_type_mismatches_in_csv_name_the_rows() -> None:
    text = GOOD_CSV + "3.5,c@example.com,old,high,maybe,bronze,,last week,not-a-uuid\n"
    found = {v.column: v for v in check_frame(csv(text), fields(), "csv")}

    assert sorted(found) == ["active", "age", "id", "ref", "score", "tier", "updated_at"]
    assert all(v.rule == "contract-type-mismatch" and v.rows == (3,) for v in found.values())
    assert found["tier"].examples == ("bronze",)


def test_ints_out_of_range_for_avro_int() -> None:
    frame = csv(GOOD_CSV).assign(age=[31, 2**31])

    assert violations(frame) == [("contract-type-mismatch", "age")]


def test_nulls_in_required_fields_but_not_in_nullable_ones() -> None:
    text = GOOD_CSV + "3,,50,0.1,true,gold,,2026-11-24T11:00:00Z,\n"
    found = [
        v for v in check_frame(csv(text), fields(), "csv") if v.rule == "contract-null-in-required-field"
    ]

    assert [(v.column, v.count, v.rows) for v in found] == [("ref", 1, (3,))]


def test_csv_has_no_types_so_numbers_are_valid_strings() -> None:
    schema = {"type": "record", "name": "R", "fields": [{"name": "zip", "type": "string"}]}
    frame = csv("zip\n1234\n5678\n")

    assert check_frame(frame, parse_contract(json.dumps(schema)), "csv") == []
    assert [v.rule for v in check_frame(frame, parse_contract(json.dumps(schema)), "parquet")] == [
        "contract-type-mismatch"
    ]


def test_typed_formats_hold_their_own_types(tmp_path: Path) -> None:
    frame = pd.DataFrame(
        {
            "id": [1, 2],
            "email": ["a@example.com", None],
            "age": [31, 40],
            "score": [0.5, 1.0],
            "active": [True, False],
            "tier": ["gold", "silver"],
            "previous_tier": [None, "gold"],
            "updated_at": pd.to_datetime(["2026-11-24T09:00:00Z", "2026-11-24T10:00:00Z"]),
            "ref": ["7c9e6679-7425-40de-944b-e07fc1f90ae7", "16fd2706-8baf-433b-82eb-8c7fada847da"],
        }
    )
    frame.to_parquet(tmp_path / "customers.parquet")
    loaded = load_dataframe(DataSource(path="customers.parquet"), tmp_path)

    assert violations(loaded, "parquet") == []
    broken = loaded.assign(age=["31", "40"], active=[1, 0])
    assert violations(broken, "parquet") == [
        ("contract-type-mismatch", "active"),
        ("contract-type-mismatch", "age"),
    ]


def test_jsonl_strings_are_not_numbers(tmp_path: Path) -> None:
    (tmp_path / "rows.jsonl").write_text('{"id": "1", "score": 2}\n{"id": 2, "score": "x"}\n')
    schema = {
        "type": "record",
        "name": "R",
        "fields": [{"name": "id", "type": "long"}, {"name": "score", "type": "float"}],
    }
    frame, fmt = load_for_contract(DataSource(path="rows.jsonl"), tmp_path)
    found: list[Violation] = check_frame(frame, parse_contract(json.dumps(schema)), fmt)

    assert sorted((v.column, v.rows) for v in found) == [("id", (1,)), ("score", (2,))]


def test_named_types_from_other_files_are_opaque() -> None:
    schema = {
        "type": "record",
        "name": "Customer",
        "namespace": "com.acme",
        "fields": [
            {"name": "id", "type": "long"},
            {"name": "address", "type": ["null", "com.acme.Address"], "default": None},
            {"name": "billing", "type": "Address"},
        ],
    }
    parsed = {f.name: f for f in parse_contract(json.dumps(schema))}
    frame = pd.DataFrame({"id": [1], "address": ["Main St 1"], "billing": [{"street": "x"}]})

    assert parsed["address"].nullable and not parsed["billing"].nullable
    assert check_frame(frame, list(parsed.values()), "parquet") == []
