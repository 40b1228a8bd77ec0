"""JUnit XML for test reporters (`--format junit`, `--junit PATH`), written with junitparser.

One <testsuite> per check, one <testcase> per finding (named by rule, file and place); a check without
findings gets a single passing testcase, a skipped check a skipped one. Errors are <failure>s, except
could-not-check findings which are <error>s; warnings and notices pass and carry their text in
<system-out>, since JUnit has no severity below failure.
"""

from __future__ import annotations

from typing import Any

from junitparser import Error, Failure, JUnitXml, Skipped, TestCase, TestSuite

from dataops_ci.render.escape import xml_text
from dataops_ci.report import COULD_NOT_CHECK_PREFIX, CheckResult, Finding, Report


def _case_name(finding: Finding) -> str:
    where = finding.file or ""
    if where and finding.line:
        where += f":{finding.line}"
    parts = [finding.rule] + [p for p in (where, finding.path) if p]
    return xml_text(" ".join(parts))


def _details(finding: Finding) -> str:
    lines = [f"{finding.severity}: {finding.message}"]
    if finding.file:
        lines.append(f"file: {finding.file}" + (f":{finding.line}" if finding.line else ""))
    if finding.path:
        lines.append(f"path: {finding.path}")
    if finding.hint:
        lines.append(f"fix: {finding.hint}")
    return xml_text("\n".join(lines))


def _finding_case(check: CheckResult, finding: Finding) -> TestCase:
    case = TestCase(_case_name(finding), classname=xml_text(f"dataops-ci.{check.name}"), time=0.0)
    message = xml_text(finding.message)
    if finding.severity == "error":
        error = finding.rule.startswith(COULD_NOT_CHECK_PREFIX)
        result = (Error if error else Failure)(message, type_=xml_text(finding.rule))
        result.text = _details(finding)
        case.result = [result]
    else:
        case.system_out = _details(finding)
    return case


def _check_case(check: CheckResult) -> TestCase:
    classname = xml_text(f"dataops-ci.{check.name}")
    case = TestCase(xml_text(check.name), classname=classname, time=check.duration_s)
    if check.status == "skipped":
        case.result = [Skipped(xml_text(check.summary or "skipped"))]
    elif check.status in ("failed", "error"):
        # A failing check with no findings still fails in the test reporter.
        kind = Error if check.status == "error" else Failure
        case.result = [kind(xml_text(check.summary or check.status), type_=check.status)]
    case.system_out = xml_text(check.summary)
    return case


def suite(check: CheckResult) -> TestSuite:
    result = TestSuite(xml_text(check.name))
    cases = [_finding_case(check, f) for f in check.findings] or [_check_case(check)]
    for case in cases:
        # add_testcase() recounts the whole suite on every call (quadratic); count once at the end.
        result.append(case)  # type: ignore[no-untyped-call]
    result.update_statistics()  # type: ignore[no-untyped-call]
    return result


def build(report: Report) -> JUnitXml:
    xml = JUnitXml("dataops-ci")
    suites = [suite(check) for check in report.checks]
    for one in suites:
        xml.add_testsuite(one)
    xml.update_statistics()  # type: ignore[no-untyped-call]
    # update_statistics() sums testcase times; a check's time belongs to its suite, not to its findings.
    for one, check in zip(suites, report.checks, strict=True):
        one.time = round(check.duration_s, 3)
    xml.time = round(report.duration_s, 3)
    return xml


def render(report: Report, **_: Any) -> str:
    raw = build(report).tostring()  # type: ignore[no-untyped-call]
    text = raw.decode("utf-8") if isinstance(raw, bytes) else str(raw)
    if not text.startswith("<?xml"):
        text = '<?xml version="1.0" encoding="utf-8"?>\n' + text
    return text if text.endswith("\n") else text + "\n"
