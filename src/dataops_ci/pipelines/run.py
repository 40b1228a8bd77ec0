"""Runs one valid pipeline against its data: the compiled quality checks through `gx_run.validate` (the
same engine code as the `expectations` check), then the data contract when the dataset names a schema.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from dataops_ci.config import ExpectationsConfig
from dataops_ci.expectations import gx_run
from dataops_ci.expectations.gx_run import ExpectationOutcome, SuiteOutcome
from dataops_ci.pipelines.compile import CompiledCheck, Expectation, compile_pipeline, freshness_floor
from dataops_ci.pipelines.contract import contract_findings
from dataops_ci.pipelines.definition import PipelineFile, dataset_source
from dataops_ci.pipelines.findings import check_finding, load_error_finding
from dataops_ci.report import Finding

# GX cannot compare a zone-less timestamp with a zoned one (either way round): the freshness floor must
# match the data. It is first given with "+00:00"; on this error it is retried without (read as UTC).
_ZONE_MISMATCH = "offset-naive and offset-aware"


@dataclass(frozen=True)
class PipelineRun:
    file: PipelineFile
    findings: list[Finding] = field(default_factory=list)
    evaluated: int = 0
    passed: int = 0
    failed_checks: list[CompiledCheck] = field(default_factory=list)
    records: int | None = None  # rows validated (for the metrics), when the engine counted them


def run_pipeline(
    file: PipelineFile, root: Path, options: ExpectationsConfig, now: dt.datetime, teams: Mapping[str, str]
) -> PipelineRun:
    definition = file.definition
    assert definition is not None  # only valid definitions are run
    source = dataset_source(definition)
    expectations, compiled = compile_pipeline(definition, now)
    findings: list[Finding] = []
    evaluated = passed = 0
    records: int | None = None
    failed: list[CompiledCheck] = []
    if expectations:
        outcome = gx_run.validate(
            expectations, source, root, name=f"pipeline:{definition.name}", options=options
        )
        if outcome.error:
            findings.append(load_error_finding(file, outcome, teams))
        else:
            records = outcome.records
            outcomes = _retry_zone_mismatches(outcome, expectations, compiled, source, root, options, now)
            evaluated = sum(1 for o in outcomes.values() if o.success is not None)
            passed = sum(1 for o in outcomes.values() if o.success)
            for check in compiled:
                mine = [outcomes[i] for i in check.expectation_indexes if i in outcomes]
                finding = check_finding(file, check, mine, now, teams)
                if finding is not None:
                    findings.append(finding)
                    failed.append(check)
    if definition.dataset.schema_file:
        findings += contract_findings(file, source, root, options)
    return PipelineRun(file, findings, evaluated, passed, failed, records)


def _retry_zone_mismatches(
    outcome: SuiteOutcome,
    expectations: list[Expectation],
    compiled: list[CompiledCheck],
    source: Any,
    root: Path,
    options: ExpectationsConfig,
    now: dt.datetime,
) -> dict[int, ExpectationOutcome]:
    outcomes = {o.index: o for o in outcome.outcomes}
    retry: list[tuple[int, Expectation]] = []
    for check in compiled:
        if check.check.type != "freshness":
            continue
        for index in check.expectation_indexes:
            error = outcomes[index].error if index in outcomes else None
            if error and _ZONE_MISMATCH in error:
                kwargs = {
                    **expectations[index]["kwargs"],
                    "min_value": freshness_floor(check.check, now, naive=True),
                }
                retry.append((index, {**expectations[index], "kwargs": kwargs}))
    if not retry:
        return outcomes
    again = gx_run.validate([e for _, e in retry], source, root, name="pipeline:freshness", options=options)
    if again.error:
        return outcomes
    for (index, _), redone in zip(retry, again.outcomes, strict=False):
        outcomes[index] = _reindexed(redone, index)
    return outcomes


def _reindexed(outcome: ExpectationOutcome, index: int) -> ExpectationOutcome:
    return replace(outcome, index=index)
