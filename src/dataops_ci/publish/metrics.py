"""A Report as Prometheus metrics (prometheus_client builds the exposition text; nothing hand-formatted).

Every series carries the run's labels (`repo`, `ref` and the config's `metrics.labels`). Imported only when
`--metrics`, `--pushgateway` or the Python API asks for it: prometheus_client is an optional extra.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from dataops_ci.publish.datasets import breaking_schema_changes, dataset_scores
from dataops_ci.report import CHECK_STATUSES, SEVERITIES, Report

MISSING_EXTRA = "prometheus_client is not installed: pip install 'dataops-ci[metrics]'"


class MetricsUnavailable(RuntimeError):
    """prometheus_client is missing (the `metrics` extra)."""


def client() -> Any:
    try:
        import prometheus_client
    except ImportError:
        raise MetricsUnavailable(MISSING_EXTRA) from None
    return prometheus_client


def build_registry(report: Report, labels: Mapping[str, str], now: float | None = None) -> Any:
    """A fresh CollectorRegistry holding every metric of `report`."""
    prom = client()
    registry = prom.CollectorRegistry()
    base = dict(labels)
    names = tuple(base)

    def gauge(name: str, doc: str, extra: tuple[str, ...] = ()) -> Any:
        return prom.Gauge(name, doc, (*names, *extra), registry=registry)

    _run_metrics(prom, registry, gauge, report, base, names, now)
    _dataset_metrics(gauge, report, base)
    _check_metrics(prom, registry, gauge, report, base, names)
    return registry


def _run_metrics(
    prom: Any, registry: Any, gauge: Any, report: Report, base: dict[str, str], names: tuple[str, ...],
    now: float | None,
) -> None:  # fmt: skip
    if report.quality_score is not None:
        gauge("dataops_ci_quality_score", "Overall quality score (passed / evaluated expectations)").labels(
            **base
        ).set(report.quality_score)
    gauge("dataops_ci_run_duration_seconds", "Wall time of the whole run").labels(**base).set(
        report.duration_s
    )
    gauge("dataops_ci_last_run_timestamp_seconds", "When the run finished (Unix time)").labels(**base).set(
        time.time() if now is None else now
    )
    gauge(
        "dataops_ci_breaking_schema_changes", "Schemas whose change breaks their compatibility mode"
    ).labels(**base).set(breaking_schema_changes(report))
    status = prom.Enum(
        "dataops_ci_run_status", "Outcome of the run", names, states=["passed", "failed", "error"],
        registry=registry,
    )  # fmt: skip
    status.labels(**base).state(report.status)
    info = prom.Info(
        "dataops_ci_run", "The commits the run compared and the tool version", names, registry=registry
    )
    info.labels(**base).info(
        {"base": report.base, "head": report.head_commit or report.head, "version": report.tool_version}
    )


def _dataset_metrics(gauge: Any, report: Report, base: dict[str, str]) -> None:
    keys = ("dataset", "suite")
    score = gauge("dataops_ci_data_quality_score", "Quality score of one dataset under one suite", keys)
    evaluated = gauge("dataops_ci_expectations_evaluated", "Expectations evaluated", keys)
    passed = gauge("dataops_ci_expectations_passed", "Expectations that passed", keys)
    records = gauge("dataops_ci_records_validated", "Rows of data validated", keys)
    for row in dataset_scores(report):
        labels = {**base, "dataset": row.dataset, "suite": row.suite}
        if row.score is not None:
            score.labels(**labels).set(round(row.score, 4))
        evaluated.labels(**labels).set(row.evaluated)
        passed.labels(**labels).set(row.passed)
        if row.records is not None:
            records.labels(**labels).set(row.records)


def _check_metrics(
    prom: Any, registry: Any, gauge: Any, report: Report, base: dict[str, str], names: tuple[str, ...]
) -> None:
    status = prom.Enum(
        "dataops_ci_check_status", "Status of one check", (*names, "check"), states=list(CHECK_STATUSES),
        registry=registry,
    )  # fmt: skip
    findings = gauge("dataops_ci_findings", "Findings of one check by severity", ("check", "severity"))
    duration = gauge("dataops_ci_check_duration_seconds", "Wall time of one check", ("check",))
    for check in report.checks:
        labels = {**base, "check": check.name}
        status.labels(**labels).state(check.status)
        duration.labels(**labels).set(check.duration_s)
        for severity in SEVERITIES:
            findings.labels(**labels, severity=severity).set(check.count(severity))


def exposition(registry: Any) -> bytes:
    """The Prometheus text format (version 0.0.4), what `promtool check metrics` and a scrape read."""
    data: bytes = client().generate_latest(registry)
    return data


def write_metrics(report: Report, path: Path, labels: Mapping[str, str]) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(exposition(build_registry(report, labels)))
    return path
