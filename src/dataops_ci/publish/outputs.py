"""What `run --metrics PATH` / `--pushgateway URL` do with a finished Report."""

from __future__ import annotations

from pathlib import Path

from dataops_ci.config import Config
from dataops_ci.publish.labels import run_labels
from dataops_ci.report import CheckResult, Finding, Report


def publish_metrics(
    report: Report, config: Config, root: Path, metrics_path: str | None, pushgateway: str | None
) -> Report:
    """Push first (its warning, if any, joins the report, so the comment and the JSON show it), then write
    the file. A missing prometheus_client is a warning too: the checks ran, only their export did not."""
    from dataops_ci.publish.metrics import MetricsUnavailable, write_metrics
    from dataops_ci.publish.push import PUSH_CHECK, push

    labels = run_labels(root, config.metrics.labels)
    if pushgateway:
        report = report.with_checks([*report.checks, push(report, pushgateway, config, labels)])
    if metrics_path:
        try:
            write_metrics(report, Path(metrics_path), labels)
        except (MetricsUnavailable, OSError) as exc:
            finding = Finding("warning", "metrics-not-written", f"could not write {metrics_path}: {exc}")
            result = CheckResult(PUSH_CHECK, "passed", "metrics not written (warning)", findings=(finding,))
            report = report.with_checks([*report.checks, result])
    return report
