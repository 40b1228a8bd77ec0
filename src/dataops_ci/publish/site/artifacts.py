"""Pipeline and suite pages: what each pipeline promises (owner, schedule, quality checks, contract, latest
score from a report) and what each expectation suite checks, in words."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from dataops_ci.expectations.suites import SuiteError, parse_suite
from dataops_ci.pipelines.definition import load_pipeline
from dataops_ci.pipelines.select import describe_dataset
from dataops_ci.publish.site.model import CheckRow, ExpectationRow, PipelinePage, SuitePage
from dataops_ci.publish.site.slugs import slug_for
from dataops_ci.publish.site.words import expectation_words, quality_check_words
from dataops_ci.report import Report


def latest_scores(report: Report | None) -> dict[str, str]:
    """Pipeline file -> its quality score in the report ("97.5% (39 of 40)"), for the pipelines it ran."""
    if report is None:
        return {}
    scores: dict[str, str] = {}
    for check in report.checks:
        if check.name != "pipelines":
            continue
        for entry in check.data.get("pipelines", []):
            evaluated, passed = entry.get("evaluated"), entry.get("passed")
            if isinstance(evaluated, int) and isinstance(passed, int) and evaluated > 0:
                scores[str(entry.get("file"))] = f"{passed / evaluated:.1%} ({passed} of {evaluated})"
    return scores


def pipeline_pages(
    texts: Mapping[str, str],
    exists: Callable[[str], bool],
    schema_slugs: Mapping[str, str],
    scores: Mapping[str, str],
) -> list[PipelinePage]:
    pages = []
    for path in sorted(texts):
        loaded = load_pipeline(path, texts[path], exists)
        definition = loaded.definition
        if definition is None:
            problem = loaded.findings[0].message if loaded.findings else "cannot be read"
            pages.append(
                PipelinePage(path, slug_for(path), path, "", (), "", "", "", "", "", (), "", problem)
            )
            continue
        schema_file = definition.dataset.schema_file or ""
        checks = tuple(
            CheckRow(c.type, quality_check_words(c), tuple(c.notify)) for c in definition.quality_checks
        )
        pages.append(
            PipelinePage(
                path,
                slug_for(path),
                definition.name,
                definition.owner,
                tuple(definition.reviewers),
                definition.schedule or "",
                definition.description or "",
                describe_dataset(loaded),
                schema_file,
                schema_slugs.get(schema_file, ""),
                checks,
                scores.get(path, ""),
            )  # fmt: skip
        )
    return pages


def suite_pages(texts: Mapping[str, str]) -> list[SuitePage]:
    pages = []
    for path in sorted(texts):
        try:
            suite = parse_suite(texts[path])
        except SuiteError as exc:
            pages.append(SuitePage(path, slug_for(path), path, (), str(exc)))
            continue
        severities = _severities(texts[path])
        rows = tuple(
            ExpectationRow(
                str(e["type"]), expectation_words(str(e["type"]), e["kwargs"]), severities.get(i, "")
            )
            for i, e in enumerate(suite.expectations)
        )
        pages.append(SuitePage(path, slug_for(path), suite.name, rows))
    return pages


def _severities(text: str) -> dict[int, str]:
    """GX 1.x `severity` of each expectation (critical / warning / info), by position."""
    raw: Any = json.loads(text)
    entries = raw.get("expectations") if isinstance(raw, dict) else None
    if not isinstance(entries, list):
        return {}
    return {i: str(e["severity"]) for i, e in enumerate(entries) if isinstance(e, dict) and "severity" in e}
