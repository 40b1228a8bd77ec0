"""A GX project's run (gx_project_run) as findings and per-validation summaries, in the terms GX used:
each expectation's success and observed value are GX's own, mapped back to its line in the suite file.

A failed expectation's severity is its GX `severity` when the suite file sets one (critical -> error,
warning -> warning, info -> notice), else the `min_quality_score` rule the configured suites follow.
"""

from __future__ import annotations

from typing import Any

from dataops_ci.config import ExpectationsConfig
from dataops_ci.expectations import gx_run
from dataops_ci.expectations.gx_project import CONFIG_FILE, GxProject
from dataops_ci.expectations.gx_project_run import ProjectRun, ProjectSuite, ValidationRun
from dataops_ci.expectations.gx_run import ExpectationOutcome, SuiteOutcome
from dataops_ci.expectations.suite_run import failure_message, missing_parameter_finding, outcome_data
from dataops_ci.expectations.suites import failure_severity
from dataops_ci.report import Finding, Severity, status_from_findings


def discovery_findings(project: GxProject) -> list[Finding]:
    """What stops a discovered project from being run at all, before GX is involved."""
    config = f"{project.directory}/{CONFIG_FILE}"
    if project.problem:
        hint = "fix the file; GX cannot load this project either"
        return [
            Finding("error", "cannot-read-gx-project", f"{config}: {project.problem}", config, 1, hint=hint)
        ]
    if project.legacy:
        message = f"{config}: config_version {project.config_version} is a GX 0.x project; not run"
        hint = "migrate it to GX 1.x (config_version 4), or configure its suites under expectations.suites"
        return [Finding("notice", "gx-project-legacy", message, config, hint=hint)]
    return [
        Finding(
            "error",
            "cannot-read-outside-repo",
            f"{config}: data source '{name}' reads {where}, which is outside the repository; not run",
            config,
            hint="keep the data inside the repository (a relative base_directory)",
        )
        for name, where in project.outside
    ]


def project_findings(
    run: ProjectRun, config: ExpectationsConfig
) -> tuple[list[Finding], list[dict[str, Any]]]:
    project = run.project
    config_file = f"{project.directory}/{CONFIG_FILE}"
    findings = [Finding("error", rule, msg, config_file, hint=hint) for rule, msg, hint in run.problems]
    for suite in run.suites.values():
        for index, names in suite.skipped.items():
            exp = suite.parsed.expectations[index]
            kwargs = dict(exp.get("kwargs") or {})
            item = ExpectationOutcome(index, str(exp["type"]), kwargs, gx_run.column_of(kwargs), None)
            line = suite.parsed.kwargs_lines[index]
            findings.append(missing_parameter_finding(suite.file, suite.parsed.name, item, line, names))
    summaries = []
    for validation in run.validations:
        found, summary = _validation(project, run.suites.get(validation.suite), validation, config)
        findings += found
        summaries.append(summary)
    used = {v.suite for v in run.validations}
    for name, suite in run.suites.items():
        if name not in used and not run.problems:
            message = (
                f"{suite.file}: suite '{name}' is in no validation definition of {project.directory}; not run"
            )
            hint = "add a validation definition (GX) that pairs it with a batch of data"
            findings.append(Finding("notice", "suite-not-run", message, suite.file, hint=hint))
    return findings, summaries


def _validation(
    project: GxProject, suite: ProjectSuite | None, run: ValidationRun, config: ExpectationsConfig
) -> tuple[list[Finding], dict[str, Any]]:
    definition_file = f"{project.directory}/validation_definitions/{run.name}.json"
    where = definition_file if definition_file in project.files else f"{project.directory}/{CONFIG_FILE}"
    summary: dict[str, Any] = {
        "project": project.directory,
        "validation_definition": run.name,
        "checkpoints": list(run.checkpoints),
        "suite": suite.file if suite else run.suite,
    }
    if run.result is None:
        label = f"GX project {project.directory}: validation definition '{run.name}' (suite {run.suite})"
        finding = Finding("error", run.rule, f"{label}: {run.error}", where, hint=run.hint)
        summary.update(evaluated=0, passed=0, score=None, status="error", expectations=[])
        return [finding], summary
    outcome = _outcome(run.result, suite, config.unexpected_examples)
    below = outcome.score is not None and outcome.score < config.min_quality_score
    findings = [_failed(suite, run, item, outcome, below) for item in outcome.failed]
    summary.update(
        data=_batch_of(run.result),
        evaluated=outcome.evaluated,
        passed=outcome.passed,
        score=round(outcome.score, 4) if outcome.score is not None else None,
        status=status_from_findings(findings),
        expectations=[_entry(o) for o in outcome.outcomes],
    )
    return findings, summary


def _outcome(result: Any, suite: ProjectSuite | None, examples: int) -> SuiteOutcome:
    """GX's results as outcomes, each at the index of its expectation in the suite file (by id, else by
    type and kwargs, else in order)."""
    entries = suite.parsed.expectations if suite else []
    free = [i for i in range(len(entries)) if suite is None or i not in suite.skipped]
    outcomes = []
    for result_item in result.results:
        config = result_item.expectation_config
        index = _index_of(config, entries, free)
        details = dict(result_item.result or {})
        raised = gx_run._raised_message(result_item.exception_info or {})
        kwargs = {k: v for k, v in dict(config.kwargs).items() if k != "batch_id"}
        outcomes.append(
            ExpectationOutcome(
                index=index,
                type=str(config.type),
                kwargs=kwargs,
                column=gx_run.column_of(kwargs),
                success=bool(result_item.success) and raised is None,
                observed=gx_run.json_safe(details.get("observed_value")),
                unexpected_count=gx_run._int_or_none(details.get("unexpected_count")),
                unexpected_percent=gx_run._float_or_none(details.get("unexpected_percent")),
                unexpected_values=gx_run._distinct(details.get("partial_unexpected_list") or [])[:examples],
                error=raised,
                error_kind="raised" if raised else None,
            )
        )
    passed = sum(1 for o in outcomes if o.success)
    return SuiteOutcome(len(outcomes), passed, sorted(outcomes, key=lambda o: o.index))


def _index_of(config: Any, entries: list[dict[str, Any]], free: list[int]) -> int:
    by_id = [i for i in free if config.id and entries[i].get("id") == config.id]
    by_type = [i for i in free if entries[i].get("type") == config.type]
    chosen = (by_id or by_type or free or [-1])[0]
    if chosen in free:
        free.remove(chosen)
    return chosen


def _failed(
    suite: ProjectSuite | None,
    run: ValidationRun,
    item: ExpectationOutcome,
    outcome: SuiteOutcome,
    below: bool,
) -> Finding:
    known = suite is not None and 0 <= item.index < len(suite.parsed.expectations)
    default: Severity = "error" if below else "warning"
    severity = (
        failure_severity(suite.parsed.expectations[item.index], default) if suite and known else default
    )
    line = suite.parsed.lines[item.index] if suite and known else None
    return Finding(
        "error" if item.error else severity,
        "expectation-raised" if item.error else "expectation-failed",
        f"{run.name}: {failure_message(item)}",
        suite.file if suite else None,
        line,
        path=f"expectations[{item.index}]" if known else None,
        hint="fix the data, or update the expectation if the change is intended",
        data={
            **outcome_data(item),
            "suite": suite.file if suite else run.suite,
            "validation_definition": run.name,
            "score": round(outcome.score, 4) if outcome.score is not None else None,
        },
    )


def _entry(item: ExpectationOutcome) -> dict[str, Any]:
    return {
        "index": item.index,
        "expectation": item.type,
        "column": item.column,
        "success": item.success,
        "observed": item.observed,
        "unexpected_count": item.unexpected_count,
    }


def _batch_of(result: Any) -> str:
    batch = dict(result.meta or {}).get("active_batch_definition") or {}
    return f"{batch.get('datasource_name', '?')}/{batch.get('data_asset_name', '?')}"
