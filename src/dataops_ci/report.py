"""The one result model: Finding, CheckResult, Report, and their JSON form (schema_version 1).

Every check produces a CheckResult; every renderer consumes a Report. Nothing else crosses that line.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from dataops_ci import __version__

SCHEMA_VERSION = 1
WORKTREE = "WORKTREE"

Severity = Literal["error", "warning", "notice"]
CheckStatus = Literal["passed", "failed", "error", "skipped"]
# "nothing-checked": every check was skipped (or none ran) — neutral, never a pass.
ReportStatus = Literal["passed", "failed", "error", "nothing-checked"]
NOTHING_CHECKED: ReportStatus = "nothing-checked"

SEVERITIES: tuple[Severity, ...] = ("error", "warning", "notice")
CHECK_STATUSES: tuple[CheckStatus, ...] = ("passed", "failed", "error", "skipped")
SEVERITY_RANK = {"error": 0, "warning": 1, "notice": 2}

# Rule ids of findings that mean "this could not be checked" rather than "a problem was found".
COULD_NOT_CHECK_PREFIX = "cannot-"
# Rule ids of notices about files in the repository that no check covers (checks/discovery.py).
UNCOVERED_PREFIX = "uncovered-"


@dataclass(frozen=True)
class Finding:
    severity: Severity
    rule: str
    message: str
    file: str | None = None
    line: int | None = None
    path: str | None = None
    hint: str | None = None
    column: int | None = None
    # Check-specific structured detail (observed values, sqlfluff fixes, notify lists ...).
    data: Mapping[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"severity": self.severity, "rule": self.rule, "message": self.message}
        for key in ("file", "line", "path", "hint", "column"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        if self.data:
            out["data"] = dict(self.data)
        return out

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> Finding:
        return cls(
            severity=raw["severity"],
            rule=raw["rule"],
            message=raw["message"],
            file=raw.get("file"),
            line=raw.get("line"),
            path=raw.get("path"),
            hint=raw.get("hint"),
            column=raw.get("column"),
            data=dict(raw.get("data") or {}),
        )


@dataclass(frozen=True)
class CheckResult:
    name: str
    status: CheckStatus
    summary: str
    duration_s: float = 0.0
    metrics: Mapping[str, Any] = field(default_factory=dict)
    data: Mapping[str, Any] = field(default_factory=dict)
    findings: tuple[Finding, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "status": self.status,
            "summary": self.summary,
            "duration_s": round(self.duration_s, 3),
            "metrics": dict(self.metrics),
            "data": dict(self.data),
            "findings": [f.to_dict() for f in self.findings],
        }

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> CheckResult:
        return cls(
            name=raw["name"],
            status=raw["status"],
            summary=raw.get("summary", ""),
            duration_s=float(raw.get("duration_s", 0.0)),
            metrics=dict(raw.get("metrics") or {}),
            data=dict(raw.get("data") or {}),
            findings=tuple(Finding.from_dict(f) for f in raw.get("findings") or ()),
        )

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity == severity)


def status_from_findings(findings: Iterable[Finding], fail_on: str = "error") -> CheckStatus:
    """The status a check gets from its findings: could-not-check errors win, then failures."""
    findings = list(findings)
    if any(f.severity == "error" and f.rule.startswith(COULD_NOT_CHECK_PREFIX) for f in findings):
        return "error"
    failing = {"error": ("error",), "warning": ("error", "warning"), "never": ()}.get(fail_on, ("error",))
    if any(f.severity in failing for f in findings):
        return "failed"
    return "passed"


@dataclass(frozen=True)
class Report:
    base: str
    head: str
    checks: tuple[CheckResult, ...]
    duration_s: float = 0.0
    quality_score: float | None = None
    tool_version: str = __version__
    # Free-form context for renderers (PR number, run URL, approvals ...); not part of the status.
    context: Mapping[str, Any] = field(default_factory=dict)
    # The commit the working tree was on when head is WORKTREE (what the results describe, bar local edits).
    head_commit: str | None = None
    # The config's `teams:` mapping the run used: every renderer mentions owners through it.
    teams: Mapping[str, str] = field(default_factory=dict)

    @property
    def status(self) -> ReportStatus:
        statuses = {c.status for c in self.checks}
        if "failed" in statuses:
            return "failed"
        if "error" in statuses:
            return "error"
        if statuses <= {"skipped"}:
            return NOTHING_CHECKED
        return "passed"

    def check(self, name: str) -> CheckResult | None:
        return next((c for c in self.checks if c.name == name), None)

    def findings(self) -> list[tuple[str, Finding]]:
        return [(c.name, f) for c in self.checks for f in c.findings]

    def with_checks(self, checks: Iterable[CheckResult]) -> Report:
        return replace(self, checks=tuple(checks))

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "schema_version": SCHEMA_VERSION,
            "tool": {"name": "dataops-ci", "version": self.tool_version},
            "base": self.base,
            "head": self.head,
            "status": self.status,
            "quality_score": self.quality_score,
            "duration_s": round(self.duration_s, 3),
            "checks": [c.to_dict() for c in self.checks],
        }
        if self.head_commit:
            out["head_commit"] = self.head_commit
        if self.teams:
            out["teams"] = dict(self.teams)
        if self.context:
            out["context"] = dict(self.context)
        return out

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False, sort_keys=False)

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> Report:
        if raw.get("schema_version") != SCHEMA_VERSION:
            raise ValueError(f"unsupported report schema_version {raw.get('schema_version')!r}")
        return cls(
            base=raw["base"],
            head=raw["head"],
            checks=tuple(CheckResult.from_dict(c) for c in raw.get("checks") or ()),
            duration_s=float(raw.get("duration_s", 0.0)),
            quality_score=raw.get("quality_score"),
            tool_version=(raw.get("tool") or {}).get("version", "unknown"),
            context=dict(raw.get("context") or {}),
            head_commit=raw.get("head_commit"),
            teams=dict(raw.get("teams") or {}),
        )

    @classmethod
    def from_json(cls, text: str) -> Report:
        return cls.from_dict(json.loads(text))
