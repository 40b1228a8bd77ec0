"""What a Report says per dataset: one row per scored suite or pipeline, read from the checks' `data`."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from dataops_ci.report import Report


@dataclass(frozen=True)
class DatasetScore:
    dataset: str  # the data it read: `data/customers.csv`, a table, a URL (as the check describes it)
    suite: str  # the suite file or pipeline definition that scored it
    evaluated: int
    passed: int
    records: int | None  # rows validated, when the engine could count them

    @property
    def score(self) -> float | None:
        return self.passed / self.evaluated if self.evaluated else None


def dataset_scores(report: Report) -> list[DatasetScore]:
    """Every suite of `expectations` and every pipeline of `pipelines` that evaluated something."""
    rows: list[DatasetScore] = []
    expectations = report.check("expectations")
    if expectations is not None:
        rows += _rows(expectations.data.get("suites"), "data", "suite")
    pipelines = report.check("pipelines")
    if pipelines is not None:
        rows += _rows(pipelines.data.get("pipelines"), "dataset", "file")
    return rows


def _rows(entries: Any, dataset_key: str, suite_key: str) -> Iterator[DatasetScore]:
    for entry in entries if isinstance(entries, list) else []:
        if not isinstance(entry, Mapping) or not int(entry.get("evaluated") or 0):
            continue
        records = entry.get("records")
        yield DatasetScore(
            dataset=str(entry.get(dataset_key) or ""),
            suite=str(entry.get(suite_key) or ""),
            evaluated=int(entry["evaluated"]),
            passed=int(entry.get("passed") or 0),
            records=int(records) if isinstance(records, int) else None,
        )


def breaking_schema_changes(report: Report) -> int:
    """Schemas whose change breaks their compatibility mode (schema-compat's `incompatible` files)."""
    check = report.check("schema-compat")
    files = check.data.get("files") if check is not None else None
    if not isinstance(files, list):
        return 0
    return sum(1 for f in files if isinstance(f, Mapping) and f.get("status") == "incompatible")
