"""Validate → transform → load, with the data quality gate of the CI inside the pipeline.

The article's `validate_data_quality` task in three lines: the same pipeline definition (owner, quality
checks, data contract) that dataops-ci checks on every pull request is checked again on the day's data, and
the run stops before anything is loaded when the quality score is below 0.95.

Settings (environment variables): DATA_PROJECT — the data repository (default: the demo's base state);
LOAD_DIR — where `load` writes (default: <DATA_PROJECT>/warehouse); PUSHGATEWAY_URL — also push the
quality metrics to this Prometheus Pushgateway (optional; a failed push never fails the task).
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

try:  # Airflow 3
    from airflow.sdk import dag, task
except ImportError:  # Airflow 2.x
    from airflow.decorators import dag, task  # type: ignore[no-redef]

DEFAULT_PROJECT = Path(__file__).resolve().parents[2] / "demo-repo" / "base"
PIPELINE = "pipelines/customer_pipeline.yml"
MIN_QUALITY = 0.95


def project() -> Path:
    return Path(os.environ.get("DATA_PROJECT") or DEFAULT_PROJECT)


@dag(
    dag_id="customer_quality",
    schedule="@daily",
    start_date=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
    catchup=False,
    tags=["dataops-ci", "data-quality"],
)
def customer_quality() -> None:
    @task
    def validate_data_quality() -> dict[str, object]:
        from dataops_ci import validate

        result = validate(PIPELINE, repo=project()).raise_for_quality(MIN_QUALITY)
        if os.environ.get("PUSHGATEWAY_URL"):
            print(result.push_metrics(os.environ["PUSHGATEWAY_URL"]).summary)
        return {"score": result.score, "records": sum(d.records or 0 for d in result.datasets)}

    @task
    def transform(quality: dict[str, object]) -> str:
        import pandas as pd

        sys.path.insert(0, str(project()))
        from transformations.customer_transform import clean_customers

        out = Path(os.environ.get("LOAD_DIR") or project() / "warehouse") / "staging"
        out.mkdir(parents=True, exist_ok=True)
        cleaned = clean_customers(pd.read_csv(project() / "data" / "customers.csv"))
        cleaned.to_parquet(out / "customers.parquet", index=False)
        print(f"transformed {len(cleaned)} rows (quality score {quality['score']:.1%})")
        return str(out / "customers.parquet")

    @task
    def load(staged: str) -> int:
        import pandas as pd

        frame = pd.read_parquet(staged)
        target = Path(os.environ.get("LOAD_DIR") or project() / "warehouse") / "customer_segments.csv"
        frame.groupby("segment").size().rename("customers").to_csv(target)
        return len(frame)

    load(transform(validate_data_quality()))


customer_quality()
