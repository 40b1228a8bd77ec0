"""Findings for a pipeline's run: a failed (or unrunnable) quality check, and data that could not be read.

Every finding carries in `data` who should look: the check's `notify` list, the pipeline's owner and
reviewers, and the GitHub handles `teams:` maps them to (the PR comment mentions these).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from dataops_ci.expectations.gx_run import ExpectationOutcome, SuiteOutcome
from dataops_ci.pipelines.compile import CompiledCheck
from dataops_ci.pipelines.definition import PipelineFile
from dataops_ci.report import Finding
from dataops_ci.words import plural

if TYPE_CHECKING:
    from dataops_ci.pipelines.model import PipelineDef

# What an "unexpected" row is, per check type, for the observed text.
_UNEXPECTED_WORD = {
    "completeness": "null",
    "uniqueness": "duplicate",
    "accepted_values": "unaccepted",
    "range": "out-of-range",
    "pattern": "non-matching",
}
_CANNOT_RUN_HINT = {
    "freshness": "freshness needs a timestamp column: a timestamp type, or ISO-8601 text in one UTC offset",
}


def people(definition: PipelineDef, notify: Sequence[str], teams: Mapping[str, str]) -> dict[str, Any]:
    names = [*notify, definition.owner, *definition.reviewers]
    return {
        "pipeline": definition.name,
        "owner": definition.owner,
        "reviewers": list(definition.reviewers),
        "notify": list(notify),
        "handles": sorted({teams[n] for n in names if n in teams}),
    }


def check_finding(
    file: PipelineFile,
    compiled: CompiledCheck,
    outcomes: list[ExpectationOutcome],
    now: dt.datetime,
    teams: Mapping[str, str],
) -> Finding | None:
    definition = file.definition
    assert definition is not None
    check = compiled.check
    data = {
        **people(definition, check.notify, teams),
        "check_type": check.type,
        "quality_check": compiled.index,
        "expected": compiled.expected,
    }
    broken = [o for o in outcomes if o.error or o.success is None]
    if broken:
        message = f"{definition.name}: the {check.type} check could not run: {broken[0].error}"
        hint = _CANNOT_RUN_HINT.get(check.type, "check that the column names match the data")
        return Finding(
            "error",
            "cannot-run-quality-check",
            message,
            file.path,
            file.check_line(compiled.index),
            hint=hint,
            data=data,
        )
    failed = [o for o in outcomes if o.success is False]
    if not failed:
        return None
    observed = "; ".join(_observed_text(check, o, now) for o in failed)
    data["observed"] = observed
    data["results"] = [_result(o) for o in failed]
    message = (
        f"{definition.name}: {check.type} check failed: expected {compiled.expected}; observed {observed}"
    )
    return Finding(
        check.severity,
        f"pipeline-{check.type.replace('_', '-')}-failed",
        message,
        file.path,
        file.check_line(compiled.index),
        hint=_hint(definition, check.notify),
        data=data,
    )


def _observed_text(check: Any, outcome: ExpectationOutcome, now: dt.datetime) -> str:
    if check.type == "freshness":
        return _freshness_text(check.column, outcome.observed, now)
    if check.type == "row_count":
        return f"{outcome.observed} rows"
    word = _UNEXPECTED_WORD.get(check.type, "unexpected")
    percent = f" ({outcome.unexpected_percent:.3g}%)" if outcome.unexpected_percent is not None else ""
    text = f"{outcome.column}: {plural(outcome.unexpected_count or 0, word + ' row')}{percent}"
    shown = [v for v in outcome.unexpected_values if v is not None][:3]
    return text + (f", e.g. {', '.join(repr(v)[:40] for v in shown)}" if shown else "")


def _freshness_text(column: str, observed: Any, now: dt.datetime) -> str:
    if observed is None:
        return f"{column} has no values"
    try:
        newest = dt.datetime.fromisoformat(str(observed))
    except ValueError:
        return f"newest {column} is {observed}"
    if newest.tzinfo is None:
        newest = newest.replace(tzinfo=dt.UTC)  # zone-less timestamps are read as UTC
    reference = now if now.tzinfo is not None else now.replace(tzinfo=dt.UTC)
    hours = (reference - newest).total_seconds() / 3600
    return f"newest {column} is {observed} ({hours:.1f} h old)"


def _result(outcome: ExpectationOutcome) -> dict[str, Any]:
    return {
        "expectation": outcome.type,
        "column": outcome.column,
        "observed": outcome.observed,
        "unexpected_count": outcome.unexpected_count,
        "unexpected_percent": outcome.unexpected_percent,
        "unexpected_values": list(outcome.unexpected_values),
    }


def _hint(definition: PipelineDef, notify: Sequence[str]) -> str:
    who = ", ".join([*notify, definition.owner]) if notify else definition.owner
    return f"fix the data or the check's threshold; owner/notify: {who}"


def load_error_finding(file: PipelineFile, outcome: SuiteOutcome, teams: Mapping[str, str]) -> Finding:
    definition = file.definition
    assert definition is not None
    return Finding(
        "error",
        outcome.error_rule or "cannot-read-data",
        f"{definition.name}: {outcome.error}",
        file.path,
        file.located.line(("dataset", "data")),
        hint=outcome.error_hint,
        data=people(definition, [], teams),
    )
