"""The PR comment's quality trend: built from a real history branch through the real CLI, rendered as a
Mermaid xychart plus one text line, with untrusted names escaped."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dataops_ci import cli
from dataops_ci.commands.demo import build_repo
from dataops_ci.render.markdown import render
from dataops_ci.render.trend import trend_block
from dataops_ci.report import Report
from tests.publish.conftest import DEMO
from tests.publish.test_history import git, report_json
from tests.render.cmark import CMARK, needs_cmark, to_html


def _report(score: float | None, trend: dict[str, object]) -> Report:
    return Report(
        base="main", head="f" * 40, checks=(), quality_score=score, context={"quality_trend": trend}
    )


def test_chart_and_text_line_show_every_run_and_the_pr() -> None:
    trend = {"branch": "main", "threshold": 0.95, "runs": [{"commit": "a" * 40, "score": 0.97},
             {"commit": "b" * 40, "score": 0.9612}, {"commit": "c" * 40, "score": 1.0}]}  # fmt: skip
    block = trend_block(_report(0.9, trend))
    assert block is not None
    chart = re.search(r"```mermaid\n(.*?)\n```", block, re.DOTALL)
    assert chart is not None
    lines = chart.group(1).splitlines()
    assert lines[0].startswith("%%{init: ") and lines[1] == "xychart-beta"
    assert '    x-axis ["aaaaaaa", "bbbbbbb", "ccccccc", "this PR"]' in lines
    assert "    line [97.0, 96.1, 100.0, 90.0]" in lines  # the history, then where the PR puts it
    assert "    line [95.0, 95.0, 95.0, 95.0]" in lines  # the threshold
    assert '    y-axis "quality score (%)" 85 --> 100' in lines
    text = block.splitlines()[-1]
    assert text == (
        "Quality score on `main` over the last 3 runs: 97.0% → 96.1% → 100.0%; this PR: 90.0% "
        "(-10.0 points against the latest run); threshold 95.0%."
    )


def test_no_history_no_block() -> None:
    assert trend_block(_report(0.9, {"branch": "main", "runs": []})) is None
    assert trend_block(Report(base="main", head="HEAD", checks=())) is None


HOSTILE = 'x"]\n```\n</details><img src=x onerror=alert(1)> @octocat #1 -->'


def test_hostile_branch_name_cannot_leave_the_chart_or_the_code_span() -> None:
    trend = {
        "branch": HOSTILE,
        "runs": [{"commit": "<b>not a sha</b>", "score": 0.5}, {"commit": "d" * 40, "score": 0.6}],
    }
    block = trend_block(_report(0.7, trend))
    assert block is not None
    chart = block.split("```mermaid\n", 1)[1].split("\n```", 1)[0]
    title = chart.splitlines()[2]
    assert re.fullmatch(r'    title "[A-Za-z0-9 _.,:/+()%-]+"', title), title
    assert '"unknown"' in chart  # a commit that is not a SHA is not shown
    assert "`" not in chart and "\n" not in title


@needs_cmark
def test_hostile_trend_renders_no_html_in_github_markdown() -> None:
    assert CMARK
    trend = {
        "branch": HOSTILE,
        "runs": [{"commit": "d" * 40, "score": 0.6}, {"commit": "e" * 40, "score": 0.8}],
    }
    html = to_html(render(_report(0.7, trend)))
    assert not [t for t, _ in html.tags if t in ("img", "script")]
    assert not html.unbalanced
    assert ("code", {"class": "language-mermaid"}) in html.tags
    assert not any("@octocat" in p for p in html.prose)  # the mention is broken (zero-width joiner)


def test_pr_run_shows_the_base_branch_trend_from_the_history_branch(tmp_path: Path) -> None:
    repo = build_repo(DEMO, tmp_path / "data-project")
    for i, score in enumerate((0.96, 1.0, 0.92)):
        report = str(report_json(tmp_path, score))
        commit = f"{i + 1:040x}"
        code = cli.main(["history", "-C", str(repo), "record", "--report", report, "--commit", commit,
                         "--ref", "main", "--no-push"])  # fmt: skip
        assert code == 0
    out = tmp_path / "report.json"
    argv = ["run", "-C", str(repo), "--base", "main", "--head", "pr", "--format", "markdown"]
    cli.main([*argv, "--report-json", str(out), "--checks", "schema-compat,expectations"])
    report = Report.from_json(out.read_text(encoding="utf-8"))
    trend = report.context["quality_trend"]
    assert [r["score"] for r in trend["runs"]] == [0.96, 1.0, 0.92] and trend["branch"] == "main"
    comment = render(report)
    assert comment.count("xychart-beta") == 1
    assert report.quality_score is not None
    assert f"this PR: {report.quality_score * 100:.1f}%" in comment
    # The history branch is read, never checked out: the PR branch is still what HEAD is.
    assert git(repo, "symbolic-ref", "--short", "HEAD").strip() == "pr"


@pytest.mark.parametrize("base", ["HEAD", "0" * 40])
def test_a_base_that_names_no_branch_shows_all_runs(base: str) -> None:
    from dataops_ci.publish.trend import base_branch, trend_context

    assert base_branch(base, env={}) is None
    assert base_branch("main", env={}) == "main" and base_branch(base, {"GITHUB_BASE_REF": "dev"}) == "dev"
    records = [{"commit": "a" * 40, "ref": "main", "quality_score": 0.9},
               {"commit": "b" * 40, "ref": "dev", "quality_score": 0.8}]  # fmt: skip
    assert len(trend_context(records, None, 10)["runs"]) == 2  # type: ignore[index]
    assert len(trend_context(records, "main", 10)["runs"]) == 1  # type: ignore[index]
