"""The `dataops_ci.testing` pytest plugin, exercised through real inner pytest runs (pytester)."""

from __future__ import annotations

import importlib
import json

import pytest

pytest_plugins = ["pytester"]

CUSTOMER_SCHEMA = {
    "type": "record",
    "name": "Customer",
    "fields": [
        {"name": "customer_id", "type": "long"},
        {"name": "email", "type": "string"},
        {
            "name": "segment",
            "type": {"type": "enum", "name": "Segment", "symbols": ["bronze", "silver", "gold"]},
        },
        {"name": "signup_date", "type": {"type": "int", "logicalType": "date"}},
        {"name": "lifetime_value", "type": ["null", "double"], "default": None},
    ],
}
CUSTOMERS_CSV = (
    "customer_id,email,segment,signup_date,lifetime_value\n"
    "1,ada@example.com,gold,2024-01-05,1200.5\n"
    "2,bob@example.com,bronze,2024-02-11,\n"
)


@pytest.fixture(scope="module")
def preloaded() -> None:
    """In-process pytester runs drop modules the inner run imported; numpy cannot be imported twice in
    one process, so the libraries the helpers use are imported out here, once."""
    for name in ("numpy", "pandas", "pyarrow.parquet", "fastavro"):
        importlib.import_module(name)


@pytest.fixture
def data_repo(pytester: pytest.Pytester, preloaded: None) -> pytest.Pytester:
    pytester.makefile(".csv", **{"data/customers": CUSTOMERS_CSV})
    pytester.makefile(".avsc", **{"schemas/customer": json.dumps(CUSTOMER_SCHEMA)})
    return pytester


def test_load_fixture_reads_every_format(data_repo: pytest.Pytester) -> None:
    data_repo.makepyfile(
        """
        import pandas as pd
        from fastavro import parse_schema, writer
        from dataops_ci.testing import load_fixture

        def test_formats(tmp_path):
            df = load_fixture("data/customers.csv")
            assert list(df.columns)[:2] == ["customer_id", "email"] and len(df) == 2
            df.to_parquet(tmp_path / "c.parquet")
            df.to_json(tmp_path / "c.jsonl", orient="records", lines=True)
            fields = [{"name": "email", "type": "string"}]
            schema = parse_schema({"type": "record", "name": "R", "fields": fields})
            with open(tmp_path / "c.avro", "wb") as out:
                writer(out, schema, [{"email": e} for e in df["email"]])
            for name in ("c.parquet", "c.jsonl", "c.avro"):
                loaded = load_fixture(tmp_path / name)
                assert list(loaded["email"]) == ["ada@example.com", "bob@example.com"], name
        """
    )
    data_repo.runpytest().assert_outcomes(passed=1)


def test_missing_fixture_names_the_file(data_repo: pytest.Pytester) -> None:
    data_repo.makepyfile(
        """
        from dataops_ci.testing import load_fixture

        def test_missing():
            load_fixture("data/orders.csv")
        """
    )
    result = data_repo.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*FixtureError: data/orders.csv: *data file not found*"])


def test_conforming_frame_passes_and_mismatches_are_all_listed(data_repo: pytest.Pytester) -> None:
    data_repo.makepyfile(
        """
        from dataops_ci.testing import assert_conforms_to_schema, load_fixture

        def test_conforms():
            assert_conforms_to_schema(load_fixture("data/customers.csv"), "schemas/customer.avsc")

        def test_broken_transform():
            df = load_fixture("data/customers.csv")
            df = df.drop(columns=["signup_date"]).assign(fax="n/a")
            df.loc[1, "email"] = None
            df["segment"] = ["gold", "platinum"]
            df["customer_id"] = ["1", "2"]
            assert_conforms_to_schema(df, "schemas/customer.avsc")
        """
    )
    result = data_repo.runpytest()
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(
        [
            "*DataFrame does not conform to schemas/customer.avsc (5 problems):",
            "*column 'customer_id' should hold long values, found dtype *; e.g. '1' at row 0",
            "*column 'email' has 1 null value (row 1) but the schema field is not nullable*",
            "*column 'segment' should hold enum Segment (bronze, silver, gold) values*'platinum' at row 1",
            "*column 'signup_date' is missing*",
            "*column 'fax' is not in the schema",
        ]
    )


def test_dataops_fixture_is_auto_loaded_and_resolves_from_the_test_folder(pytester: pytest.Pytester) -> None:
    # No conftest, no pytest_plugins: the pytest11 entry point provides `dataops` in a fresh interpreter.
    pytester.makefile(".csv", **{"tests/fixtures/customers": CUSTOMERS_CSV})
    pytester.makepyfile(
        **{
            "tests/test_uses_fixture": """
            def test_fixture(dataops):
                df = dataops.load_fixture("fixtures/customers.csv")
                assert df["segment"].tolist() == ["gold", "bronze"]
            """
        }
    )
    pytester.runpytest_subprocess().assert_outcomes(passed=1)


def test_expectation_suite_runs_inside_a_test(data_repo: pytest.Pytester) -> None:
    suite = {
        "name": "customers",
        "expectations": [
            {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "email"}},
            {
                "type": "expect_column_values_to_be_in_set",
                "kwargs": {"column": "segment", "value_set": ["gold"]},
            },
        ],
    }
    importlib.import_module("dataops_ci.expectations.gx_run").gx_context()  # GX too, for the same reason
    data_repo.makefile(".json", **{"expectations/customers": json.dumps(suite)})
    data_repo.makepyfile(
        """
        from dataops_ci.testing import load_fixture, run_expectation_suite

        def test_suite_reports_failures():
            df = load_fixture("data/customers.csv")
            outcome = run_expectation_suite(df, "expectations/customers.json", raise_on_failure=False)
            assert (outcome.evaluated, outcome.passed) == (2, 1)

        def test_suite_fails_the_test():
            run_expectation_suite(load_fixture("data/customers.csv"), "expectations/customers.json")
        """
    )
    result = data_repo.runpytest()
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(
        [
            "*expectations/customers.json: 1 of 2 expectations passed",
            "*expect_column_values_to_be_in_set on segment: unexpected 1 (50.0%); e.g. ?'bronze'?",
        ]
    )
