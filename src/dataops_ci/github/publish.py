"""`dataops-ci run --github`: what a run publishes inside GitHub Actions.

In order: the approval label is applied (breaking schema findings become notices saying who approved), the
most important findings become workflow-command annotations (stdout), the Markdown summary goes to
`$GITHUB_STEP_SUMMARY`, the sticky PR comment is posted when asked (`--comment` or
`DATAOPS_CI_COMMENT=true`, pull request events only), and the step outputs are written to `$GITHUB_OUTPUT`.
Nothing here changes the exit code: a comment GitHub refuses (fork token, rate limit, outage) is a warning.
"""

from __future__ import annotations

import argparse
import os
import sys
import uuid
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

from dataops_ci.config import Config
from dataops_ci.git import GitError, GitRepo
from dataops_ci.github import approval
from dataops_ci.github.client import INTEGRATION_FORBIDDEN, GitHubClient, GitHubError
from dataops_ci.github.env import GitHubEnv
from dataops_ci.github.sticky import HeadOrder, StickyComment, resolve_author
from dataops_ci.render import markdown
from dataops_ci.render import render as render_format
from dataops_ci.report import WORKTREE, Report

STEP_SUMMARY_MAX_BYTES = markdown.STEP_SUMMARY_MAX_BYTES
TWO_STAGE_HELP = (
    "GitHub gives pull requests from forks a read-only GITHUB_TOKEN, so the comment cannot be posted from "
    "this job. The job summary and the report JSON were written. To comment on fork PRs, upload the report "
    "as an artifact (--report-json report.json) and post it from a workflow triggered by `workflow_run` with "
    "`permissions: pull-requests: write`: `dataops-ci comment --report report.json --pr <number>` "
    "(see docs/github.md, 'Pull requests from forks')."
)


def warn(message: str) -> None:
    """A warning in the log and, as a workflow command, on the run's summary page."""
    print(f"dataops-ci: warning: {message}", file=sys.stderr)
    escaped = message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    print(f"::warning title=dataops-ci::{escaped}", flush=True)


def comment_key(config: Config, gh: GitHubEnv) -> str:
    if config.comment.key:
        return config.comment.key
    return f"{gh.workflow or 'dataops-ci'}:{gh.job or 'run'}"


def described_head(report: Report, gh: GitHubEnv, env: Mapping[str, str]) -> str | None:
    """The commit the comment describes: the PR head (a PR checkout is a merge commit), else the head."""
    if gh.pr_head_sha:
        return gh.pr_head_sha
    if report.head != WORKTREE:
        return report.head
    return env.get("GITHUB_SHA") or None


def with_approval(report: Report, config: Config, gh: GitHubEnv) -> Report:
    found = approval.approval_from_event(gh.event, config.comment.approve_label)
    if found is not None and found.approved_by is None and gh.token and gh.repository and gh.pr_number:
        try:
            with _client(gh, config) as client:
                events = client.issue_events(gh.repository, gh.pr_number)
            found = replace(found, approved_by=approval.approver_from_issue_events(events, found.label))
        except GitHubError as exc:
            print(
                f"dataops-ci: could not read who added the label ({exc}); approver unknown", file=sys.stderr
            )
    return approval.apply_approval(report, found)


def _stderr(message: str) -> None:
    print(message, file=sys.stderr)


def _client(gh: GitHubEnv, config: Config) -> GitHubClient:
    return GitHubClient(gh.api_url, gh.token or "", retry_cap_s=config.comment.retry_cap_s, log=_stderr)


def write_step_summary(path: str | None, report: Report, config: Config, gh: GitHubEnv) -> None:
    if not path:
        return
    summary = Path(path)
    used = summary.stat().st_size if summary.exists() else 0
    budget = STEP_SUMMARY_MAX_BYTES - used - 2
    if budget < 1024:
        warn("$GITHUB_STEP_SUMMARY is already full; the summary was not written")
        return
    text = markdown.render(report, max_chars=None, max_bytes=budget, run_url=gh.run_url)
    with summary.open("a", encoding="utf-8") as out:
        out.write(text if text.endswith("\n") else text + "\n")


def post_comment(report: Report, config: Config, gh: GitHubEnv, repo_dir: str | None) -> str:
    """Post or update the sticky comment; the comment's URL, or "" when it was not posted."""
    if not (gh.pr_number and gh.repository):
        print("dataops-ci: not a pull request event; no PR comment", file=sys.stderr)
        return ""
    if not gh.token:
        warn(f"no token in ${gh.token_source}; the PR comment was not posted (pass `env: GITHUB_TOKEN: ...`)")
        return ""
    key = comment_key(config, gh)
    body = markdown.render(report, marker_key=key, run_url=gh.run_url)
    try:
        with _client(gh, config) as client:
            order = HeadOrder(client, gh.repository, gh.pr_number, _git(repo_dir))
            author = resolve_author(client, config.comment.author)
            sticky = StickyComment(client, gh.repository, gh.pr_number, key, author, order, log=_stderr)
            outcome = sticky.publish(body, report.head)
    except GitHubError as exc:
        if exc.status == 403 and INTEGRATION_FORBIDDEN in str(exc):
            warn(f"the token cannot write PR comments ({exc}). {TWO_STAGE_HELP}")
        else:
            warn(f"could not post the PR comment: {exc}; the job summary has the full report")
        return ""
    print(f"dataops-ci: PR comment {outcome.action}: {outcome.url}", file=sys.stderr)
    return outcome.url or ""


def _git(repo_dir: str | None) -> GitRepo | None:
    try:
        return GitRepo.discover(Path(repo_dir or "."))
    except GitError:
        return None


def write_outputs(path: str | None, outputs: Mapping[str, str]) -> None:
    """Step outputs with the multiline-safe `name<<DELIMITER` syntax (values may contain newlines)."""
    if not path:
        return
    with Path(path).open("a", encoding="utf-8") as out:
        for name, value in outputs.items():
            delimiter = f"ghadelimiter_{uuid.uuid4()}"
            out.write(f"{name}<<{delimiter}\n{value}\n{delimiter}\n")


def wants_comment(args: argparse.Namespace, env: Mapping[str, str]) -> bool:
    return bool(getattr(args, "comment", False)) or env.get("DATAOPS_CI_COMMENT", "").lower() == "true"


def publish(
    report: Report, config: Config, args: argparse.Namespace, env: Mapping[str, str] | None = None
) -> Report:
    env = os.environ if env is None else env
    gh = GitHubEnv.from_environ(env, getattr(args, "token_env", None))
    report = with_approval(report, config, gh)
    head = described_head(report, gh, env)
    if head:
        report = replace(report, context={**report.context, "head_sha": head})
    if gh.run_url:
        report = replace(report, context={**report.context, "run_url": gh.run_url})
    if gh.pr_number:
        context = {**report.context, "pr_number": gh.pr_number, "comment_key": comment_key(config, gh)}
        report = replace(report, context=context)
    # The comment and summary describe the PR head; the saved report keeps what was checked out.
    shown = replace(report, head=head) if head else report
    sys.stdout.write(render_format(shown, "annotations"))
    sys.stdout.flush()
    try:
        write_step_summary(env.get("GITHUB_STEP_SUMMARY"), shown, config, gh)
    except OSError as exc:
        warn(f"cannot write $GITHUB_STEP_SUMMARY: {exc}")
    url = post_comment(shown, config, gh, getattr(args, "repo", None)) if wants_comment(args, env) else ""
    try:
        write_outputs(env.get("GITHUB_OUTPUT"), step_outputs(report, getattr(args, "report_json", None), url))
    except OSError as exc:
        warn(f"cannot write $GITHUB_OUTPUT: {exc}")
    return report


def step_outputs(report: Report, report_json: str | None, comment_url: str) -> dict[str, str]:
    return {
        "status": report.status,
        "quality-score": "" if report.quality_score is None else f"{report.quality_score}",
        "breaking-changes": str(approval.breaking_count(report)),
        "report-path": str(Path(report_json).absolute()) if report_json else "",
        "comment-url": comment_url,
    }
