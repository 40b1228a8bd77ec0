"""GitHub workflow-command annotations: `::error file=F,line=L,title=T::message`.

GitHub shows at most 10 errors, 10 warnings and 10 notices per step from workflow commands, so only the
most important of each severity are emitted (breaking schema changes first, then could-not-check, then
the rest in check order); every finding still goes to SARIF and JUnit. Values are escaped with the runner's
rules: in the message `%`, CR and LF; in properties also `:` and `,`. A finding's text can therefore never
start a new line of its own, i.e. never smuggle a workflow command (`::add-mask::`, `::stop-commands::`).
"""

from __future__ import annotations

from typing import Any

from dataops_ci.render.escape import workflow_data, workflow_property
from dataops_ci.report import COULD_NOT_CHECK_PREFIX, SEVERITY_RANK, Finding, Report

MAX_PER_SEVERITY = 10
COMMANDS = {"error": "error", "warning": "warning", "notice": "notice"}
# Checks in the order their findings matter to a reviewer; unknown checks come after, in report order.
CHECK_PRIORITY = ("schema-compat", "expectations", "pipelines", "tests", "sql-lint")
MESSAGE_MAX = 4000
PROPERTY_MAX = 500


def _priority(check: str, finding: Finding, order: int) -> tuple[int, int, int, int, int, str, int]:
    rank = CHECK_PRIORITY.index(check) if check in CHECK_PRIORITY else len(CHECK_PRIORITY) + order
    could_not_check = finding.rule.startswith(COULD_NOT_CHECK_PREFIX)
    return (
        SEVERITY_RANK.get(finding.severity, 3),
        0 if check == "schema-compat" and not could_not_check else 1,  # breaking changes first
        0 if could_not_check else 1,
        rank,
        0 if finding.file else 1,  # annotations on a file show on the PR diff
        finding.file or "",
        finding.line or 0,
    )


def ordered(report: Report) -> list[tuple[str, Finding]]:
    """Every finding, most important first."""
    order = {c.name: i for i, c in enumerate(report.checks)}
    return sorted(report.findings(), key=lambda cf: _priority(cf[0], cf[1], order[cf[0]]))


def command(check: str, finding: Finding) -> str:
    props: list[tuple[str, str]] = []
    if finding.file:
        props.append(("file", finding.file))
        if finding.line:
            props.append(("line", str(finding.line)))
            if finding.column:
                props.append(("col", str(finding.column)))
    subject = f" {finding.path}" if finding.path else ""
    props.append(("title", f"{check}: {finding.rule}{subject}"))
    message = finding.message
    if finding.hint:
        message += f"\nFix: {finding.hint}"
    rendered = ",".join(f"{key}={workflow_property(value, PROPERTY_MAX)}" for key, value in props)
    return f"::{COMMANDS.get(finding.severity, 'notice')} {rendered}::{workflow_data(message, MESSAGE_MAX)}"


def select(report: Report, max_per_severity: int = MAX_PER_SEVERITY) -> list[tuple[str, Finding]]:
    """The findings that get an annotation: the first `max_per_severity` of each severity."""
    taken: dict[str, int] = {}
    chosen = []
    for check, finding in ordered(report):
        if taken.get(finding.severity, 0) < max_per_severity:
            taken[finding.severity] = taken.get(finding.severity, 0) + 1
            chosen.append((check, finding))
    return chosen


def render(report: Report, max_per_severity: int = MAX_PER_SEVERITY, **_: Any) -> str:
    lines = [command(check, finding) for check, finding in select(report, max_per_severity)]
    return "".join(line + "\n" for line in lines)
