"""`from dataops_ci import validate`: a pipeline definition, a suite with data, or a DataFrame; a frozen
result whose raise_for_quality fails below the threshold; metrics from it; and a light `import dataops_ci`."""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.publish.conftest import DEMO, PROMTOOL, get, needs_promtool, needs_pushgateway

pd = pytest.importorskip("pandas")
pytest.importorskip("great_expectations")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """The demo's PR state as a plain folder (no git at all, like an Airflow worker's DAG folder)."""
    return Path(shutil.copytree(DEMO / "head", tmp_path / "project"))


def test_a_pipeline_definition_in_a_folder_without_git(folder: Path) -> None:
    from dataops_ci import QualityError, validate

    result = validate("pipelines/customer_pipeline.yml", repo=folder)
    assert result.score is not None and 0 < result.score < 1
    assert [d.dataset for d in result.datasets] == ["data/customers.csv"]
    assert result.datasets[0].records == len(pd.read_csv(folder / "data/customers.csv"))
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.score = 1.0  # type: ignore[misc]
    assert result.raise_for_quality(result.score) is result
    with pytest.raises(
        QualityError, match=rf"quality score {result.score:.1%} is below the minimum 99.0%"
    ) as err:
        result.raise_for_quality(0.99)
    assert err.value.result is result and "pipeline-" in str(err.value)


def test_suite_and_data_paths_and_the_same_data_as_a_dataframe(folder: Path) -> None:
    from dataops_ci import validate

    by_path = validate(suite="expectations/customers.json", data="data/customers.csv", repo=folder)
    assert by_path.score == pytest.approx(7 / 8)
    assert not by_path.passed and any(f.severity == "error" for f in by_path.findings)
    frame = pd.read_csv(folder / "data/customers.csv")
    by_frame = validate(frame, suite=folder / "expectations/customers.json")
    assert by_frame.score == by_path.score
    assert sorted(f.rule for f in by_frame.findings) == sorted(f.rule for f in by_path.findings)
    # A transform step fixes the data in memory (drops the rows with the unexpected values): it passes.
    failed = next(f for f in by_frame.findings if f.severity == "error")
    column, unexpected = failed.data["column"], failed.data["unexpected_values"]
    cleaned = frame[~frame[column].isin(unexpected)]
    fixed = validate(cleaned, suite="expectations/customers.json", repo=folder).raise_for_quality(0.95)
    assert fixed.score == 1.0 and fixed.datasets[0].records == len(cleaned) < len(frame)
    assert (fixed.datasets[0].dataset, fixed.datasets[0].suite) == (
        "DataFrame",
        "expectations/customers.json",
    )


def test_missing_data_is_no_score_and_raise_for_quality_says_so(folder: Path) -> None:
    from dataops_ci import QualityError, validate

    result = validate(suite="expectations/customers.json", data="data/missing.csv", repo=folder)
    assert result.score is None and any(f.rule.startswith("cannot-") for f in result.findings)
    with pytest.raises(QualityError, match="no quality score"):
        result.raise_for_quality(0.5)
    with pytest.raises(ValueError, match="suite="):
        validate()


def test_import_dataops_ci_stays_light() -> None:
    heavy = "('pandas', 'pydantic', 'great_expectations', 'prometheus_client')"
    code = f"import sys, dataops_ci; print(sorted(m for m in {heavy} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


@needs_promtool
def test_the_result_gives_metrics_promtool_accepts(folder: Path) -> None:
    from dataops_ci import validate

    text = validate("pipelines/customer_pipeline.yml", repo=folder).metrics({"pipeline": "customers"})
    assert b'dataops_ci_data_quality_score{dataset="data/customers.csv",pipeline="customers"' in text
    assert PROMTOOL
    proc = subprocess.run([PROMTOOL, "check", "metrics"], input=text, capture_output=True)
    assert proc.returncode == 0 and not proc.stdout.strip(), proc.stdout + proc.stderr


@needs_pushgateway
def test_the_result_pushes_its_metrics(folder: Path, pushgateway: tuple[str, bool]) -> None:
    from dataops_ci import validate

    url, auth = pushgateway
    if auth:
        pytest.skip("the open gateway is enough here; auth is tested through the CLI")
    result = validate("pipelines/customer_pipeline.yml", repo=folder)
    outcome = result.push_metrics(url, labels={"repo": "acme/data", "ref": "main"})
    assert not outcome.findings, outcome
    assert "dataops_ci_records_validated{" in get(f"{url}/metrics")
