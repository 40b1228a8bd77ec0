"""The `expectations` section of the PR comment: the score, the suites, and each failed expectation with
observed and expected values and a few unexpected values (keys as `expectations/suite_run.py` writes them)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dataops_ci.render.escape import code, md_text
from dataops_ci.render.md_common import (
    STATUS_ICONS,
    approval,
    bounded_section,
    could_not_check,
    data_of,
    finding_item,
    grouped,
    hint_text,
    importance,
    location,
    plural,
    value,
    values_list,
)
from dataops_ci.render.trim import Section
from dataops_ci.report import CheckResult, Finding
from dataops_ci.words import percent

MAX_SUITE_ROWS = 30


def _percent(data: Mapping[str, Any]) -> str:
    percent = data.get("unexpected_percent")
    if isinstance(percent, int | float):
        return f" ({percent:.3g}%)"
    return ""


def _compared(data: Mapping[str, Any]) -> str:
    """`observed X, expected Y`, leaving out what is missing or empty."""
    expected = data.get("expected")
    if isinstance(expected, Mapping):  # the expectation's kwargs: the column is already named
        expected = {k: v for k, v in expected.items() if k != "column"}
    pairs = (("observed", data.get("observed")), ("expected", expected))
    return ", ".join(f"{word} {value(v)}" for word, v in pairs if v not in (None, {}, [], ""))


def _unexpected(data: Mapping[str, Any]) -> str:
    count = data.get("unexpected_count")
    text = f"{plural(count, 'unexpected value')}{_percent(data)}" if isinstance(count, int) and count else ""
    if data.get("unexpected_values"):
        text += f"{', e.g.' if text else 'e.g.'} {values_list(data['unexpected_values'])}"
    return text


def _expectation_item(finding: Finding) -> str:
    data = data_of(finding)
    if could_not_check(finding) or "expectation" not in data:
        return finding_item(finding)
    subject = f"**{code(data['expectation'], 80)}**"
    if data.get("column") is not None:
        subject += f" on {code(data['column'], 80)}"
    details = [part for part in (_compared(data), _unexpected(data)) if part]
    if not details and finding.message:
        details.append(md_text(finding.message, 300))
    icon = "❌" if finding.severity == "error" else "⚠️"
    text = f"- {icon} {subject}" + (f": {'; '.join(details)}" if details else "")
    # The suite file is in the header already; its line number is worth repeating.
    where = location(finding) if finding.line or finding.file != data.get("suite") else ""
    return text + (f" ({where})" if where else "") + approval(finding) + hint_text(finding)


def _quality_line(check: CheckResult) -> str:
    metrics = check.metrics if isinstance(check.metrics, Mapping) else {}
    passed, evaluated = metrics.get("expectations_passed"), metrics.get("expectations_evaluated")
    if not isinstance(evaluated, int) or not evaluated:
        return ""
    # Counts are formatted only when they are numbers: a hand-written report may put anything there.
    line = f"{passed if isinstance(passed, int) else '?'} of {plural(evaluated, 'expectation')} passed"
    if isinstance(passed, int):
        line += f": quality {percent(passed / evaluated)}"
        base_passed, base_evaluated = (
            metrics.get("base_expectations_passed"),
            metrics.get("base_expectations_evaluated"),
        )
        if isinstance(base_passed, int) and isinstance(base_evaluated, int) and base_evaluated:
            line += f", base {percent(base_passed / base_evaluated)}"
    minimum = metrics.get("min_quality_score", _data(check).get("min_quality_score"))
    if isinstance(minimum, int | float):
        line += f" (minimum {percent(minimum)})"
    return line + "."


def _data(check: CheckResult) -> Mapping[str, Any]:
    return check.data if isinstance(check.data, Mapping) else {}


def _suites(check: CheckResult) -> dict[str, Mapping[str, Any]]:
    suites = _data(check).get("suites")
    entries = [e for e in suites if isinstance(e, Mapping)] if isinstance(suites, list) else []
    return {str(e.get("suite") or ""): e for e in entries}


def _score(entry: Mapping[str, Any], key: str) -> str:
    score = entry.get(key)
    return percent(score) if isinstance(score, int | float) and not isinstance(score, bool) else "–"


def _suites_table(suites: Mapping[str, Mapping[str, Any]]) -> str:
    rows = ["| Suite | Data | Passed | Score | Base |", "|:--|:--|--:|--:|--:|"]
    for name, entry in list(suites.items())[:MAX_SUITE_ROWS]:
        data = code(entry["data"], 80, in_table=True) if entry.get("data") else ""
        passed = f"{entry.get('passed', '?')} of {entry.get('evaluated', '?')}"
        icon = STATUS_ICONS.get(str(entry.get("status")), "")
        row = [f"{icon} {code(name, 80, in_table=True)}", data, md_text(passed, 40)]
        rows.append("| " + " | ".join(row + [_score(entry, "score"), _score(entry, "base_score")]) + " |")
    if len(suites) > MAX_SUITE_ROWS:
        rows.append(f"| … and {len(suites) - MAX_SUITE_ROWS} more | | | | |")
    return "\n".join(rows)


def _suite_header(suite: str, entry: Mapping[str, Any]) -> str:
    extras = [f"data {code(entry['data'], 80)}"] if entry.get("data") else []
    if isinstance(entry.get("score"), int | float):
        extras.append(f"score {_score(entry, 'score')}")
    return f"**Suite {code(suite)}**" + (f" ({', '.join(extras)})" if extras else "")


def _by_suite(finding: Finding) -> str:
    return str(data_of(finding).get("suite") or "")


def expectations(check: CheckResult, budget: int | None) -> Section:
    intro = [_quality_line(check)]
    suites = _suites(check)
    if len(suites) > 1:
        intro.append(_suites_table(suites))
    findings = sorted(check.findings, key=lambda f: (_by_suite(f), importance(f)))

    def header(suite: str) -> str | None:
        return _suite_header(suite, suites.get(suite, {})) if suite else None

    texts = grouped(findings, _expectation_item, _by_suite, header)
    return bounded_section(check, [i for i in intro if i], texts, "expectation result", budget)
