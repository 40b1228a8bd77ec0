"""Post the PR summary comment from a saved report (the second stage for pull requests from forks).

    dataops-ci comment --report report.json --pr N [--repo owner/name] [--token-env NAME] [--key KEY]

Runs in a `workflow_run` job that has a writable token and no checkout of the PR. The comment key defaults
to the one the first stage recorded (`context.comment_key`), so a PR whose first stage could post (same
repository) and whose second stage posts too still has one comment. The report was made by
the PR's own job — for a fork, by code the fork controls — so it is untrusted: it is size-capped and
validated (report_schema.py) and rendered with the usual escaping; the run link, the head SHA and the PR
number come from the trusted `workflow_run` event when there is one, never from the report. With a
`workflow_run` event, `--pr` must name the pull request whose branch that run was for.
Exit codes: 0 posted (or already up to date, or a newer comment kept), 1 GitHub refused or was unreachable,
2 unusable input (report, arguments, token).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from dataops_ci.config import Config, ConfigError, load_config
from dataops_ci.github.client import GitHubClient, GitHubError
from dataops_ci.github.env import GitHubEnv
from dataops_ci.github.report_schema import InvalidReport, load_untrusted
from dataops_ci.github.sticky import HeadOrder, StickyComment, resolve_author
from dataops_ci.render import markdown
from dataops_ci.report import Report

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
# Context keys a report may not bring along: they must come from the trusted event.
TRUSTED_CONTEXT = ("run_url", "head_sha", "pr_number")
RECORDED_KEY = re.compile(r"[A-Za-z0-9_.:/@+ -]{1,200}")


class UsageProblem(Exception):
    pass


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--report", required=True, metavar="PATH", help="report JSON written by `run`")
    parser.add_argument("--pr", type=int, help="pull request number (default: from the workflow_run event)")
    parser.add_argument("--repo", help="owner/name (default: $GITHUB_REPOSITORY)")
    parser.add_argument(
        "--token-env", metavar="NAME", help="read the token from $NAME (default GITHUB_TOKEN)"
    )
    parser.add_argument(
        "--key",
        help="comment key (default: config comment.key, else the key the first stage recorded, "
        "else $GITHUB_WORKFLOW:$GITHUB_JOB)",
    )
    parser.add_argument("--config", help="a trusted config file for `teams`, `comment` (not the PR's)")


def _workflow_run(gh: GitHubEnv) -> Mapping[str, Any] | None:
    run = gh.event.get("workflow_run")
    return run if isinstance(run, Mapping) else None


def pr_number(args: argparse.Namespace, run: Mapping[str, Any] | None) -> int:
    if args.pr is not None:
        return int(args.pr)
    pulls = (run or {}).get("pull_requests") or []
    if len(pulls) == 1 and isinstance(pulls[0].get("number"), int):
        return int(pulls[0]["number"])
    # GitHub leaves workflow_run.pull_requests empty for PRs from forks.
    raise UsageProblem("--pr is required (the workflow_run event names no single pull request)")


def verify_pr(client: GitHubClient, repo: str, number: int, run: Mapping[str, Any]) -> None:
    """The PR number came from an artifact the PR's job wrote: it must be the PR of that run's branch."""
    pull = client.get_pull(repo, number)
    head = pull.get("head") or {}
    same_commit = head.get("sha") == run.get("head_sha")
    same_branch = head.get("ref") == run.get("head_branch") and (head.get("repo") or {}).get("full_name") == (
        run.get("head_repository") or {}
    ).get("full_name")
    if not (same_commit or same_branch):
        raise UsageProblem(f"pull request #{number} is not the one workflow run {run.get('id')} was for")


def trusted_report(
    report: Report, gh: GitHubEnv, run: Mapping[str, Any] | None, config: Config | None = None
) -> Report:
    """The report with what it describes taken from the trusted event: a `workflow_run` (the second stage
    for forks), or the `pull_request` event of the same workflow run (the reusable workflow's comment job).
    For a `workflow_run` the mentions come from the trusted `--config` only: a fork's report could name
    anyone; in the same run they are the PR's own config, as in a one-job run."""
    context = {k: v for k, v in report.context.items() if k not in TRUSTED_CONTEXT}
    head = report.head
    teams = report.teams
    if run is not None:
        if isinstance(run.get("html_url"), str):
            context["run_url"] = run["html_url"]
        if isinstance(run.get("head_sha"), str):
            head = run["head_sha"]
        teams = (config or Config()).teams
    elif gh.pr_head_sha:
        head = gh.pr_head_sha
        if gh.run_url:
            context["run_url"] = gh.run_url
    if config is not None and config.teams:
        teams = config.teams
    return replace(report, head=head, context=context, teams=teams)


def recorded_key(report: Report) -> str | None:
    """The key the first stage used, so both stages update one comment. Untrusted, but it can only pick
    which of our own comments on the PR (already checked to be the run's PR) is updated."""
    key = report.context.get("comment_key")
    return key if isinstance(key, str) and RECORDED_KEY.fullmatch(key) else None


def default_key(gh: GitHubEnv) -> str:
    return f"{gh.workflow or 'dataops-ci'}:{gh.job or 'comment'}"


def _config(args: argparse.Namespace) -> Config:
    if not args.config:
        return Config()
    return load_config(Path.cwd(), args.config)


def post(args: argparse.Namespace, env: Mapping[str, str]) -> int:
    gh = GitHubEnv.from_environ(env, args.token_env)
    repo = args.repo or gh.repository
    if not repo or "/" not in repo:
        raise UsageProblem("--repo owner/name is required outside GitHub Actions")
    if not gh.token:
        raise UsageProblem(f"no token in ${gh.token_source}")
    config = _config(args)
    run = _workflow_run(gh)
    number = pr_number(args, run)
    report = trusted_report(load_untrusted(Path(args.report)), gh, run, config if args.config else None)
    key = args.key or config.comment.key or recorded_key(report) or default_key(gh)
    body = markdown.render(report, marker_key=key, run_url=report.context.get("run_url"))
    with GitHubClient(gh.api_url, gh.token, retry_cap_s=config.comment.retry_cap_s, log=_err) as client:
        if run is not None:
            verify_pr(client, repo, number, run)
        author = resolve_author(client, config.comment.author)
        sticky = StickyComment(client, repo, number, key, author, HeadOrder(client, repo, number), log=_err)
        outcome = sticky.publish(body, report.head)
    print(f"dataops-ci: PR comment {outcome.action}: {outcome.url}")
    return EXIT_OK


def _err(message: str) -> None:
    print(message, file=sys.stderr)


def main(args: argparse.Namespace, env: Mapping[str, str] | None = None) -> int:
    try:
        return post(args, os.environ if env is None else env)
    except (UsageProblem, InvalidReport, ConfigError) as exc:
        _err(f"dataops-ci: error: {exc}")
        return EXIT_USAGE
    except GitHubError as exc:
        _err(f"dataops-ci: error: could not post the PR comment: {exc}")
        return EXIT_FAILED
