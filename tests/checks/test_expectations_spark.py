"""Suites through GX's Spark execution with one light local session for the whole module."""

from __future__ import annotations

import importlib.util
import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from dataops_ci import runner
from dataops_ci.checks import expectations
from dataops_ci.config import DataSource, ExpectationsConfig
from dataops_ci.expectations import engines, gx_run
from tests.conftest import CASES, Repo, case_repo

CASE = CASES / "expectations/spark"
MASTER = "local[1]"

pytestmark = [
    pytest.mark.spark,
    pytest.mark.skipif(shutil.which("java") is None, reason="Spark needs Java (java not on PATH)"),
    pytest.mark.skipif(importlib.util.find_spec("pyspark") is None, reason="pyspark is not installed"),
]


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    session = engines.spark_session(MASTER)
    yield session
    session.stop()


def test_spark_case_runs_through_the_check(spark: Any, make_repo: Callable[..., Repo]) -> None:
    repo = case_repo(make_repo, CASE)
    ctx = runner.build_context(cwd=repo.root, base=None, head=None, config_file=None, all_files=True, env={})
    result = expectations.run(ctx)
    (suite,) = result.data["suites"]
    assert (suite["engine"], suite["evaluated"], suite["passed"]) == ("spark", 6, 4)
    failed = {f.data["expectation"]: f.data for f in result.findings if f.rule == "expectation-failed"}
    assert failed["expect_column_values_to_not_be_null"]["unexpected_count"] == 1
    assert failed["expect_column_values_to_be_in_set"]["unexpected_values"] == ["teleport"]


def test_spark_and_pandas_agree_on_every_expectation(spark: Any, tmp_path: Path) -> None:
    parts = sorted((CASE / "head/data/events").glob("*.csv"))
    lines = parts[0].read_text().splitlines() + parts[1].read_text().splitlines()[1:]
    (tmp_path / "events.csv").write_text("\n".join(lines) + "\n")
    suite = json.loads((CASE / "head/expectations/events.json").read_text())["expectations"]
    options = ExpectationsConfig(spark_master=MASTER)
    on_spark = gx_run.validate(
        suite, DataSource(engine="spark", path="events.csv"), tmp_path, name="e", options=options
    )
    on_pandas = gx_run.validate(suite, DataSource(path="events.csv"), tmp_path, name="e", options=options)
    assert [(o.success, o.unexpected_count) for o in on_spark.outcomes] == [
        (o.success, o.unexpected_count) for o in on_pandas.outcomes
    ]


def test_unreadable_spark_path_is_cannot_read_data(spark: Any, tmp_path: Path) -> None:
    outcome = gx_run.validate(
        [{"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "a"}}],
        DataSource(engine="spark", path="nothing/here", format="parquet"),
        tmp_path,
        name="x",
        options=ExpectationsConfig(spark_master=MASTER),
    )
    assert outcome.error_rule == "cannot-read-data" and "nothing/here" in (outcome.error or "")


def test_a_gx_project_with_a_spark_filesystem_source_runs_on_spark(
    spark: Any, make_repo: Callable[..., Repo], monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.checks.test_expectations_gx_project import FAILING, PASSING, build_in_process

    repo = make_repo()
    build_in_process(
        repo, {"datasource": "spark_filesystem", "expectations": [PASSING, FAILING]}, monkeypatch
    )
    assert "type: spark_filesystem" in (repo.root / "gx" / "great_expectations.yml").read_text()
    ctx = runner.build_context(cwd=repo.root, base=None, head=None, config_file=None, all_files=True, env={})
    result = expectations.run(ctx)
    (validation,) = result.data["gx_projects"]
    assert validation.get("data") == "spark_files/customers", result.findings[0].message
    assert [(e["success"], e["observed"]) for e in validation["expectations"]] == [(True, None), (False, 40)]
