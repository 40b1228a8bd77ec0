"""The `pipelines` check: pipeline definitions validated, their quality checks run as GX expectations,
and their data checked against the Avro schema they name (the data contract).

Imports stay light at module level (the CLI imports every check to build its parser, and the
`pipeline-lint` hook runs with --no-data): GX and pandas are reached only through `pipelines.run`.
"""

from __future__ import annotations

import argparse
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from dataops_ci.context import CheckContext
from dataops_ci.pipelines.definition import PipelineFile
from dataops_ci.pipelines.select import data_paths, describe_dataset, load_all, select
from dataops_ci.report import CheckResult, Finding, status_from_findings
from dataops_ci.words import plural

NAME = "pipelines"


def add_arguments(parser: argparse.ArgumentParser | Any) -> None:
    parser.add_argument(
        "--no-data",
        dest="pipelines_no_data",
        action="store_true",
        help="pipelines: validate the definitions only, without reading data (fast; the pre-commit hook)",
    )


def applies(ctx: CheckContext) -> bool:
    return bool(select(ctx, load_all(ctx)))


def looked_for(ctx: CheckContext) -> str:
    patterns = list(ctx.config.pipelines.paths)
    if not ctx.repo.list_files(ctx.head, patterns):
        return f"no file matches pipelines.paths {patterns!r}"
    scope = "given" if ctx.files is not None else "changed"
    return f"no {scope} file is a pipeline of pipelines.paths {patterns!r}, its data or its schema"


def lint_files(ctx: CheckContext) -> list[Finding]:
    """Definition problems of the selected pipelines, without touching data (no GX, no pandas)."""
    return [f for file in select(ctx, load_all(ctx)) for f in file.findings]


def run(ctx: CheckContext) -> CheckResult:
    selected = select(ctx, load_all(ctx))
    if not selected:
        return CheckResult(NAME, "skipped", looked_for(ctx))
    findings = [f for file in selected for f in file.findings]
    runnable = [f for f in selected if f.valid]
    if ctx.options.get("pipelines_no_data"):
        entries = [_entry(f, "invalid" if not f.valid else "not-run", []) for f in selected]
        return _result(selected, findings, entries, {})
    runs = _run_data(ctx, runnable)
    findings += [f for r in runs for f in r.findings]
    by_path = {r.file.path: r for r in runs}
    entries = []
    for file in selected:
        run = by_path.get(file.path)
        status = "invalid" if run is None else status_from_findings(run.findings)
        entries.append(_entry(file, status, run.findings if run else [], run))
    metrics = {
        "expectations_passed": sum(r.passed for r in runs),
        "expectations_evaluated": sum(r.evaluated for r in runs),
        "quality_checks_failed": sum(len(r.failed_checks) for r in runs),
    }
    if ctx.config.expectations.compare_base and runnable:
        # The same quality checks on the base revision's data: the score delta the comment leads with.
        base_runs = _run_data(ctx, runnable, ctx.base)
        metrics["base_expectations_passed"] = sum(r.passed for r in base_runs)
        metrics["base_expectations_evaluated"] = sum(r.evaluated for r in base_runs)
    return _result(selected, findings, entries, metrics)


def _run_data(ctx: CheckContext, runnable: list[PipelineFile], rev: str | None = None) -> list[Any]:
    """Run the pipelines' quality checks on the data at `rev` (default: the head)."""
    if not runnable:
        return []
    from dataops_ci.pipelines.run import run_pipeline

    now = ctx.clock()
    with _revision_root(ctx, rev or ctx.head, runnable) as root:
        return [run_pipeline(file, root, ctx.config.expectations, now, ctx.config.teams) for file in runnable]


@contextmanager
def _revision_root(ctx: CheckContext, rev: str | None, files: list[PipelineFile]) -> Iterator[Path]:
    """The working tree itself (rev None), or the pipelines' data and schemas at `rev` in a temp dir."""
    if rev is None:
        yield ctx.repo.root
        return
    from dataops_ci.git.materialise import materialise

    with tempfile.TemporaryDirectory(prefix="dataops-ci-pipelines-") as tmp:
        materialise(ctx.repo, rev, [p for f in files for p in data_paths(f)], Path(tmp))
        yield Path(tmp)


def _entry(file: PipelineFile, status: str, findings: list[Finding], run: Any = None) -> dict[str, Any]:
    definition = file.definition
    failed = [f for f in findings if f.rule.startswith("pipeline-") and f.rule.endswith("-failed")]
    notify = sorted({n for f in failed for n in f.data.get("notify", [])})
    entry: dict[str, Any] = {"file": file.path, "status": status}
    if definition is not None:
        entry.update(
            name=definition.name,
            owner=definition.owner,
            reviewers=list(definition.reviewers),
            schedule=definition.schedule,
            dataset=describe_dataset(file),
            schema=definition.dataset.schema_file,
            quality_checks=len(definition.quality_checks),
            failed_checks=[f.data.get("check_type") for f in failed],
            notify=notify,
        )
    if run is not None:
        entry.update(evaluated=run.evaluated, passed=run.passed)
        if run.records is not None:
            entry["records"] = run.records
    return entry


def _result(
    selected: list[PipelineFile],
    findings: list[Finding],
    entries: list[dict[str, Any]],
    metrics: dict[str, Any],
) -> CheckResult:
    metrics = {"pipelines_checked": len(selected), **metrics}
    if "expectations_evaluated" in metrics:
        contract = [f.severity for f in findings if f.rule.startswith("contract-")]
        metrics["contract_violations"] = contract.count("error")
        metrics["contract_warnings"] = contract.count("warning")
    return CheckResult(
        NAME,
        status_from_findings(findings),
        _summary(entries, metrics),
        metrics=metrics,
        data={"pipelines": entries},
        findings=tuple(findings),
    )


def _summary(entries: list[dict[str, Any]], metrics: dict[str, Any]) -> str:
    text = plural(len(entries), "pipeline")
    invalid = sum(1 for e in entries if e["status"] == "invalid")
    if "expectations_evaluated" in metrics:
        passed, evaluated = metrics["expectations_passed"], metrics["expectations_evaluated"]
        text += f": {passed}/{evaluated} expectations passed"
        if metrics["quality_checks_failed"]:
            text += f", {plural(metrics['quality_checks_failed'], 'quality check')} failed"
        if metrics.get("contract_violations"):
            text += f", {plural(metrics['contract_violations'], 'data contract violation')}"
        if metrics.get("contract_warnings"):  # listed too: the counts add up to the findings shown
            text += f", {plural(metrics['contract_warnings'], 'data contract warning')}"
    else:
        text += ": definitions validated (data not read)"
    return text + (f"; {plural(invalid, 'invalid definition')}" if invalid else "")
