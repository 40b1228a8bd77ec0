"""Approval by PR label: who approved, and which findings it turns into notices."""

from __future__ import annotations

from dataops_ci.github.approval import (
    LabelApproval,
    apply_approval,
    approval_from_event,
    approver_from_issue_events,
    breaking_count,
)
from dataops_ci.report import CheckResult, Finding, Report

LABEL = "data-breaking-change-approved"


def schema_report() -> Report:
    breaking = Finding(
        "error", "field-removed", "fax removed", "schemas/c.avsc", 4, data={"breaks": "readers"}
    )
    unreadable = Finding("error", "cannot-read-schema", "not JSON", "schemas/d.avsc", 1)
    check = CheckResult("schema-compat", "error", "1 breaking, 1 unreadable", findings=(breaking, unreadable))
    return Report("a" * 40, "b" * 40, (check,))


def event(labels: list[str], action: str = "synchronize", label: str | None = None) -> dict[str, object]:
    payload: dict[str, object] = {
        "action": action,
        "pull_request": {"number": 1, "labels": [{"name": n} for n in labels]},
        "sender": {"login": "someone"},
    }
    if label:
        payload["label"] = {"name": label}
    return payload


def test_who_approved_is_known_only_when_the_label_triggered_the_run() -> None:
    assert approval_from_event(event([LABEL], "labeled", LABEL), LABEL) == LabelApproval(LABEL, "someone")
    assert approval_from_event(event([LABEL, "docs"], "labeled", "docs"), LABEL) == LabelApproval(LABEL, None)
    assert approval_from_event(event([LABEL]), LABEL) == LabelApproval(LABEL, None)
    assert approval_from_event(event([], "unlabeled", LABEL), LABEL) is None
    assert approval_from_event({"push": True}, LABEL) is None
    assert approval_from_event(event([LABEL]), "") is None  # approval switched off


def test_latest_labeled_event_names_the_approver() -> None:
    events = [
        {"event": "labeled", "label": {"name": LABEL}, "actor": {"login": "first"}},
        {"event": "unlabeled", "label": {"name": LABEL}, "actor": {"login": "first"}},
        {"event": "labeled", "label": {"name": "docs"}, "actor": {"login": "other"}},
        {"event": "labeled", "label": {"name": LABEL}, "actor": {"login": "second"}},
    ]
    assert approver_from_issue_events(events, LABEL) == "second"
    assert approver_from_issue_events(events[2:3], LABEL) is None


def test_only_breaking_findings_become_notices() -> None:
    report = schema_report()
    assert breaking_count(report) == 1
    approved = apply_approval(report, LabelApproval(LABEL, "lead"))
    check = approved.checks[0]
    severities = {f.rule: f.severity for f in check.findings}
    assert severities == {"field-removed": "notice", "cannot-read-schema": "error"}
    assert check.findings[0].data["approved_by"] == "lead"
    assert check.status == "error"  # could-not-check still stands
    assert breaking_count(approved) == 0
    assert approved.context["approval"] == {"label": LABEL, "approved_by": "lead", "findings": 1}
    assert apply_approval(report, None) is report
