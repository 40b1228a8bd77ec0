"""The PR comment: golden files for whole reports, plus the properties the golden files only show."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from dataops_ci.render import RENDERERS, render
from dataops_ci.render.markdown import (
    COMMENT_MAX_CHARS,
    marker,
    parse_head_sha,
    render_step_summary,
)
from dataops_ci.render.markdown import render as render_markdown
from dataops_ci.report import CheckResult, Finding, Report
from tests.render import sample_reports as samples
from tests.render.golden import assert_golden

MENTION = re.compile(r"(?<![\w`])@[A-Za-z0-9]")
FENCED_BLOCK = re.compile(r"^(`{3,})[^\n]*\n.*?\n\1$", re.MULTILINE | re.DOTALL)
CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`).*?(?<!`)\1(?!`)")


def outside_code(markdown: str) -> str:
    """The Markdown without code blocks and code spans, where GitHub links nothing."""
    return CODE_SPAN.sub("", FENCED_BLOCK.sub("", markdown.replace("\\`", "")))


def comment(report: Report, **options: object) -> str:
    return render_markdown(
        replace(report, teams=samples.TEAMS), marker_key="data-ci:checks", run_url=samples.RUN_URL, **options
    )  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "name", ["failing", "passing", "many_findings", "hostile"], ids=lambda n: n.replace("_", "-")
)
def test_comment_matches_golden_file(name: str) -> None:
    report = getattr(samples, name)()
    assert_golden(f"{name}.md", comment(report))


def test_first_visible_line_is_the_verdict_with_quality_delta() -> None:
    lines = comment(samples.failing()).splitlines()
    assert lines[0] == marker("data-ci:checks")
    assert lines[2] == (
        "### ❌ 2 breaking schema changes, 1 approved · quality 96.0% (\u22122.0 points from 98.0%)"
        " · 2 failed expectations · 2 SQL violations · 1 test failing"
    )


def test_passing_report_says_so_with_unchanged_quality() -> None:
    text = comment(samples.passing())
    assert "### ✅ all checks passed · quality 100.0% (no change)" in text
    assert "<details>" not in text


def test_table_has_one_row_per_check_with_status_and_time() -> None:
    report = samples.failing()
    lines = comment(report).splitlines()
    start = lines.index("| Status | Check | Result | Time |")
    rows = lines[start : lines.index("", start)]
    assert len(rows) == 2 + len(report.checks)  # header, alignment, one row per check
    # Status and time cells keep together (no-break spaces) beside the long result column.
    expected = "| ❌\u00a0failed | `schema-compat` | 2 breaking changes in 2 of 3 schemas | 0.18\u00a0s |"
    assert rows[2] == expected
    assert rows[-1].endswith("| 12.5\u00a0s |")


def test_details_explain_breaking_change_expectation_sql_and_test() -> None:
    text = comment(samples.failing())
    assert "**`schemas/customer.avsc`** (mode `BACKWARD`, incompatible)" in text
    assert "`Customer.email` `line 14` **field-added-without-default** (breaks **readers**)" in text
    assert "`Order.fax` `line 9` **field-removed** (breaks **writers**)" in text
    assert "☑️ approved by `octocat`" in text
    assert 'observed `{"min": -3, "max": 212}`, expected `{"min_value": 0, "max_value": 130}`' in text
    assert "| ❌ `expectations/customers.json` | `data/customers.csv` | 18 of 20 | 90.0% | 95.0% |" in text
    assert "7 unexpected values (3.5%), e.g. `-3`, `-1`, `140`, `150`, `170` and 2 more" in text
    assert "`tests/test_customer_transform.py::test_segments`: test\\_segments failed: AssertionError" in text
    assert "E       AssertionError: assert 2 == 3\n" in text
    # SQL on changed lines comes first within its file, whatever the line numbers.
    assert text.index("AM04") < text.index("LT01")


def test_who_should_look_mentions_only_handles_from_teams() -> None:
    text = comment(samples.failing())
    who = next(line for line in text.splitlines() if line.startswith("**Who should look:**"))
    assert "@acme/marketing (owner of `customer_pipeline`; notify of `customer_pipeline`)" in who
    assert "@acme/data-platform (reviewer of `customer_pipeline`)" in who
    assert "@alice-gh (notify of `customer_pipeline`)" in who
    assert "bob (reviewer of `customer_pipeline`; no handle in `teams:`)" in who
    assert MENTION.findall(who) == ["@a", "@a", "@a"]


def test_without_teams_nobody_is_mentioned() -> None:
    text = render_markdown(samples.failing())
    assert not MENTION.search(text)
    assert "marketing\\_team (owner of" in text


def test_hostile_strings_are_inert() -> None:
    text = comment(samples.hostile())
    assert text.count("<!-- dataops-ci:summary") == 1
    assert text.count("<!-- dataops-ci:head-sha=") == 1
    assert parse_head_sha(text) == samples.HEAD
    assert "javascript:" not in text
    # The one mention is the config's: `notify: [marketing_team]` mapped through `teams:`.
    prose = outside_code(text)
    assert [prose[m.start() : m.start() + 15] for m in MENTION.finditer(prose)] == ["@acme/marketing"]
    assert not re.search(r"(?<![&\w])#\d", prose)
    assert "\u202e" not in text
    assert "@everyone" not in prose


def test_three_hundred_findings_stay_under_the_limit_and_say_what_was_left_out() -> None:
    text = comment(samples.many_findings(300))
    assert len(text) <= COMMENT_MAX_CHARS
    assert "| ❌\u00a0failed | `sql-lint` |" in text
    assert "Some details were left out to stay under the size limit" in text
    left_out = re.search(
        r"_… (\d+) more SQL findings left out to fit the size limit: see the job summary", text
    )
    assert left_out is not None
    shown = text.count("**sqlfluff-lt05**")
    assert shown + int(left_out.group(1)) == 300
    assert "Order.fax" in text  # the short schema section was not trimmed: the longest goes first


@pytest.mark.parametrize("max_chars", [400, 2_000, 10_000, 30_000])
def test_never_longer_than_max_chars(max_chars: int) -> None:
    text = comment(samples.many_findings(300), max_chars=max_chars)
    assert len(text) <= max_chars
    assert text.startswith(marker("data-ci:checks"))


def test_step_summary_fits_one_mebibyte_of_utf8() -> None:
    report = samples.many_findings(5_000)
    text = render_step_summary(report, run_url=samples.RUN_URL)
    assert len(text.encode()) <= 1_048_576
    assert len(text) > COMMENT_MAX_CHARS
    assert "<!-- dataops-ci" not in text
    assert (
        f"left out to fit the size limit: see the report artifact of [the workflow run]({samples.RUN_URL})"
        in text
    )


def test_small_report_is_not_trimmed() -> None:
    text = comment(samples.failing())
    assert "left out" not in text


def test_marker_key_cannot_end_the_comment() -> None:
    assert marker("wf:job --> <b>") == "<!-- dataops-ci:summary key=wf:job -__ _b_ -->"


def test_parse_head_sha_reads_only_its_own_line() -> None:
    body = comment(samples.failing())
    assert parse_head_sha(body) == samples.HEAD
    assert parse_head_sha("text <!-- dataops-ci:head-sha=abcdef1 --> inline") is None
    assert parse_head_sha("no marker") is None


def test_footer_names_head_run_and_version() -> None:
    footer = comment(samples.failing()).rstrip().splitlines()[-1]
    assert footer == (
        f"<sub>Results for {samples.HEAD} against base {samples.BASE} · [workflow run]({samples.RUN_URL}) · "
        "dataops-ci 0.0.0-test · 7.2 s</sub>"
    )


def test_untrusted_head_revision_is_not_a_link_or_marker() -> None:
    report = Report(base="main", head="--> <b>@x", checks=(), tool_version="1")
    text = render_markdown(report, marker_key="k")
    assert "<!-- dataops-ci:head-sha=unknown -->" in text
    assert "Results for `--> <b>@x`" in text


def test_run_url_from_context_is_used_when_it_is_a_plain_https_url() -> None:
    report = Report(base="a" * 40, head="b" * 40, checks=(), context={"run_url": samples.RUN_URL})
    assert f"[workflow run]({samples.RUN_URL})" in render_markdown(report)


def test_missing_keys_render_without_error() -> None:
    bare = Finding("error", "expectation-failed", "failed", data={"expectation": "expect_x"})
    odd = Finding("error", "something", "odd data", data={"breaks": 3, "unexpected_values": "x"})
    checks = (
        CheckResult("expectations", "failed", "", findings=(bare,)),
        CheckResult("schema-compat", "failed", "", data={"files": "not a list"}, findings=(odd,)),
        CheckResult(
            "custom-check", "error", "could not run", findings=(Finding("error", "cannot-run", "x"),)
        ),
    )
    text = render_markdown(Report(base="", head="WORKTREE", checks=checks))
    assert "**`expect_x`**" in text
    assert "1 check could not run" in text
    assert "Results for the working tree" in text


def test_registered_as_markdown_format() -> None:
    assert RENDERERS["markdown"] == "dataops_ci.render.markdown"
    assert render(samples.passing(), "markdown").startswith("### ✅")


def test_described_head_comes_from_option_then_context_then_report() -> None:
    pr_head = "c" * 40
    report = Report(base="a" * 40, head="WORKTREE", checks=(), context={"head_sha": pr_head})
    text = render_markdown(report, marker_key="k")
    assert parse_head_sha(text) == pr_head
    assert f"Results for {pr_head} against base" in text
    assert parse_head_sha(render_markdown(report, marker_key="k", head_sha="d" * 40)) == "d" * 40
    spoofed = Report(base="a", head="b" * 40, checks=(), context={"head_sha": "--> not a sha"})
    assert parse_head_sha(render_markdown(spoofed, marker_key="k")) == "b" * 40


def test_approval_without_known_approver_names_the_label() -> None:
    data = {"breaks": "readers", "approved_by": None, "approved_label": "data-breaking-change-approved"}
    finding = Finding("notice", "field-removed", "removed", "s.avsc", 2, "S.f", data=data)
    report = Report("a", "b", (CheckResult("schema-compat", "passed", "approved", findings=(finding,)),))
    text = render_markdown(report)
    assert "(breaks **readers**)" in text
    assert "☑️ approved with label `data-breaking-change-approved`" in text
    assert text.splitlines()[0] == "### ✅ 1 approved breaking schema change"
