"""Runs configured suites at one revision and turns the outcomes into findings (for `expectations`)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from dataops_ci.config import ExpectationsConfig, SuiteEntry
from dataops_ci.context import CheckContext
from dataops_ci.expectations import gx_run, parameters
from dataops_ci.expectations.engines import as_source, describe
from dataops_ci.expectations.gx_run import ExpectationOutcome, SuiteOutcome
from dataops_ci.expectations.suite_findings import legacy_finding as _legacy_finding
from dataops_ci.expectations.suite_findings import suite_error_finding as _suite_error_finding
from dataops_ci.expectations.suite_select import data_paths
from dataops_ci.expectations.suites import ParsedSuite, SuiteError, failure_severity, parse_suite
from dataops_ci.git import inside_repo
from dataops_ci.git.materialise import materialise
from dataops_ci.limits import Cap, Overrun
from dataops_ci.report import CheckStatus, Finding, status_from_findings

_PARSER_LINE = re.compile(r"\bline (\d+)")


@dataclass(frozen=True)
class SuiteRun:
    entry: SuiteEntry
    outcome: SuiteOutcome | None
    findings: list[Finding] = field(default_factory=list)

    @property
    def status(self) -> CheckStatus:
        return status_from_findings(self.findings)

    def summary(self, base_score: float | None = None) -> dict[str, Any]:
        source = as_source(self.entry.data)
        score = self.outcome.score if self.outcome is not None else None
        out: dict[str, Any] = {
            "suite": self.entry.suite,
            "data": describe(source),
            "engine": source.engine,
            "score": round(score, 4) if score is not None else None,
            "evaluated": self.outcome.evaluated if self.outcome else 0,
            "passed": self.outcome.passed if self.outcome else 0,
            "status": self.status,
        }
        if base_score is not None:
            out["base_score"] = round(base_score, 4)
        if self.outcome is not None and self.outcome.records is not None:
            out["records"] = self.outcome.records
        return out


def run_revision(
    ctx: CheckContext,
    rev: str | None,
    entries: list[SuiteEntry],
    scratch: Path,
    with_findings: bool = False,
    details: Literal["failed", "all"] = "failed",
) -> list[SuiteRun]:
    """Run `entries` against the files of `rev` (None: the working tree, read in place).

    Base runs (`with_findings=False`) only feed the score delta: a suite missing at base is left out.
    `details="all"` keeps GX's full result of every suite (for Data Docs); see gx_run.validate."""
    root = ctx.repo.root
    if rev is not None:
        paths = [e.suite for e in entries] + [p for e in entries for p in data_paths(e)]
        materialise(ctx.repo, rev, paths, scratch)
        root = scratch
    runs = []
    for entry in entries:
        if not with_findings and not (root / entry.suite).is_file():
            continue
        run = run_suite(entry, root, ctx.config.expectations, ctx.config.source, details)
        runs.append(run if with_findings else SuiteRun(entry, run.outcome))
    return runs


def run_suite(
    entry: SuiteEntry,
    root: Path,
    config: ExpectationsConfig,
    config_file: str | None,
    details: Literal["failed", "all"] = "failed",
) -> SuiteRun:
    suite_file = entry.suite
    over = _over_cap(root, suite_file, Cap("expectations.max_suite_bytes", config.max_suite_bytes))
    if over is not None:
        return SuiteRun(entry, None, [over.finding("cannot-read-suite", suite_file)])
    try:
        parsed = parse_suite(_read_suite(root, suite_file))
    except SuiteError as exc:
        return SuiteRun(entry, None, [_suite_error_finding(suite_file, exc, config_file)])
    findings = [_legacy_finding(suite_file)] if parsed.legacy else []
    params = parameters.merged(config.parameters, entry.parameters)
    outcome = gx_run.validate(
        parsed.expectations,
        as_source(entry.data),
        root,
        name=parsed.name,
        options=config,
        details=details,
        params=params,
    )
    if outcome.error:
        findings.append(_load_finding(entry, outcome, config_file))
    below = outcome.score is not None and outcome.score < config.min_quality_score
    for item in outcome.outcomes:
        if item.success is None:
            findings.append(_invalid_finding(suite_file, parsed, item))
        elif item.success is False:
            findings.append(_failed_finding(suite_file, parsed, item, outcome, below))
    return SuiteRun(entry, outcome, findings)


def _over_cap(root: Path, suite_file: str, cap: Cap) -> Overrun | None:
    if not inside_repo(root, suite_file):
        return None  # _read_suite refuses it
    try:
        return cap.check(suite_file, (root / suite_file).stat().st_size)
    except OSError:  # missing or unreadable: _read_suite says which
        return None


def _read_suite(root: Path, suite_file: str) -> str:
    if not inside_repo(root, suite_file):
        raise SuiteError("suite path is outside the repository")
    path = root / suite_file
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SuiteError("suite file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SuiteError(f"cannot read the suite file: {exc}") from None


def _load_finding(entry: SuiteEntry, outcome: SuiteOutcome, config_file: str | None) -> Finding:
    source = as_source(entry.data)
    message = outcome.error or "the data could not be loaded"
    local = not outcome.error_in_config and bool(source.path)
    line_match = _PARSER_LINE.search(message) if local else None
    return Finding(
        "error",
        outcome.error_rule or "cannot-read-data",
        f"suite {entry.suite}: {message}",
        file=source.path if local else config_file,
        line=int(line_match.group(1)) if line_match else None,
        hint=outcome.error_hint or "make the data readable; the suite's expectations were not evaluated",
        data={"suite": entry.suite, "data": describe(source)},
    )


def _invalid_finding(suite_file: str, parsed: ParsedSuite, item: ExpectationOutcome) -> Finding:
    if item.error_kind == "missing-parameter":
        return missing_parameter_finding(suite_file, parsed.name, item, parsed.kwargs_lines[item.index])
    unknown = item.error_kind == "unknown-type"
    line = parsed.lines[item.index] if unknown else parsed.kwargs_lines[item.index]
    hint = (
        "use a GX 1.x expectation type (https://greatexpectations.io/expectations/)"
        if unknown
        else "fix the expectation's kwargs to match the GX 1.x expectation"
    )
    return Finding(
        "error",
        "unknown-expectation" if unknown else "invalid-expectation",
        f"{suite_file}: expectation {item.index} ({item.type}): {item.error}",
        suite_file,
        line,
        path=f"expectations[{item.index}]",
        hint=hint,
        data={"expectation": item.type, "expected": item.kwargs, "suite": suite_file},
    )


def missing_parameter_finding(
    suite_file: str,
    suite_name: str,
    item: ExpectationOutcome,
    line: int | None,
    names: list[str] | None = None,
) -> Finding:
    # gx_run says which ones have no value: "no value for $PARAMETER a, b"
    listed = (item.error or "").removeprefix("no value for $PARAMETER ").split(", ")
    names = names or [n for n in parameters.references(item.kwargs) if n in listed]
    return Finding(
        "error",
        "missing-parameter",
        f"suite {suite_name} ({suite_file}): expectation {item.index} ({item.type}) refers to "
        f"$PARAMETER {', '.join(names)}, which has no value; the expectation was not evaluated",
        suite_file,
        line,
        path=f"expectations[{item.index}]",
        hint=parameters.hint(names),
        data={"expectation": item.type, "suite": suite_file, "parameters": names},
    )


def _failed_finding(
    suite_file: str, parsed: ParsedSuite, item: ExpectationOutcome, outcome: SuiteOutcome, below: bool
) -> Finding:
    score = outcome.score
    severity = failure_severity(parsed.expectations[item.index], "error" if below else "warning")
    return Finding(
        severity,
        "expectation-raised" if item.error else "expectation-failed",
        failure_message(item),
        suite_file,
        parsed.lines[item.index],
        path=f"expectations[{item.index}]",
        hint="fix the data, or update the expectation if the change is intended",
        data={
            **outcome_data(item),
            "suite": suite_file,
            "score": round(score, 4) if score is not None else None,
        },
    )


def outcome_data(item: ExpectationOutcome) -> dict[str, Any]:
    """What a failed expectation's finding carries about the outcome (suite checks and GX projects alike)."""
    return {
        "expectation": item.type,
        "column": item.column,
        "observed": item.observed,
        "expected": item.kwargs,
        "unexpected_count": item.unexpected_count,
        "unexpected_percent": item.unexpected_percent,
        "unexpected_values": item.unexpected_values,
    }


def failure_message(item: ExpectationOutcome) -> str:
    subject = f"{item.type} on column '{item.column}'" if item.column else item.type
    if item.error:
        return f"{subject} could not be evaluated: {item.error}"
    parts = [f"{subject} failed"]
    if item.observed is not None:
        parts.append(f"observed {_short(item.observed)}")
    if item.unexpected_count is not None:
        parts.append(f"{item.unexpected_count} unexpected ({item.unexpected_percent or 0:.2f}%)")
    if item.unexpected_values:
        parts.append("e.g. " + ", ".join(_short(v) for v in item.unexpected_values))
    return ": ".join(parts[:1]) + (": " + "; ".join(parts[1:]) if len(parts) > 1 else "")


def _short(value: Any, limit: int = 60) -> str:
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
