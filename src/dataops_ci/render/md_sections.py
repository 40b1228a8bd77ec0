"""The collapsible detail section of each check in the PR comment.

Each builder turns one CheckResult into a trim.Section whose items are ordered most important first (the
trimmer drops from the end). Every key of metrics/data/Finding.data is optional: a check that has not
landed yet, an older report, or a hand-written one must still render.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from dataops_ci.render.escape import code, code_block, html_text, md_text
from dataops_ci.render.md_common import (
    STATUS_ICONS,
    VALUE_MAX,
    approval,
    could_not_check,
    data_of,
    finding_item,
    hint_text,
    importance,
    is_approved,
    location,
    plural,
    value,
    values_list,
)
from dataops_ci.render.trim import Item, Section
from dataops_ci.report import CheckResult, Finding

BREAKS = ("readers", "writers")
BREAKS_LEGEND = (
    "_Readers_ break when consumers on the new schema cannot read data written with the old one (backward); "
    "_writers_ break when data written with the new schema cannot be read by consumers still on the old one "
    "(forward)."
)
TEST_OUTPUT_MAX = 1500
MAX_SUITE_ROWS = 30


def opening(check: CheckResult) -> str:
    icon = STATUS_ICONS.get(check.status, "•")
    summary = f": {html_text(check.summary, 200)}" if check.summary else ""
    return f"<details>\n<summary>{icon} <b>{html_text(check.name, 60)}</b>{summary}</summary>"


def _grouped_by_file(findings: Iterable[Finding], header: Callable[[str], str]) -> list[Item]:
    """Items grouped under a per-file header line; the header rides on the first item of its group."""
    items: list[Item] = []
    current: str | None = None
    for finding in findings:
        text = finding_item(finding, with_file=False)
        file = finding.file or ""
        if file != current:
            current = file
            text = f"{header(file)}\n\n{text}"
        items.append(Item(text))
    return items


def _file_header(file: str) -> str:
    return f"**{code(file)}**" if file else "**Not about one file**"


def generic(check: CheckResult) -> Section:
    findings = sorted(check.findings, key=importance)
    return Section(opening(check), _grouped_by_file(findings, _file_header))


def _schema_files(check: CheckResult) -> dict[str, Mapping[str, Any]]:
    files = check.data.get("files") if isinstance(check.data, Mapping) else None
    entries = [e for e in files if isinstance(e, Mapping)] if isinstance(files, list) else []
    return {str(e.get("file") or e.get("old_file") or ""): e for e in entries}


def _schema_item(finding: Finding) -> str:
    data = data_of(finding)
    parts = ["-", "❌" if finding.severity == "error" else "⚠️" if finding.severity == "warning" else "ℹ️"]
    if finding.path:
        parts.append(code(finding.path, VALUE_MAX))
    if finding.line:
        parts.append(location(finding, with_file=False))
    parts.append(f"**{md_text(finding.rule, 80)}**")
    breaks = data.get("breaks")
    if breaks in BREAKS:
        # Below error (and not approved) the file's mode allows it: say what it would break, not that it does.
        does = finding.severity == "error" or is_approved(finding)
        parts.append(f"(breaks **{breaks}**)" if does else f"(would break **{breaks}**; the mode allows it)")
    return " ".join(parts) + f": {md_text(finding.message, 500)}" + approval(finding) + hint_text(finding)


def schema_compat(check: CheckResult) -> Section:
    files = _schema_files(check)
    findings = sorted(check.findings, key=importance)

    def header(file: str) -> str:
        entry = files.get(file, {})
        if not file:
            return "**Not about one schema**"
        extras = [f"mode {code(entry['mode'], 40)}"] if entry.get("mode") else []
        if entry.get("status"):
            extras.append(md_text(entry["status"], 40))
        if entry.get("old_file") and entry.get("old_file") != file:
            extras.append(f"renamed from {code(entry['old_file'])}")
        return f"**{code(file)}**" + (f" ({', '.join(extras)})" if extras else "")

    items: list[Item] = []
    if any(data_of(f).get("breaks") for f in findings):
        items.append(Item(BREAKS_LEGEND, findings=0))
    current: str | None = None
    for finding in findings:
        text = _schema_item(finding)
        if (finding.file or "") != current:
            current = finding.file or ""
            text = f"{header(current)}\n\n{text}"
        items.append(Item(text))
    return Section(opening(check), items, noun="schema finding")


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
    line = f"{passed} of {plural(evaluated, 'expectation')} passed"
    minimum = metrics.get("min_quality_score", _data(check).get("min_quality_score"))
    if isinstance(minimum, int | float):
        line += f" (minimum quality score {minimum:.2f})"
    return line + "."


def _data(check: CheckResult) -> Mapping[str, Any]:
    return check.data if isinstance(check.data, Mapping) else {}


def _suites(check: CheckResult) -> dict[str, Mapping[str, Any]]:
    suites = _data(check).get("suites")
    entries = [e for e in suites if isinstance(e, Mapping)] if isinstance(suites, list) else []
    return {str(e.get("suite") or ""): e for e in entries}


def _score(entry: Mapping[str, Any], key: str) -> str:
    score = entry.get(key)
    return f"{score:.2f}" if isinstance(score, int | float) else "–"


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


def expectations(check: CheckResult) -> Section:
    items: list[Item] = []
    quality = _quality_line(check)
    if quality:
        items.append(Item(quality, findings=0))
    suites = _suites(check)
    if len(suites) > 1:
        items.append(Item(_suites_table(suites), findings=0))
    current: str | None = None
    for finding in sorted(check.findings, key=lambda f: (str(data_of(f).get("suite") or ""), importance(f))):
        text = _expectation_item(finding)
        suite = str(data_of(finding).get("suite") or "")
        if suite != current:
            current = suite
            text = f"{_suite_header(suite, suites.get(suite, {}))}\n\n{text}" if suite else text
        items.append(Item(text))
    return Section(opening(check), items, noun="expectation result")


def _on_changed_line(finding: Finding) -> bool:
    data = data_of(finding)
    return bool(data.get("changed_line", data.get("on_changed_line", data.get("changed", True))))


def sql_lint(check: CheckResult) -> Section:
    def key(f: Finding) -> tuple[Any, ...]:
        return (f.file or "", not _on_changed_line(f), importance(f))

    def header(file: str) -> str:
        return _file_header(file)

    items = _grouped_by_file(sorted(check.findings, key=key), header)
    return Section(opening(check), items, noun="SQL finding")


def _output_block(output: Any) -> str:
    """The tail of a traceback or captured output (the end is where the failure is), fenced."""
    text = str(output)
    tail = text[-TEST_OUTPUT_MAX:]
    return "\n\n" + code_block(tail if len(text) <= TEST_OUTPUT_MAX else "…" + tail, None)


def _test_item(finding: Finding) -> str:
    data = data_of(finding)
    name = data.get("test") or data.get("nodeid") or finding.path
    output = data.get("details") or data.get("traceback") or data.get("output")
    if not name or could_not_check(finding):
        return finding_item(finding) + (_output_block(output) if output else "")
    first, _, rest = str(finding.message or "").partition("\n")
    text = f"- ❌ {code(name, 200)}: {md_text(first, 300)}"
    where = location(finding)
    text += (f" ({where})" if where else "") + approval(finding) + hint_text(finding)
    output = output or rest
    return text + (_output_block(output) if output else "")


def _test_counts(check: CheckResult) -> str:
    metrics = check.metrics if isinstance(check.metrics, Mapping) else {}
    keys = ("passed", "failed", "errored", "errors", "skipped")
    counts = [f"{metrics[k]} {k}" for k in keys if isinstance(metrics.get(k), int)]
    return ", ".join(counts) + "." if counts else ""


def tests(check: CheckResult) -> Section:
    items: list[Item] = []
    counts = _test_counts(check)
    if counts:
        items.append(Item(counts, findings=0))
    items += [Item(_test_item(f)) for f in sorted(check.findings, key=importance)]
    return Section(opening(check), items, noun="test result")


def section_for(check: CheckResult, context: Mapping[str, Any]) -> Section | None:
    """The detail section of one check, or None when there is nothing to show."""
    if check.status == "skipped" or not check.findings:
        return None
    if check.name == "schema-compat":
        return schema_compat(check)
    if check.name == "expectations":
        return expectations(check)
    if check.name == "sql-lint":
        return sql_lint(check)
    if check.name == "tests":
        return tests(check)
    return generic(check)
