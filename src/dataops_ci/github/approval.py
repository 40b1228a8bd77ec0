"""Approval of breaking schema changes by a PR label (default `data-breaking-change-approved`).

What we can know about who approved, from the most to the least direct:
  1. the run was triggered by adding the label (`pull_request` event, action `labeled`): `sender.login`;
  2. otherwise the event's `pull_request.labels` only says the label is there, not who added it; with a token
     we read the PR's issue events and take the actor of the latest `labeled` event for that label;
  3. otherwise the approver is unknown (`approved_by` is None) — the approval still holds.
Only the event payload (written by GitHub) and the API are trusted for this, never the report or the PR files.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from dataops_ci.report import Finding, Report, status_from_findings

SCHEMA_CHECK = "schema-compat"
APPROVABLE_CHECKS = (SCHEMA_CHECK, "blast-radius")  # checks whose breaking findings the label approves


@dataclass(frozen=True)
class LabelApproval:
    label: str
    approved_by: str | None


def approval_from_event(event: Mapping[str, Any], label: str) -> LabelApproval | None:
    """The approval the PR's labels give, or None when the label is not on the PR."""
    pr = event.get("pull_request")
    if not isinstance(pr, Mapping) or not label:
        return None
    names = {item.get("name") for item in pr.get("labels") or [] if isinstance(item, Mapping)}
    if label not in names:
        return None
    added = event.get("action") == "labeled" and (event.get("label") or {}).get("name") == label
    sender = (event.get("sender") or {}).get("login") if added else None
    return LabelApproval(label, sender if isinstance(sender, str) else None)


def approver_from_issue_events(events: list[dict[str, Any]], label: str) -> str | None:
    """The actor of the latest `labeled` event for `label` (events come oldest first)."""
    for event in reversed(events):
        if event.get("event") == "labeled" and (event.get("label") or {}).get("name") == label:
            login = (event.get("actor") or {}).get("login")
            return login if isinstance(login, str) else None
    return None


def is_breaking(finding: Finding) -> bool:
    """A breaking schema change as schema-compat marks it (an error saying what `breaks`)."""
    return finding.severity == "error" and bool(finding.data.get("breaks"))


def breaking_count(report: Report) -> int:
    """Breaking schema changes that still block (approved ones are notices)."""
    check = report.check(SCHEMA_CHECK)
    return sum(1 for f in check.findings if is_breaking(f)) if check else 0


def apply_approval(report: Report, approval: LabelApproval | None) -> Report:
    """Breaking findings (schema-compat's, and blast-radius's downstream breaks) become notices that say
    who approved; each check's status follows."""
    if approval is None:
        return report
    approved = 0
    checks = []
    for check in report.checks:
        breaking = [f for f in check.findings if is_breaking(f)] if check.name in APPROVABLE_CHECKS else []
        if not breaking:
            checks.append(check)
            continue
        approved += len(breaking)
        findings = tuple(_approved(f, approval) if is_breaking(f) else f for f in check.findings)
        checks.append(
            replace(
                check,
                findings=findings,
                status=status_from_findings(findings),
                summary=f"{check.summary}; {len(breaking)} approved with label {approval.label}",
            )
        )
    if not approved:
        return report
    context = {
        **report.context,
        "approval": {"label": approval.label, "approved_by": approval.approved_by, "findings": approved},
    }
    return replace(report, checks=tuple(checks), context=context)


def _approved(finding: Finding, approval: LabelApproval) -> Finding:
    data = {
        **finding.data,
        "approved_by": approval.approved_by,
        "approved_label": approval.label,
        "approved_severity": finding.severity,
    }
    return replace(finding, severity="notice", data=data)
