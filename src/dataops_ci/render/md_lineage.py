"""The blast-radius section of the PR comment: the picture, then per change what it changed and who uses
it ("Used by", with depth and file:line), then the findings (breaking downstream uses first)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from dataops_ci.render import mermaid
from dataops_ci.render.escape import code, code_block, md_text
from dataops_ci.render.md_common import bounded_section, by_file, finding_item, grouped
from dataops_ci.render.trim import Section
from dataops_ci.report import CheckResult, Finding

MAX_USED_BY = 15
NO_CONSUMER = "_no consumer found in this repository_"
SUMMARY_RULES = ("schema-change-consumers", "no-consumer-found", "sql-model-change")  # shown as blocks
CHANGE_ORDER = ("removed", "type changed", "added", "logic changed", "model removed")


def _targets(check: CheckResult) -> list[Mapping[str, Any]]:
    raw = check.data.get("targets") if isinstance(check.data, Mapping) else None
    return [t for t in raw if isinstance(t, Mapping)] if isinstance(raw, list) else []


def _where(entry: Mapping[str, Any]) -> str:
    file, line = entry.get("file"), entry.get("line")
    if not file:
        return ""
    return code(f"{file}:{line}" if isinstance(line, int) else str(file))


def _column_changes(target: Mapping[str, Any]) -> str:
    changes = [c for c in target.get("columns") or [] if isinstance(c, Mapping)]
    if not changes:
        return "no output column changed" if target.get("change") == "changed" else str(target.get("change"))
    parts = []
    for kind in CHANGE_ORDER:
        for change in (c for c in changes if c.get("change") == kind):
            text = f"column {md_text(kind, 20)}: {code(change.get('column'), 80)}"
            if kind == "type changed":
                text += f" ({md_text(change.get('old_type'), 30)} → {md_text(change.get('new_type'), 30)})"
            if kind == "logic changed":
                text += " (non-breaking)"
            if change.get("used_by"):
                text += f", used by {change['used_by']}"
            parts.append(text)
    return "; ".join(parts)


def _heading(target: Mapping[str, Any]) -> str:
    if target.get("kind") == "schema":
        where = f" in {code(target.get('file'))}" if target.get("file") else ""
        return f"**{code(target.get('name'), 120)}**{where}: {code(target.get('change'), 80)}"
    where = f" ({code(target.get('file'))})" if target.get("file") else ""
    reached = f" — through {md_text(target['reached_by'], 80)}" if target.get("reached_by") else ""
    return f"**Model {code(target.get('name'), 120)}**{where}{reached}: {_column_changes(target)}"


def _used_by(entry: Mapping[str, Any]) -> str:
    depth = int(entry.get("depth") or 0)
    parts = [f"- depth {depth} · {md_text(entry.get('kind'), 20)} {code(entry.get('name'), 120)}"]
    where = _where(entry)
    if where:
        parts.append(f"at {where}")
    if entry.get("uses"):
        into = f" → {code(entry['column'], 80)}" if entry.get("column") else ""
        parts.append(f"uses {code(entry['uses'], 80)}{into}")
    people = [*(entry.get("owners") or []), *(entry.get("notify") or [])]
    if people:
        parts.append("(" + ", ".join(code(p, 60) for p in people[:5]) + ")")
    text = " ".join(parts)
    if entry.get("unknown"):
        text += f" — ⚠️ {md_text(entry['unknown'], 200)}"
    return text


def _target_block(target: Mapping[str, Any]) -> str:
    consumers = [c for c in target.get("consumers") or [] if isinstance(c, Mapping)]
    lines = [_heading(target), "", "Used by:" if consumers else NO_CONSUMER]
    lines += [_used_by(c) for c in consumers[:MAX_USED_BY]]
    if len(consumers) > MAX_USED_BY:
        lines.append(f"- … and {len(consumers) - MAX_USED_BY} more")
    return "\n".join(lines)


def _picture(targets: Sequence[Mapping[str, Any]]) -> list[str]:
    if not any(t.get("consumers") for t in targets):
        return []
    return [code_block(mermaid.blast_radius(targets), None, info="mermaid")]


def _rank(finding: Finding) -> int:
    return 0 if finding.severity == "error" else 1 if finding.severity == "warning" else 2


def blast_radius(check: CheckResult, budget: int | None) -> Section:
    targets = _targets(check)
    intro = _picture(targets) + [_target_block(t) for t in targets]
    findings = by_file([f for f in check.findings if f.rule not in SUMMARY_RULES])
    findings.sort(key=_rank)
    texts = grouped(findings, finding_item, lambda f: "", lambda _: None)
    return bounded_section(check, intro, texts, "lineage finding", budget)
