"""The collapsible detail section of each check in the PR comment.

Each builder turns one CheckResult into a trim.Section whose items are ordered most important first (the
trimmer drops from the end). Every key of metrics/data/Finding.data is optional: a check that has not
landed yet, an older report, or a hand-written one must still render.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from dataops_ci.render.escape import code, code_block, md_text
from dataops_ci.render.md_common import (
    VALUE_MAX,
    approval,
    bounded_section,
    by_file,
    could_not_check,
    data_of,
    finding_item,
    grouped,
    hint_text,
    importance,
    is_approved,
    location,
)
from dataops_ci.render.md_expectations import expectations
from dataops_ci.render.md_lineage import blast_radius
from dataops_ci.render.trim import Section
from dataops_ci.report import CheckResult, Finding

BREAKS = ("readers", "writers")
BREAKS_LEGEND = (
    "_Readers_ break when consumers on the new schema cannot read data written with the old one (backward); "
    "_writers_ break when data written with the new schema cannot be read by consumers still on the old one "
    "(forward)."
)
TEST_OUTPUT_MAX = 1500


def _file_header(file: str) -> str:
    return f"**{code(file)}**" if file else "**Not about one file**"


def _by_file(finding: Finding) -> str:
    return finding.file or ""


def _file_item(finding: Finding) -> str:
    return finding_item(finding, with_file=False)


def generic(check: CheckResult, budget: int | None) -> Section:
    findings = by_file(check.findings)
    return bounded_section(
        check, [], grouped(findings, _file_item, _by_file, _file_header), "finding", budget
    )


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


def schema_compat(check: CheckResult, budget: int | None) -> Section:
    files = _schema_files(check)
    findings = by_file(check.findings)

    def header(file: str) -> str:
        entry = files.get(file, {})
        if not file:
            return "**Not about one schema**"
        extras = [f"mode {code(entry['mode'], 40)}"] if entry.get("mode") else []
        if entry.get("status"):
            extras.append(md_text(entry["status"], 40))
        if entry.get("old_file") and entry.get("old_file") != file:
            extras.append(f"renamed from {code(entry['old_file'])}")
        via = entry.get("via")
        if isinstance(via, list) and via:  # unchanged itself: judged for the types it uses from these
            extras.append("its file unchanged: uses types of " + ", ".join(code(str(v)) for v in via[:3]))
        return f"**{code(file)}**" + (f" ({', '.join(extras)})" if extras else "")

    intro = [BREAKS_LEGEND] if any(data_of(f).get("breaks") for f in findings) else []
    texts = grouped(findings, _schema_item, _by_file, header)
    return bounded_section(check, intro, texts, "schema finding", budget)


def _on_changed_line(finding: Finding) -> bool:
    data = data_of(finding)
    return bool(data.get("changed_line", data.get("on_changed_line", data.get("changed", True))))


def sql_lint(check: CheckResult, budget: int | None) -> Section:
    findings = sorted(check.findings, key=lambda f: (f.file or "", not _on_changed_line(f), importance(f)))
    return bounded_section(
        check, [], grouped(findings, _file_item, _by_file, _file_header), "SQL finding", budget
    )


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


def tests(check: CheckResult, budget: int | None) -> Section:
    intro = [_test_counts(check)]
    texts = (_test_item(f) for f in sorted(check.findings, key=importance))
    return bounded_section(check, [i for i in intro if i], texts, "test result", budget)


BUILDERS: dict[str, Callable[[CheckResult, int | None], Section]] = {
    "schema-compat": schema_compat,
    "expectations": expectations,
    "sql-lint": sql_lint,
    "tests": tests,
    "blast-radius": blast_radius,
}


def section_for(check: CheckResult, budget: int | None = None) -> Section | None:
    """The detail section of one check, or None when there is nothing to show. Findings past `budget`
    characters of items are counted as left out without being rendered."""
    if not check.findings:
        return None
    if check.status == "skipped":  # notices only (what no check covers): no check-specific detail
        return generic(check, budget)
    return BUILDERS.get(check.name, generic)(check, budget)
