"""Terminal output: one block per check, findings as `file:line: severity rule message`. Coloured on a TTY."""

from __future__ import annotations

import os
import sys
from typing import Any

from dataops_ci.render.escape import plain
from dataops_ci.report import SEVERITY_RANK, CheckResult, Finding, Report
from dataops_ci.words import percent

COLOURS = {"passed": "32", "failed": "31", "error": "35", "skipped": "90", "warning": "33", "notice": "36"}
COLOURS["nothing-checked"] = COLOURS["skipped"]  # neutral grey, never the pass colour
ICONS = {"passed": "PASS", "failed": "FAIL", "error": "ERROR", "skipped": "SKIP"}
MESSAGE_MAX = 4000


def _use_colour(colour: bool | None) -> bool:
    if colour is not None:
        return colour
    if os.environ.get("NO_COLOR"):
        return False
    return sys.stdout.isatty() or bool(os.environ.get("FORCE_COLOR"))


def _paint(text: str, key: str, colour: bool) -> str:
    code = COLOURS.get(key, "31" if key == "error" else "0")
    return f"\033[{code}m{text}\033[0m" if colour else text


def _location(finding: Finding) -> str:
    if not finding.file:
        return ""
    where = plain(finding.file, 300)
    if finding.line:
        where += f":{finding.line}"
        if finding.column:
            where += f":{finding.column}"
    return where + ": "


def _finding_lines(finding: Finding, colour: bool) -> list[str]:
    severity = _paint(finding.severity, finding.severity, colour)
    subject = f" [{plain(finding.path, 200)}]" if finding.path else ""
    rule, message = plain(finding.rule, 128), plain(finding.message, MESSAGE_MAX)
    lines = [f"    {_location(finding)}{severity} {rule}{subject}: {message}"]
    if finding.hint:
        lines.append(f"        hint: {plain(finding.hint, MESSAGE_MAX)}")
    return lines


def _check_lines(check: CheckResult, colour: bool) -> list[str]:
    label = _paint(f"{ICONS[check.status]:<5}", check.status, colour)
    lines = [f"{label} {plain(check.name, 64)} ({check.duration_s:.2f}s): {plain(check.summary, 500)}"]
    for finding in sorted(
        check.findings, key=lambda f: (SEVERITY_RANK[f.severity], f.file or "", f.line or 0)
    ):
        lines.extend(_finding_lines(finding, colour))
    return lines


def render(report: Report, colour: bool | None = None, **_: Any) -> str:
    use_colour = _use_colour(colour)
    lines: list[str] = []
    for check in report.checks:
        lines.extend(_check_lines(check, use_colour))
    verdict = _paint(report.status.upper().replace("-", " "), report.status, use_colour)
    score = f", quality {percent(report.quality_score)}" if report.quality_score is not None else ""
    base, head = plain(report.base[:12]), plain(report.head[:12])
    lines.append(f"dataops-ci: {verdict} ({base}..{head}{score}, {report.duration_s:.2f}s)")
    return "\n".join(lines) + "\n"
