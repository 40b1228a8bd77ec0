"""gx_run.validate, the engine API shared by `expectations` and `pipelines`: real GX on pandas."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from dataops_ci.config import DataSource, ExpectationsConfig
from dataops_ci.expectations import gx_run

CSV = "id,email,segment,amount\n1,a@x.io,smb,10\n2,,smb,20\n3,bad,vip,30\n4,d@x.io,consumer,\n"
OPTIONS = ExpectationsConfig()


@pytest.fixture
def root(tmp_path: Path) -> Path:
    (tmp_path / "data").mkdir()
    (tmp_path / "data/t.csv").write_text(CSV)
    return tmp_path


def exp(kind: str, **kwargs: Any) -> dict[str, Any]:
    return {"type": kind, "kwargs": kwargs}


def run(root: Path, expectations: list[dict[str, Any]], **options: Any) -> gx_run.SuiteOutcome:
    config = ExpectationsConfig(**options)
    return gx_run.validate(expectations, DataSource(path="data/t.csv"), root, name="t", options=config)


SUITE = [
    exp("expect_table_row_count_to_be_between", min_value=1, max_value=10),
    exp("expect_column_values_to_be_in_set", column="segment", value_set=["smb", "consumer"]),
    exp("expect_column_values_to_not_be_null", column="email"),
    exp("expect_column_max_to_be_between", column="amount", max_value=25),
]


def test_outcomes_come_back_in_suite_order_with_details_of_the_failed(root: Path) -> None:
    outcome = run(root, SUITE)
    assert [o.index for o in outcome.outcomes] == [0, 1, 2, 3]
    rows, in_set, not_null, max_amount = outcome.outcomes
    assert (rows.success, rows.observed) == (True, None)  # a passing expectation is not run for details
    assert (in_set.success, in_set.column, in_set.unexpected_values) == (False, "segment", ["vip"])
    assert (in_set.unexpected_count, in_set.unexpected_percent) == (1, 25.0)
    assert not_null.unexpected_values == [None]
    assert (max_amount.success, max_amount.observed) == (False, 30.0)
    assert (outcome.evaluated, outcome.passed, outcome.score) == (4, 1, 0.25)
    assert outcome.error is None and outcome.raw is None


def test_all_details_in_one_pass_gives_the_same_verdicts(root: Path) -> None:
    fast = run(root, SUITE)
    full = gx_run.validate(
        SUITE, DataSource(path="data/t.csv"), root, name="t", options=OPTIONS, details="all"
    )
    assert full.outcomes[0].observed == 4 and full.raw is not None
    assert [o for o in full.outcomes if not o.success] == [o for o in fast.outcomes if not o.success]
    assert [o.success for o in full.outcomes] == [o.success for o in fast.outcomes]


def test_unknown_types_and_bad_kwargs_are_not_evaluated(root: Path) -> None:
    outcome = run(
        root,
        [
            exp("expect_column_to_sparkle", column="email"),
            exp("expect_column_values_to_not_be_null", colum="email"),
            exp("expect_column_values_to_not_be_null", column="id"),
        ],
    )
    unknown, bad, good = outcome.outcomes
    assert (unknown.success, unknown.error_kind) == (None, "unknown-type")
    assert "expect_column_to_sparkle" in (unknown.error or "")
    assert (bad.success, bad.error_kind) == (None, "invalid-kwargs")
    assert "colum: extra fields not permitted" in (bad.error or "")
    assert good.success is True
    assert (outcome.evaluated, outcome.passed) == (1, 1)


def test_a_missing_column_counts_as_a_failed_expectation(root: Path) -> None:
    outcome = run(root, [exp("expect_column_values_to_not_be_null", column="phone")])
    (missing,) = outcome.outcomes
    assert missing.success is False and missing.error_kind == "raised"
    assert "phone" in (missing.error or "")
    assert outcome.score == 0.0


def test_nothing_valid_means_no_score_and_no_data_read(tmp_path: Path) -> None:
    outcome = gx_run.validate(
        [exp("expect_nothing")], DataSource(path="data/absent.csv"), tmp_path, name="x", options=OPTIONS
    )
    assert outcome.score is None and outcome.error is None and len(outcome.outcomes) == 1


def test_data_that_cannot_be_loaded_is_a_suite_error(root: Path) -> None:
    outcome = gx_run.validate(
        [exp("expect_column_values_to_not_be_null", column="id")],
        DataSource(path="data/absent.csv"),
        root,
        name="x",
        options=OPTIONS,
    )
    assert (outcome.error_rule, outcome.evaluated, outcome.error_in_config) == ("cannot-read-data", 0, True)
    assert "data/absent.csv" in (outcome.error or "")


def test_reading_only_used_columns_gives_the_same_outcomes(root: Path) -> None:
    suite = [
        exp("expect_column_values_to_match_regex", column="email", regex="@"),
        exp("expect_column_values_to_be_between", column="amount", min_value=0, max_value=25),
    ]
    whole_table = [*suite, exp("expect_table_column_count_to_equal", value=4)]
    assert gx_run.used_columns(suite) == {"email", "amount"}
    assert gx_run.used_columns(whole_table) is None
    assert run(root, suite).outcomes == run(root, whole_table).outcomes[:2]


def test_used_columns_reads_the_whole_table_for_row_conditions() -> None:
    suite = [exp("expect_column_values_to_not_be_null", column="a", row_condition='b=="x"')]
    assert gx_run.used_columns(suite) is None
    assert gx_run.used_columns(
        [exp("expect_column_pair_values_a_to_be_greater_than_b", column_A="x", column_B="y")]
    ) == {"x", "y"}
    assert gx_run.used_columns([exp("expect_table_row_count_to_equal", value=3)]) == set()


def test_progress_bars_stay_out_of_the_logs(root: Path, capfd: pytest.CaptureFixture[str]) -> None:
    many = [
        exp("expect_column_values_to_not_be_null", column=c) for c in ("id", "email", "segment", "amount")
    ]
    run(root, many * 3)
    captured = capfd.readouterr()
    assert "Calculating Metrics" not in captured.err + captured.out


def test_json_safe_values_from_data() -> None:
    assert gx_run.json_safe(np.int64(3)) == 3 and type(gx_run.json_safe(np.float64(1.5))) is float
    assert gx_run.json_safe(float("nan")) is None and gx_run.json_safe(pd.NaT) is None
    assert gx_run.json_safe(pd.Timestamp("2026-01-02T03:04:05")) == "2026-01-02T03:04:05"
    assert gx_run.json_safe(dt.date(2026, 1, 2)) == "2026-01-02"
    assert gx_run.json_safe({"v": [np.int32(1), None]}) == {"v": [1, None]}


def test_one_context_per_process() -> None:
    assert gx_run.gx_context() is gx_run.gx_context()
