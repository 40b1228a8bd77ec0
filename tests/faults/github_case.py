"""A battery case run as a GitHub Actions pull_request job against the fake GitHub API with faults on.

The case's files are committed on a `feature` branch (the PR head); the event payload names both commits;
the fake API gets the case's `github.faults` (hang, drip, status) before the run starts.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tests.conftest import Repo
from tests.faults import battery
from tests.faults.battery import Measured
from tests.github.fake_server import FakeGitHub, Fault
from tests.github.helpers import APP_TOKEN, REPO

NUMBER = 5


def event(base: str, head: str) -> dict[str, Any]:
    return {
        "action": "synchronize",
        "number": NUMBER,
        "pull_request": {
            "number": NUMBER,
            "head": {"sha": head, "ref": "feature", "repo": {"full_name": REPO}},
            "base": {"sha": base, "ref": "main", "repo": {"full_name": REPO}},
            "labels": [],
        },
        "repository": {"full_name": REPO},
        "sender": {"login": "contributor"},
    }


def actions_env(work: Path, api_url: str, payload: dict[str, Any]) -> dict[str, str]:
    (work / "event.json").write_text(json.dumps(payload), encoding="utf-8")
    (work / "output.txt").touch()
    return {
        "GITHUB_ACTIONS": "true",
        "CI": "true",
        "GITHUB_EVENT_NAME": "pull_request",
        "GITHUB_EVENT_PATH": str(work / "event.json"),
        "GITHUB_STEP_SUMMARY": str(work / "summary.md"),
        "GITHUB_OUTPUT": str(work / "output.txt"),
        "GITHUB_API_URL": api_url,
        "GITHUB_SERVER_URL": "https://github.example",
        "GITHUB_REPOSITORY": REPO,
        "GITHUB_WORKFLOW": "data-ci",
        "GITHUB_JOB": "checks",
        "GITHUB_RUN_ID": "4242",
        "GITHUB_RUN_ATTEMPT": "1",
        "GITHUB_TOKEN": APP_TOKEN,
        "DATAOPS_CI_COMMENT": "true",
    }


def commit_pull_request(repo: Repo) -> tuple[str, str]:
    """(base, head): the case's working-tree files become the head commit of branch `feature`."""
    base = repo.git("rev-parse", "HEAD").strip()
    repo.git("checkout", "-q", "-b", "feature")
    return base, repo.commit("the pull request")


@contextmanager
def fake_github(spec: dict[str, Any], head: str) -> Iterator[FakeGitHub]:
    with FakeGitHub() as fake:
        fake.add_token(APP_TOKEN, "github-actions[bot]", app=True)
        fake.add_pull(REPO, NUMBER, head)
        for fault in spec.get("faults", []):
            fake.fault(Fault(**fault))
        yield fake


def run_named(name: str, work: Path) -> tuple[Measured, Path, dict[str, Any]]:
    """Any battery case: a plain run, or with `github:` a pull_request job against the fake API."""
    spec = battery.expected(name)
    if "github" not in spec:
        measured, report = battery.run_case(name, work)
        return measured, report, {}
    repo = battery.build_repo(name, work / "repo")
    base, head = commit_pull_request(repo)
    with fake_github(spec["github"], head) as fake:
        env = battery.base_env(work) | actions_env(work, fake.url, event(base, head))
        report = work / "report.json"
        measured = battery.measure(battery.command(name, report), repo.root, env, work)
        comments = fake.comments_on(REPO, NUMBER)
    return measured, report, {"comments": comments}
