"""Loading datasets: every local format reads to the same frame; bad paths and URLs are DataLoadErrors."""

from __future__ import annotations

import json
from pathlib import Path

import fastavro
import pandas as pd
import pytest

from dataops_ci.config import DataSource
from dataops_ci.expectations import engines
from dataops_ci.expectations.engines import DataLoadError
from tests.conftest import CASES

CUSTOMERS = CASES / "expectations/passing/head/data/customers.csv"


@pytest.fixture
def formats(tmp_path: Path) -> Path:
    """The customers CSV written in every local format the pandas engine reads."""
    frame = pd.read_csv(CUSTOMERS)
    (tmp_path / "data").mkdir()
    (tmp_path / "data/customers.csv").write_bytes(CUSTOMERS.read_bytes())
    frame.to_csv(tmp_path / "data/customers.tsv", sep="\t", index=False)
    frame.to_parquet(tmp_path / "data/customers.parquet", index=False)
    frame.to_json(tmp_path / "data/customers.jsonl", orient="records", lines=True)
    (tmp_path / "data/customers.json").write_text(json.dumps(frame.to_dict(orient="records")))
    (tmp_path / "data/parts").mkdir()
    frame.iloc[:5].to_parquet(tmp_path / "data/parts/a.parquet", index=False)
    frame.iloc[5:].to_parquet(tmp_path / "data/parts/b.parquet", index=False)
    schema = {
        "type": "record",
        "name": "Customer",
        "fields": [
            {"name": "customer_id", "type": "long"},
            {"name": "email", "type": ["null", "string"]},
            {"name": "segment", "type": "string"},
            {"name": "signup_date", "type": "string"},
            {"name": "updated_at", "type": "string"},
            {"name": "lifetime_value", "type": "double"},
        ],
    }
    with (tmp_path / "data/customers.avro").open("wb") as handle:
        fastavro.writer(handle, fastavro.parse_schema(schema), frame.to_dict(orient="records"))
    return tmp_path


@pytest.mark.parametrize(
    "path",
    [
        "customers.csv",
        "customers.tsv",
        "customers.parquet",
        "customers.jsonl",
        "customers.json",
        "customers.avro",
        "parts",
    ],
)
def test_every_local_format_reads_the_same_rows(formats: Path, path: str) -> None:
    frame = engines.load_dataframe(DataSource(path=f"data/{path}"), formats)
    expected = pd.read_csv(CUSTOMERS)
    assert list(frame.columns) == list(expected.columns)
    assert frame["customer_id"].tolist() == expected["customer_id"].tolist()
    assert frame["segment"].tolist() == expected["segment"].tolist()
    assert frame["lifetime_value"].tolist() == pytest.approx(expected["lifetime_value"].tolist())


@pytest.mark.parametrize("path", ["customers.csv", "customers.parquet", "customers.avro"])
def test_reading_only_the_used_columns_keeps_file_order_and_ignores_unknown(formats: Path, path: str) -> None:
    frame = engines.load_dataframe(
        DataSource(path=f"data/{path}"), formats, ["segment", "customer_id", "nope"]
    )
    assert list(frame.columns) == ["customer_id", "segment"]
    assert len(frame) == len(pd.read_csv(CUSTOMERS))


def test_format_option_overrides_the_suffix(formats: Path) -> None:
    (formats / "data/customers.txt").write_bytes((formats / "data/customers.tsv").read_bytes())
    frame = engines.load_dataframe(DataSource(path="data/customers.txt", format="tsv"), formats)
    assert len(frame.columns) == 6


def test_reader_options_are_passed_through(formats: Path) -> None:
    (formats / "data/semi.csv").write_text("a;b\n1;2\n")
    frame = engines.load_dataframe(DataSource(path="data/semi.csv", options={"sep": ";"}), formats)
    assert list(frame.columns) == ["a", "b"]


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("data/none.csv", "data file not found"),
        ("../outside.csv", "outside the repository"),
        ("data/customers.xlsx", "unknown data format"),
    ],
)
def test_unusable_paths(formats: Path, path: str, message: str) -> None:
    (formats / "data/customers.xlsx").write_bytes(b"")
    (formats.parent / "outside.csv").write_text("a\n1\n")
    with pytest.raises(DataLoadError, match=message) as caught:
        engines.load_dataframe(DataSource(path=path), formats)
    assert caught.value.rule == "cannot-read-data"
    assert caught.value.missing == (message == "data file not found")


def test_corrupt_files_are_load_errors_naming_the_file(formats: Path) -> None:
    (formats / "data/bad.parquet").write_bytes(b"PAR1 not really")
    (formats / "data/bad.avro").write_bytes(b"Obj\x01 truncated")
    for name in ("bad.parquet", "bad.avro"):
        with pytest.raises(DataLoadError, match=f"data/{name}: cannot read as"):
            engines.load_dataframe(DataSource(path=f"data/{name}"), formats)


def test_expand_env_and_missing_variables() -> None:
    env = {"PGUSER": "ana", "PGPASS": "s3cret"}
    assert engines.expand_env("postgresql://${PGUSER}:${PGPASS}@db/x", env) == "postgresql://ana:s3cret@db/x"
    with pytest.raises(DataLoadError, match="WAREHOUSE_URL is not set") as caught:
        engines.expand_env("${WAREHOUSE_URL}", env)
    assert caught.value.rule == "cannot-connect"


def test_mask_url_hides_passwords_only() -> None:
    assert (
        engines.mask_url("postgresql+psycopg2://ana:s3cret@db:5432/x")
        == "postgresql+psycopg2://ana:***@db:5432/x"
    )
    assert engines.mask_url("postgresql://db/x") == "postgresql://db/x"
    assert engines.mask_url("${WAREHOUSE_URL}") == "${WAREHOUSE_URL}"
    assert engines.mask_url("mysql://u:p@ss@h/d") == "mysql://u:***@h/d"


def test_sql_timeouts_per_dialect() -> None:
    pg = engines.sql_engine_kwargs("postgresql+psycopg2://h/d", 3, 7)
    assert pg == {"connect_args": {"connect_timeout": 3, "options": "-c statement_timeout=7000"}}
    assert engines.sql_engine_kwargs("sqlite:///x.db", 3, 7) == {"connect_args": {"timeout": 3}}
    assert engines.sql_engine_kwargs("snowflake://a/b", 3, 7) == {}


def test_unreachable_database_is_cannot_connect_and_masks_the_password() -> None:
    url = "postgresql+psycopg2://ana:s3cret@127.0.0.1:1/nothing"
    with pytest.raises(DataLoadError) as caught:
        engines.check_sql_connection(url, engines.sql_engine_kwargs(url, 2, 5))
    assert caught.value.rule == "cannot-connect"
    assert "s3cret" not in str(caught.value)


def test_describe_never_shows_a_password() -> None:
    source = DataSource(engine="sql", url="postgresql://ana:s3cret@db/x", table="orders")
    assert engines.describe(source) == "sql:postgresql://ana:***@db/x#orders"
    assert engines.describe(DataSource(path="data/a.csv")) == "data/a.csv"
