"""JUnit XML: one testsuite per check, one testcase per finding, read back with junitparser."""

from __future__ import annotations

from pathlib import Path

from junitparser import Error, Failure, JUnitXml, Skipped

from dataops_ci.render import render
from dataops_ci.report import CheckResult, Finding, Report
from tests.render import sample_reports as samples


def parse(text: str, tmp_path: Path) -> JUnitXml:
    path = tmp_path / "junit.xml"
    path.write_text(text, encoding="utf-8")
    return JUnitXml.fromfile(str(path))


def test_one_suite_per_check_one_case_per_finding(tmp_path: Path) -> None:
    report = samples.failing()
    xml = parse(render(report, "junit"), tmp_path)
    suites = {suite.name: suite for suite in xml}
    assert list(suites) == [c.name for c in report.checks]
    for check in report.checks:
        assert suites[check.name].tests == len(check.findings)
    assert suites["schema-compat"].failures == 2
    assert suites["schema-compat"].time == 0.184
    case = next(iter(suites["schema-compat"]))
    assert case.name == "field-added-without-default schemas/customer.avsc:14 Customer.email"
    assert case.classname == "dataops-ci.schema-compat"
    failure = case.result[0]
    assert isinstance(failure, Failure)
    assert failure.type == "field-added-without-default"
    assert "fix: add a default" in (failure.text or "")


def test_checks_without_findings_pass_or_skip_and_warnings_pass(tmp_path: Path) -> None:
    report = Report(
        "a",
        "b",
        (
            CheckResult("tests", "passed", "13 passed", 2.0),
            CheckResult("sql-lint", "skipped", "no SQL files"),
            CheckResult("pipelines", "passed", "", findings=(Finding("warning", "w", "watch out"),)),
            CheckResult(
                "expectations", "error", "", findings=(Finding("error", "cannot-read-data", "gone"),)
            ),
            CheckResult("custom", "failed", "failed without findings"),
        ),
    )
    suites = {suite.name: suite for suite in parse(render(report, "junit"), tmp_path)}
    assert [c.is_passed for c in suites["tests"]] == [True]
    assert isinstance(next(iter(suites["sql-lint"])).result[0], Skipped)
    warning = next(iter(suites["pipelines"]))
    assert warning.is_passed and "warning: watch out" in (warning.system_out or "")
    assert isinstance(next(iter(suites["expectations"])).result[0], Error)
    assert isinstance(next(iter(suites["custom"])).result[0], Failure)


def test_control_characters_do_not_break_the_xml(tmp_path: Path) -> None:
    finding = Finding("error", "test-failed", "bad \x00\x1b[31m output", "t.py", 1, "t.py::test")
    report = Report("a", "b", (CheckResult("tests", "failed", "", findings=(finding,)),))
    xml = parse(render(report, "junit"), tmp_path)
    case = next(iter(next(iter(xml))))
    assert case.result[0].message == "bad \ufffd\ufffd[31m output"


def test_hostile_report_is_well_formed(tmp_path: Path) -> None:
    xml = parse(render(samples.hostile(), "junit"), tmp_path)
    assert sum(suite.tests for suite in xml) == len(samples.hostile().findings())
