"""Markdown pieces shared by the comment's sections: icons, locations, one finding as a list item, and the
section skeleton (grouped items, rendered only while they can still fit)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from dataops_ci.render.escape import code, html_text, md_text, md_text_with_code
from dataops_ci.render.trim import Item, Section
from dataops_ci.report import COULD_NOT_CHECK_PREFIX, SEVERITY_RANK, CheckResult, Finding
from dataops_ci.words import plural

__all__ = ["plural"]  # re-exported: the sections count with the one helper (dataops_ci.words)

# "nothing-checked" (a run whose every check was skipped) is neutral: never the pass mark.
STATUS_ICONS = {"passed": "✅", "failed": "❌", "error": "⚠️", "skipped": "⏭️", "nothing-checked": "⚪"}
SEVERITY_ICONS = {"error": "❌", "warning": "⚠️", "notice": "ℹ️"}
APPROVED_ICON = "☑️"

MESSAGE_MAX = 500
HINT_MAX = 300
VALUE_MAX = 100


def data_of(finding: Finding) -> Mapping[str, Any]:
    """Finding.data, or an empty mapping when a hand-written report put something else there."""
    return finding.data if isinstance(finding.data, Mapping) else {}


def could_not_check(finding: Finding) -> bool:
    return finding.rule.startswith(COULD_NOT_CHECK_PREFIX)


def importance(finding: Finding) -> tuple[int, int, str, int]:
    """Sort key: errors first, could-not-check before problems, then by place."""
    return (SEVERITY_RANK.get(finding.severity, 3), 0 if could_not_check(finding) else 1) + (
        finding.file or "",
        finding.line or 0,
    )


def by_file(findings: Sequence[Finding]) -> list[Finding]:
    """Findings grouped by file, each group together: files ordered by their most important finding,
    findings within a file by importance (a plain importance sort splits a file's findings apart)."""
    ordered = sorted(findings, key=importance)
    rank: dict[str, int] = {}
    for position, finding in enumerate(ordered):
        rank.setdefault(finding.file or "", position)
    return sorted(ordered, key=lambda f: rank[f.file or ""])


def location(finding: Finding, with_file: bool = True) -> str:
    """`file:line:column` as code, or "" when the finding has no place."""
    if not finding.file and not finding.line:
        return ""
    where = finding.file if with_file and finding.file else ""
    if finding.line:
        where += f":{finding.line}" if where else f"line {finding.line}"
        if finding.column:
            where += f":{finding.column}"
    return code(where) if where else ""


def is_approved(finding: Finding) -> bool:
    """A breaking change the PR label approved (the GitHub side turned it into a notice)."""
    data = data_of(finding)
    return bool(data.get("approved_by") or data.get("approved_label"))


def approval(finding: Finding) -> str:
    """ " ☑️ approved by `login` with label `x`"; the login is never a mention (it is not from the config)."""
    if not is_approved(finding):
        return ""
    data = data_of(finding)
    text = f" {APPROVED_ICON} approved"
    approved_by = data.get("approved_by")
    if approved_by:
        names = approved_by if isinstance(approved_by, list | tuple) else [approved_by]
        text += f" by {', '.join(code(n, 60) for n in names[:5])}"
    if data.get("approved_label"):
        text += f" with label {code(data['approved_label'], 60)}"
    return text


def hint_text(finding: Finding) -> str:
    # A backslash at the end of a line is a hard line break that survives editors stripping trailing spaces.
    return f"\\\n  _Fix:_ {md_text_with_code(finding.hint, HINT_MAX)}" if finding.hint else ""


def finding_item(finding: Finding, with_file: bool = True, subject: str = "") -> str:
    """One finding as a list item: icon, place, rule, message, approval, fix hint."""
    parts = [SEVERITY_ICONS.get(finding.severity, "•")]
    where = location(finding, with_file)
    if where:
        parts.append(where)
    if subject or finding.path:
        parts.append(subject or code(finding.path, VALUE_MAX))
    parts.append(f"**{md_text(finding.rule, 80)}**:")
    parts.append(md_text(finding.message, MESSAGE_MAX))
    return "- " + " ".join(parts) + approval(finding) + hint_text(finding)


def values_list(values: Any, limit: int = 5) -> str:
    """A few values as code spans, with how many more there were."""
    if not isinstance(values, Sequence) or isinstance(values, str | bytes):
        values = [values]
    shown = ", ".join(code(_value_text(v), 60) for v in values[:limit])
    more = len(values) - limit
    return shown + (f" and {more} more" if more > 0 else "")


def _value_text(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, str):
        return repr(value) if value != value.strip() or not value else value
    if isinstance(value, Mapping | list | tuple):
        return json.dumps(value, ensure_ascii=False, default=str, separators=(", ", ": "))
    return str(value)


def value(value: Any) -> str:
    """One observed or expected value (any JSON) as a code span."""
    return code(_value_text(value), VALUE_MAX)


def opening(check: CheckResult) -> str:
    icon = STATUS_ICONS.get(check.status, "•")
    summary = f": {html_text(check.summary, 200)}" if check.summary else ""
    return f"<details>\n<summary>{icon} <b>{html_text(check.name, 60)}</b>{summary}</summary>"


def grouped(
    findings: Sequence[Finding],
    item: Callable[[Finding], str],
    group: Callable[[Finding], str],
    header: Callable[[str], str | None],
) -> Iterator[str]:
    """Each finding's item, lazily; a group's header line rides on the first item of its group."""
    current: str | None = None
    for finding in findings:
        text = item(finding)
        key = group(finding)
        if key != current:
            current = key
            head = header(key)
            text = f"{head}\n\n{text}" if head else text
        yield text


def bounded_section(
    check: CheckResult, intro: list[str], texts: Iterator[str], noun: str, budget: int | None
) -> Section:
    """A section of the intro blocks and one item per finding. Items past `budget` characters are never
    rendered: the trimmer would drop them anyway (it cannot keep more than the whole limit of one section)."""
    items = [Item(text, findings=0) for text in intro]
    used, total = 0, len(check.findings)
    for count, text in enumerate(texts):
        if budget is not None and used > budget:
            return Section(opening(check), items, noun=noun, left_out=total - count)
        items.append(Item(text))
        used += len(text)
    return Section(opening(check), items, noun=noun)
