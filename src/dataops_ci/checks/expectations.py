"""The `expectations` check: GX suites validated against their data, with a quality score.

Score = passed / evaluated expectations, per suite and overall. A suite whose score is below
`expectations.min_quality_score` fails the check, and its failed expectations are error findings; a failed
expectation in a suite at or above the threshold is a warning (the data is within the agreed tolerance).
The overall score is a weighted mean of the suite scores, so it can only be below the threshold when some
suite is: "overall below the threshold" always fails the check too.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path
from typing import Any, Literal

from dataops_ci.context import CheckContext
from dataops_ci.report import CheckResult, Finding, status_from_findings
from dataops_ci.words import noun, percent, plural

NAME = "expectations"
# GX projects (gx/great_expectations.yml) run as they are, checkpoints and all: no discovery notice.
COVERS = ("gx-project",)


def add_arguments(parser: argparse.ArgumentParser | Any) -> None:
    parser.add_argument(
        "--data-docs", dest="data_docs", metavar="DIR", default=None, help="also build GX Data Docs into DIR"
    )
    parser.add_argument(
        "--no-gx-projects", dest="gx_projects", action="store_false", default=True,
        help="run only the suites of expectations.suites, not the repository's GX projects",
    )  # fmt: skip


def _projects(ctx: CheckContext) -> list[Any]:
    from dataops_ci.expectations.suite_select import select_projects

    return select_projects(ctx) if ctx.options.get("gx_projects", True) else []


def applies(ctx: CheckContext) -> bool:
    from dataops_ci.expectations.suite_select import select_entries

    configured = bool(ctx.config.expectations.suites) and bool(select_entries(ctx))
    return configured or bool(_projects(ctx))


def looked_for(ctx: CheckContext) -> str:
    from dataops_ci.expectations.gx_project import find_projects

    suites = ctx.config.expectations.suites
    discover = ctx.options.get("gx_projects", True)
    projects = [p.directory for p in find_projects(ctx.repo, ctx.head)] if discover else []
    if not suites and not projects:
        return "no suite configured in expectations.suites, nor a GX project (great_expectations.yml)"
    scope = "given" if ctx.files is not None else "changed"
    searched = []
    if suites:
        listed = [s.suite for s in suites[:5]] + (["…"] if len(suites) > 5 else [])
        searched.append(f"a suite of expectations.suites {listed!r} or its data")
    if projects:
        shown = projects[:5] + (["…"] if len(projects) > 5 else [])
        searched.append(f"in the GX {noun(len(projects), 'project')} {shown!r} or its data")
    return f"no {scope} file is {' or '.join(searched)}"


def run(ctx: CheckContext) -> CheckResult:
    from dataops_ci.expectations.suite_run import run_revision
    from dataops_ci.expectations.suite_select import select_entries

    config = ctx.config.expectations
    entries = select_entries(ctx)
    projects = _projects(ctx)
    if not entries and not projects:
        return CheckResult(NAME, "skipped", looked_for(ctx))
    docs_dir = ctx.options.get("data_docs")
    # Data Docs need GX's full result of every expectation; otherwise details only for failed ones.
    details: Literal["failed", "all"] = "all" if docs_dir else "failed"
    with tempfile.TemporaryDirectory(prefix="dataops-ci-") as tmp:
        runs = run_revision(ctx, ctx.head, entries, Path(tmp) / "head", with_findings=True, details=details)
        base_runs = run_revision(ctx, ctx.base, entries, Path(tmp) / "base") if config.compare_base else []
        project_found, validations = _run_projects(ctx, ctx.head, projects, Path(tmp) / "gx")
        base_validations: list[Any] = []
        if config.compare_base and projects:
            _, base_validations = _run_projects(ctx, ctx.base, projects, Path(tmp) / "gx-base", at_base=True)
            _add_base_scores(validations, base_validations)
    findings = [f for r in runs for f in r.findings] + project_found
    if docs_dir:
        findings.extend(_build_docs(runs, Path(docs_dir)))
    metrics = _metrics(runs, base_runs, validations, base_validations)
    data: dict[str, Any] = {
        "min_quality_score": config.min_quality_score,
        "suites": [r.summary(_base_score(base_runs, r)) for r in runs],
    }
    if projects:
        data["gx_projects"] = validations
    if docs_dir:
        data["data_docs"] = str(docs_dir)
    return CheckResult(
        NAME,
        status_from_findings(findings),
        _summary(len(runs) + len(validations), metrics),
        metrics=metrics,
        data=data,
        findings=tuple(findings),
    )


def _base_score(base_runs: list[Any], run: Any) -> float | None:
    match = next((b for b in base_runs if b.entry.suite == run.entry.suite and b.outcome is not None), None)
    return match.outcome.score if match is not None else None


def _run_projects(
    ctx: CheckContext, rev: str | None, projects: list[Any], scratch: Path, at_base: bool = False
) -> tuple[list[Finding], list[Any]]:
    """Each discovered GX project run as the repository defines it (its validation definitions).
    `at_base`: the same projects as they are at `rev` (for the score delta; missing ones are left out)."""
    from dataops_ci.expectations.gx_project import find_projects
    from dataops_ci.expectations.gx_project_findings import discovery_findings, project_findings
    from dataops_ci.expectations.gx_project_run import run_project

    if at_base:
        wanted = {p.directory for p in projects}
        projects = [p for p in find_projects(ctx.repo, rev) if p.directory in wanted]
    findings: list[Finding] = []
    validations: list[Any] = []
    for number, project in enumerate(projects):
        found = discovery_findings(project)
        findings += found
        if found and (project.problem or project.legacy):
            continue
        run = run_project(ctx.repo, rev, project, ctx.config.expectations, scratch / str(number))
        more, summaries = project_findings(run, ctx.config.expectations)
        findings += more
        validations += summaries
    return findings, validations


def _add_base_scores(validations: list[Any], base_validations: list[Any]) -> None:
    base = {(b["project"], b["validation_definition"]): b["score"] for b in base_validations}
    for validation in validations:
        score = base.get((validation["project"], validation["validation_definition"]))
        if score is not None:
            validation["base_score"] = score


def _metrics(
    runs: list[Any], base_runs: list[Any], validations: list[Any], base_validations: list[Any]
) -> dict[str, Any]:
    passed = sum(r.outcome.passed for r in runs if r.outcome is not None)
    passed += sum(v["passed"] for v in validations)
    evaluated = sum(r.outcome.evaluated for r in runs if r.outcome is not None)
    evaluated += sum(v["evaluated"] for v in validations)
    metrics: dict[str, Any] = {
        "suites": len(runs) + len(validations),
        "suites_failed": sum(1 for r in runs if r.status != "passed")
        + sum(1 for v in validations if v["status"] != "passed"),
        "expectations_passed": passed,
        "expectations_evaluated": evaluated,
        "quality_score": round(passed / evaluated, 4) if evaluated else None,
    }
    if base_runs or base_validations:
        metrics["base_expectations_passed"] = sum(
            b.outcome.passed for b in base_runs if b.outcome is not None
        ) + sum(b["passed"] for b in base_validations)
        metrics["base_expectations_evaluated"] = sum(
            b.outcome.evaluated for b in base_runs if b.outcome is not None
        ) + sum(b["evaluated"] for b in base_validations)
    return metrics


def _summary(count: int, metrics: dict[str, Any]) -> str:
    score = metrics["quality_score"]
    passed, evaluated = metrics["expectations_passed"], metrics["expectations_evaluated"]
    text = f"{plural(count, 'suite')}: {passed} of {plural(evaluated, 'expectation')} passed"
    if score is not None:
        text += f", quality {percent(score)}"
    base_evaluated = metrics.get("base_expectations_evaluated")
    if base_evaluated:
        text += f" (base {percent(metrics['base_expectations_passed'] / base_evaluated)})"
    failed = metrics["suites_failed"]
    return text + (f"; {plural(failed, 'suite')} below the threshold or not checked" if failed else "")


def _build_docs(runs: list[Any], directory: Path) -> list[Finding]:
    from dataops_ci.expectations import gx_run

    results = [r.outcome.raw for r in runs if r.outcome is not None and r.outcome.raw is not None]
    try:
        gx_run.build_data_docs(results, directory)
    except Exception as exc:  # noqa: BLE001 - docs are an extra; their failure must not hide the results
        return [Finding("warning", "data-docs-failed", f"could not build Data Docs in {directory}: {exc}")]
    return []
