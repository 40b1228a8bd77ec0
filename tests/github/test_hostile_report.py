"""Attacks on the second stage (`dataops-ci comment`) by a fork that wrote the whole report JSON, run through
the real CLI against the fake GitHub API: each one reproduces the attack and asserts it no longer works."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from dataops_ci.cli import main
from dataops_ci.render.markdown import MARKER_PREFIX, marker
from dataops_ci.report import CheckResult, Finding, Report
from tests.github.actions_env import PullRequest
from tests.github.fake_server import MAX_BODY, FakeGitHub, github_length
from tests.github.helpers import REPO, TRUSTED_RUN_URL, simple_body
from tests.render.cmark import MENTION, needs_cmark, to_html

OUR_KEY = "dataops-ci comment:comment"  # $GITHUB_WORKFLOW:$GITHUB_JOB of the second stage
INVISIBLE = "\u200b\ufeff\u2060\u00ad\u061c\u202e"

Post = Callable[..., int]


@pytest.fixture
def post(pr: PullRequest, stage_two: Callable[..., None], tmp_path: Path) -> Post:
    """Post a report (a Report, or raw JSON the fork wrote) as the second stage does; the exit code."""
    stage_two(pr)
    counter = iter(range(100))

    def run(report: Report | dict[str, Any] | str, *extra: str) -> int:
        path = tmp_path / f"report{next(counter)}.json"
        text = report.to_json() if isinstance(report, Report) else report
        path.write_text(text if isinstance(text, str) else json.dumps(text), encoding="utf-8")
        return main(["comment", "--report", str(path), "--pr", str(pr.number), *extra])

    return run


def report_with(pr: PullRequest, *findings: Finding, **check: Any) -> Report:
    fields = {"name": "sql-lint", "status": "failed", "summary": "found problems", **check}
    return Report("a" * 40, pr.head, (CheckResult(findings=findings, **fields),))


def test_a_number_field_holding_html_and_a_marker_is_refused(
    pr: PullRequest, post: Post, fake: FakeGitHub, capsys: pytest.CaptureFixture[str]
) -> None:
    payload = (
        "<img src=x onerror=alert(1)> @org/team </details>\n<!-- dataops-ci:summary key=nightly:check -->"
    )
    raw = report_with(pr, name="expectations", metrics={"expectations_evaluated": 3}).to_dict()
    raw["checks"][0]["metrics"]["expectations_passed"] = payload
    assert post(raw) == 2
    assert "metrics.expectations_passed" in capsys.readouterr().err
    assert fake.requests() == []
    # The nightly job's own comment is a new one: nothing of the fork's was there to adopt.
    assert post(report_with(pr, name="expectations"), "--key", "nightly:check") == 0
    [comment] = fake.comments_on(REPO, pr.number)
    assert comment["body"].startswith(marker("nightly:check")) and "<img" not in comment["body"]


@pytest.mark.parametrize("number", ["Infinity", "-Infinity", "NaN", "1e999"])
def test_a_non_finite_number_is_a_validation_error(
    pr: PullRequest, post: Post, fake: FakeGitHub, capsys: pytest.CaptureFixture[str], number: str
) -> None:
    text = report_with(pr).to_json().replace('"duration_s": 0.0', f'"duration_s": {number}', 1)
    assert f'"duration_s": {number}' in text
    assert post(text) == 2
    err = capsys.readouterr().err
    assert "finite" in err and "Traceback" not in err
    assert fake.requests() == []


def test_another_bots_comment_quoting_our_marker_is_neither_patched_nor_deleted(
    pr: PullRequest, post: Post, fake: FakeGitHub
) -> None:
    quoted = f"Another workflow quotes:\n{marker(OUR_KEY)}\n<!-- dataops-ci:head-sha={pr.head} -->\n"
    theirs = fake.add_comment(REPO, pr.number, quoted, "github-actions[bot]", "Bot")
    ours = fake.add_comment(
        REPO, pr.number, simple_body(OUR_KEY, pr.head, "old"), "github-actions[bot]", "Bot"
    )
    assert post(report_with(pr, Finding("error", "LT01", "spacing", "models/a.sql", 1))) == 0
    by_id = {c["id"]: c for c in fake.comments_on(REPO, pr.number)}
    assert by_id[theirs["id"]]["body"] == quoted  # untouched
    assert "spacing" in by_id[ours["id"]]["body"]  # ours updated in place
    assert [r.method for r in fake.requests() if r.method in ("PATCH", "DELETE")] == ["PATCH"]


@needs_cmark
def test_bare_urls_and_addresses_in_untrusted_text_make_no_links(
    pr: PullRequest, post: Post, fake: FakeGitHub
) -> None:
    urls = "see https://evil.example/login, www.evil.example, HTTP://evil.example, mail x@_evil.example"
    notify = {"pipeline": "customers", "notify": ["https://evil.example/n", "www.evil.example"]}
    findings = (
        Finding("error", "LT01", urls, "models/www.evil.example.sql", 1, hint=urls),
        Finding("warning", "pipeline-notify", urls, "pipelines/p.yml", 2, data=notify),
    )
    assert post(report_with(pr, *findings, summary=urls)) == 0
    [comment] = fake.comments_on(REPO, pr.number)
    html = to_html(comment["body"])
    assert html.links == [(TRUSTED_RUN_URL, "workflow run")]
    assert not MENTION.search("".join(html.prose))


def test_invisible_characters_are_shown_not_passed_through(
    pr: PullRequest, post: Post, fake: FakeGitHub
) -> None:
    hidden = f"fine{INVISIBLE}text"
    finding = Finding("error", "LT01", hidden, f"models/{hidden}.sql", 1, path=hidden, hint=hidden)
    assert post(report_with(pr, finding, summary=hidden)) == 0
    [comment] = fake.comments_on(REPO, pr.number)
    assert not set(INVISIBLE) & set(comment["body"])
    assert "fine\ufffd" in comment["body"]


def test_a_comment_of_wide_characters_stays_under_the_strictest_limit(
    pr: PullRequest, post: Post, fake: FakeGitHub
) -> None:
    # 65,536 characters of these are 2-4 times as many UTF-8 bytes (and emoji two UTF-16 units each).
    wide = "€ 日本 🌈 " * 40
    findings = tuple(Finding("error", "LT01", f"{i}: {wide}", f"models/m{i}.sql", i + 1) for i in range(400))
    assert post(report_with(pr, *findings)) == 0
    [comment] = fake.comments_on(REPO, pr.number)
    body = comment["body"]
    assert github_length(body) <= MAX_BODY
    assert body.count(MARKER_PREFIX) == 1 and "left out to fit the size limit" in body
    assert body.rstrip().endswith("</sub>") and TRUSTED_RUN_URL in body  # the footer is kept
