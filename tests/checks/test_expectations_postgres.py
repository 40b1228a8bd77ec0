"""Suites against a real PostgreSQL server (DATAOPS_CI_TEST_PG_URL): table and query assets, timeouts."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from dataops_ci import runner
from dataops_ci.checks import expectations
from dataops_ci.config import DataSource, ExpectationsConfig
from dataops_ci.expectations import gx_run
from dataops_ci.report import CheckResult
from tests.conftest import CASES, Repo, case_repo

CASE = CASES / "expectations/postgres"
SCHEMA = "dataops_ci_expectations"
PG_URL = os.environ.get("DATAOPS_CI_TEST_PG_URL", "")

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        not PG_URL, reason="DATAOPS_CI_TEST_PG_URL is not set (start one with scripts/postgres)"
    ),
]


@pytest.fixture(scope="module")
def orders_table() -> Iterator[str]:
    import pandas as pd
    import sqlalchemy as sa

    engine = sa.create_engine(PG_URL)
    with engine.begin() as connection:
        connection.execute(sa.text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
        connection.execute(sa.text(f"CREATE SCHEMA {SCHEMA}"))
    pd.read_csv(CASE / "head/seed/orders.csv").to_sql("orders", engine, schema=SCHEMA, index=False)
    yield f"{SCHEMA}.orders"
    with engine.begin() as connection:
        connection.execute(sa.text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
    engine.dispose()


def run_case(make_repo: Callable[..., Repo]) -> CheckResult:
    repo = case_repo(make_repo, CASE)
    ctx = runner.build_context(cwd=repo.root, base=None, head=None, config_file=None, all_files=True, env={})
    return expectations.run(ctx)


def test_table_and_query_suites(orders_table: str, make_repo: Callable[..., Repo]) -> None:
    result = run_case(make_repo)
    orders, shipped = result.data["suites"]
    assert (orders["engine"], orders["evaluated"], orders["passed"]) == ("sql", 5, 3)
    assert orders["data"].endswith("#dataops_ci_expectations.orders")
    assert "dataops:dataops@" not in orders["data"]
    assert (shipped["evaluated"], shipped["passed"], shipped["status"]) == (2, 2, "passed")
    failed = {f.data["expectation"]: f for f in result.findings if f.rule == "expectation-failed"}
    assert failed["expect_column_values_to_be_in_set"].data["unexpected_values"] == ["returned"]
    assert failed["expect_column_values_to_be_between"].data["unexpected_count"] == 1
    assert result.status == "failed"


def test_query_timeout_is_enforced(orders_table: str, tmp_path: Path) -> None:
    slow = DataSource(engine="sql", url=PG_URL, query=f"SELECT o.* FROM {orders_table} o, pg_sleep(3) s")
    outcome = gx_run.validate(
        [{"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "order_id"}}],
        slow,
        tmp_path,
        name="slow",
        options=ExpectationsConfig(query_timeout_s=1),
    )
    assert (outcome.error_rule, outcome.evaluated) == ("cannot-query", 0)
    assert "statement timeout" in (outcome.error or "")


def test_missing_table_is_cannot_read_data(orders_table: str, tmp_path: Path) -> None:
    outcome = gx_run.validate(
        [{"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "x"}}],
        DataSource(engine="sql", url=PG_URL, table=f"{SCHEMA}.no_such_table"),
        tmp_path,
        name="missing",
        options=ExpectationsConfig(),
    )
    assert outcome.error_rule == "cannot-read-data", outcome
    assert "no_such_table" in (outcome.error or "")
    assert "dataops:dataops@" not in (outcome.error or "")


def test_a_gx_project_on_postgres_takes_its_credentials_from_the_environment(
    make_repo: Callable[..., Repo], monkeypatch: pytest.MonkeyPatch
) -> None:
    import pandas as pd
    import sqlalchemy as sa

    from tests.checks.test_expectations_gx_project import FAILING, PASSING, build_in_process

    schema = "dataops_ci_gx_project"
    engine = sa.create_engine(PG_URL)
    with engine.begin() as connection:
        connection.execute(sa.text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        connection.execute(sa.text(f"CREATE SCHEMA {schema}"))
    pd.DataFrame({"id": [1, 2, 3], "age": [30, -5, 40]}).to_sql(
        "customers", engine, schema=schema, index=False
    )
    try:
        monkeypatch.setenv("WAREHOUSE_URL", PG_URL)
        spec = {
            "datasource": "postgres",
            "connection_string": "${WAREHOUSE_URL}",
            "schema": schema,
            "expectations": [PASSING, FAILING],
        }
        repo = make_repo()
        build_in_process(repo, spec, monkeypatch)
        config = (repo.root / "gx" / "great_expectations.yml").read_text()
        assert "${WAREHOUSE_URL}" in config and PG_URL not in config  # no credentials in the repository
        ctx = runner.build_context(
            cwd=repo.root, base=None, head=None, config_file=None, all_files=True, env={}
        )
        result = expectations.run(ctx)
        (validation,) = result.data["gx_projects"]
        assert [(e["success"], e["observed"]) for e in validation["expectations"]] == [
            (True, None),
            (False, 40),
        ]
        assert PG_URL not in repr(result)
    finally:
        with engine.begin() as connection:
            connection.execute(sa.text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        engine.dispose()
