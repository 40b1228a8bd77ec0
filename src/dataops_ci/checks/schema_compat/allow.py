"""Approved intentional breaks (`schemas.allow`): an approved finding becomes a notice carrying its
reason; an approval past its `expires` date no longer applies and the message says so."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import replace
from fnmatch import fnmatchcase
from typing import TYPE_CHECKING

from dataops_ci.git import match_glob
from dataops_ci.report import Finding

if TYPE_CHECKING:
    from dataops_ci.config import Approval  # annotations only: no pydantic at import


def _names(approval: Approval) -> str:
    parts = [f"{key} {value}" for key in ("file", "rule", "path") if (value := getattr(approval, key))]
    return ", ".join(parts)


def approval_matches(approval: Approval, finding: Finding) -> bool:
    """Every key the approval gives must match (globs); an approval giving none matches nothing."""
    if not (approval.file or approval.rule or approval.path):
        return False
    files = [f for f in (finding.file, finding.data.get("old_file")) if isinstance(f, str)]
    if approval.file and not any(f == approval.file or match_glob(f, approval.file) for f in files):
        return False
    if approval.rule and not fnmatchcase(finding.rule, approval.rule):
        return False
    return not approval.path or fnmatchcase(finding.path or "", approval.path)


def _approve(finding: Finding, approval: Approval, today: dt.date, where: str) -> Finding:
    if approval.expires is not None and approval.expires < today:
        message = (
            f"{finding.message} (the approval in {where} for {_names(approval)} expired on "
            f'{approval.expires.isoformat()}: "{approval.reason}")'
        )
        data = {**finding.data, "approval_expired": approval.expires.isoformat()}
        hint = f"renew the approval (a later `expires`) if the break is still intended; {finding.hint or ''}"
        return replace(finding, message=message, data=data, hint=hint.rstrip("; "))
    message = f"approved break: {approval.reason} -- {finding.message}"
    data = {**finding.data, "approved": approval.reason, "original_severity": finding.severity}
    return replace(finding, severity="notice", message=message, data=data)


def apply_approvals(
    findings: Iterable[Finding], approvals: Sequence[Approval], today: dt.date, where: str = "schemas.allow"
) -> list[Finding]:
    """Findings with the approvals of `schemas.allow` (or the list `where` names: `lineage.allow`) applied.
    Only errors and warnings need approving; when several approvals match, an unexpired one wins."""
    out: list[Finding] = []
    for finding in findings:
        matching = [a for a in approvals if finding.severity != "notice" and approval_matches(a, finding)]
        if not matching:
            out.append(finding)
            continue
        live = [a for a in matching if a.expires is None or a.expires >= today]
        out.append(_approve(finding, (live or matching)[0], today, where))
    return out


def useless_approvals(approvals: Sequence[Approval], where: str = "schemas.allow") -> list[Finding]:
    """Approvals that can never match (no file, rule or path) are a configuration mistake worth saying."""
    return [
        Finding(
            "warning",
            "approval-matches-nothing",
            f'{where}[{i}] ("{a.reason}") names no file, rule or path, so it approves nothing',
            hint="add file:, rule: and/or path: to say which break is approved",
        )
        for i, a in enumerate(approvals)
        if not (a.file or a.rule or a.path)
    ]
