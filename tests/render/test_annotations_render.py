"""GitHub workflow-command annotations: escaping, order, and the 10-per-severity cap."""

from __future__ import annotations

import re

from dataops_ci.render import render
from dataops_ci.render.annotations import render as render_annotations
from dataops_ci.render.escape import workflow_data, workflow_property
from dataops_ci.report import CheckResult, Finding, Report
from tests.render import sample_reports as samples
from tests.render.golden import assert_golden

COMMAND = re.compile(r"^::(error|warning|notice)( [a-z]+=[^,:]*(,[a-z]+=[^,:]*)*)?::[^\r\n]*$")


def test_failing_report_matches_golden_file() -> None:
    assert_golden("failing.annotations.txt", render_annotations(samples.failing()))


def test_escaping_follows_the_runner_rules() -> None:
    assert workflow_data("50% done\r\nnext::x") == "50%25 done%0D%0Anext::x"
    assert workflow_property("a,b:c%\n") == "a%2Cb%3Ac%25%0A"


def test_every_line_is_one_well_formed_command_even_for_hostile_text() -> None:
    lines = render_annotations(samples.hostile()).splitlines()
    assert lines
    assert all(COMMAND.match(line) for line in lines), lines
    assert not any(line.startswith("::add-mask") or line.startswith("::stop-commands") for line in lines)


def test_hostile_newline_cannot_start_a_second_command() -> None:
    finding = Finding("error", "r", "x\n::add-mask::secret\n::error::fake", "a,b:c.sql", 1)
    lines = render_annotations(
        Report("a", "b", (CheckResult("sql-lint", "failed", "", findings=(finding,)),))
    )
    assert (
        lines
        == "::error file=a%2Cb%3Ac.sql,line=1,title=sql-lint%3A r::x%0A::add-mask::secret%0A::error::fake\n"
    )


def _report_with(count: int) -> Report:
    sql = tuple(Finding("error", "sqlfluff-lt01", f"sql {i}", "m.sql", i + 1) for i in range(count))
    notes = tuple(Finding("notice", "note", f"note {i}") for i in range(count))
    warnings = tuple(Finding("warning", "warn", f"warn {i}", "w.sql", i + 1) for i in range(count))
    schema = (Finding("error", "field-removed", "breaking", "s.avsc", 3, "S.f"),)
    checks = (
        CheckResult("sql-lint", "failed", "", findings=sql + warnings),
        CheckResult("pipelines", "passed", "", findings=notes),
        CheckResult("schema-compat", "failed", "", findings=schema),
    )
    return Report("a", "b", checks)


def test_at_most_ten_per_severity_most_important_first() -> None:
    lines = render_annotations(_report_with(25)).splitlines()
    by_kind = {
        kind: [line for line in lines if line.startswith(f"::{kind} ")]
        for kind in ("error", "warning", "notice")
    }
    assert {kind: len(found) for kind, found in by_kind.items()} == {"error": 10, "warning": 10, "notice": 10}
    # The breaking schema change comes first although its check ran last.
    assert by_kind["error"][0].startswith(
        "::error file=s.avsc,line=3,title=schema-compat%3A field-removed S.f::"
    )
    assert by_kind["error"][1].endswith("::sql 0")


def test_cap_is_an_option_and_format_is_registered() -> None:
    assert len(render(_report_with(5), "annotations", max_per_severity=2).splitlines()) == 6
