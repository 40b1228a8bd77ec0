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


class _Builder:
    """One registry; every metric gets the run's label names first, then its own."""

    def __init__(self, prom: Any, labels: Mapping[str, str]) -> None:
        self.prom, self.base = prom, dict(labels)
        self.registry = prom.CollectorRegistry()

    def _names(self, extra: tuple[str, ...]) -> tuple[str, ...]:
        return (*self.base, *extra)

    def gauge(self, name: str, doc: str, extra: tuple[str, ...] = ()) -> Any:
        return self.prom.Gauge(name, doc, self._names(extra), registry=self.registry)

    def enum(self, name: str, doc: str, states: list[str], extra: tuple[str, ...] = ()) -> Any:
        return self.prom.Enum(name, doc, self._names(extra), states=states, registry=self.registry)

    def info(self, name: str, doc: str) -> Any:
        return self.prom.Info(name, doc, self._names(()), registry=self.registry)

    def set(self, name: str, doc: str, value: float) -> None:
        """A gauge with the run's labels only."""
        self.gauge(name, doc).labels(**self.base).set(value)


def build_registry(report: Report, labels: Mapping[str, str], now: float | None = None) -> Any:
    """A fresh CollectorRegistry holding every metric of `report`."""
    build = _Builder(client(), labels)
    _run_metrics(build, report, time.time() if now is None else now)
    _dataset_metrics(build, report)
    _check_metrics(build, report)
    return build.registry


def _run_metrics(build: _Builder, report: Report, now: float) -> None:
    if report.quality_score is not None:
        build.set(
            "dataops_ci_quality_score", "Overall quality score (passed / evaluated)", report.quality_score
        )
    build.set("dataops_ci_run_duration_seconds", "Wall time of the whole run", report.duration_s)
    build.set("dataops_ci_last_run_timestamp_seconds", "When the run finished (Unix time)", now)
    breaking = breaking_schema_changes(report)
    build.set("dataops_ci_breaking_schema_changes", "Schemas whose change breaks their mode", breaking)
    status = build.enum("dataops_ci_run_status", "Outcome of the run", ["passed", "failed", "error"])
    status.labels(**build.base).state(report.status)
    info = build.info("dataops_ci_run", "The commits the run compared and the tool version")
    head = report.head_commit or report.head
    info.labels(**build.base).info({"base": report.base, "head": head, "version": report.tool_version})


def _dataset_metrics(build: _Builder, report: Report) -> None:
    keys = ("dataset", "suite")
    score = build.gauge("dataops_ci_data_quality_score", "Quality score of one dataset under one suite", keys)
    evaluated = build.gauge("dataops_ci_expectations_evaluated", "Expectations evaluated", keys)
    passed = build.gauge("dataops_ci_expectations_passed", "Expectations that passed", keys)
    records = build.gauge("dataops_ci_records_validated", "Rows of data validated", keys)
    for row in dataset_scores(report):
        labels = {**build.base, "dataset": row.dataset, "suite": row.suite}
        if row.score is not None:
            score.labels(**labels).set(round(row.score, 4))
        evaluated.labels(**labels).set(row.evaluated)
        passed.labels(**labels).set(row.passed)
        if row.records is not None:
            records.labels(**labels).set(row.records)


def _check_metrics(build: _Builder, report: Report) -> None:
    status = build.enum("dataops_ci_check_status", "Status of one check", list(CHECK_STATUSES), ("check",))
    findings = build.gauge("dataops_ci_findings", "Findings of one check by severity", ("check", "severity"))
    duration = build.gauge("dataops_ci_check_duration_seconds", "Wall time of one check", ("check",))
    for check in report.checks:
        labels = {**build.base, "check": check.name}
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
