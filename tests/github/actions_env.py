"""A pull request in a real git repo, and the environment GitHub Actions gives a step running on it."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.github.fake_server import FakeGitHub
from tests.github.helpers import APP_TOKEN, REPO

CUSTOMER_V1 = {
    "type": "record",
    "name": "Customer",
    "fields": [{"name": "id", "type": "long"}, {"name": "email", "type": "string"}],
}
# A new field without a default: readers on the new schema cannot read old data (breaks BACKWARD).
CUSTOMER_V2 = {**CUSTOMER_V1, "fields": [*CUSTOMER_V1["fields"], {"name": "phone", "type": "string"}]}


@dataclass
class PullRequest:
    root: Path
    base: str
    head: str
    number: int = 5


def breaking_pull_request(repo: Any) -> PullRequest:
    base = repo.commit("base", {"schemas/customer.avsc": json.dumps(CUSTOMER_V1, indent=2)})
    repo.git("checkout", "-q", "-b", "feature")
    head = repo.commit("add phone", {"schemas/customer.avsc": json.dumps(CUSTOMER_V2, indent=2)})
    return PullRequest(repo.root, base, head)


def pull_request_event(
    pr: PullRequest, *, labels: tuple[str, ...] = (), labeled_by: str | None = None, fork: bool = False
) -> dict[str, Any]:
    head_repo = "forker/data" if fork else REPO
    event: dict[str, Any] = {
        "action": "labeled" if labeled_by else "synchronize",
        "number": pr.number,
        "pull_request": {
            "number": pr.number,
            "head": {"sha": pr.head, "ref": "feature", "repo": {"full_name": head_repo}},
            "base": {"sha": pr.base, "ref": "main", "repo": {"full_name": REPO}},
            "labels": [{"name": name} for name in labels],
        },
        "repository": {"full_name": REPO},
        "sender": {"login": labeled_by or "contributor"},
    }
    if labeled_by:
        event["label"] = {"name": labels[-1]}
    return event


@dataclass
class ActionsStep:
    """Files a step gets from the runner, and the env vars pointing at them."""

    dir: Path
    env: dict[str, str]

    @property
    def summary(self) -> str:
        path = Path(self.env["GITHUB_STEP_SUMMARY"])
        return path.read_text(encoding="utf-8") if path.exists() else ""

    def outputs(self) -> dict[str, str]:
        """$GITHUB_OUTPUT parsed as the runner does (`name<<DELIMITER` blocks); last write wins."""
        text = Path(self.env["GITHUB_OUTPUT"]).read_text(encoding="utf-8")
        found = re.findall(r"^([\w-]+)<<(\S+)\n(.*?)\n\2$", text, flags=re.MULTILINE | re.DOTALL)
        return {name: value for name, _, value in found}


def actions_step(
    tmp_path: Path, fake: FakeGitHub, monkeypatch: pytest.MonkeyPatch
) -> Callable[..., ActionsStep]:
    counter = iter(range(100))

    def make(event: dict[str, Any], token: str = APP_TOKEN) -> ActionsStep:
        step_dir = tmp_path / f"step{next(counter)}"
        step_dir.mkdir()
        (step_dir / "event.json").write_text(json.dumps(event), encoding="utf-8")
        env = {
            "GITHUB_ACTIONS": "true",
            "CI": "true",
            "GITHUB_EVENT_NAME": "pull_request",
            "GITHUB_EVENT_PATH": str(step_dir / "event.json"),
            "GITHUB_STEP_SUMMARY": str(step_dir / "summary.md"),
            "GITHUB_OUTPUT": str(step_dir / "output.txt"),
            "GITHUB_API_URL": fake.url,
            "GITHUB_SERVER_URL": "https://github.example",
            "GITHUB_REPOSITORY": REPO,
            "GITHUB_WORKFLOW": "data-ci",
            "GITHUB_JOB": "checks",
            "GITHUB_RUN_ID": "4242",
            "GITHUB_RUN_ATTEMPT": "1",
            "GITHUB_TOKEN": token,
        }
        (step_dir / "output.txt").touch()
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        monkeypatch.delenv("DATAOPS_CI_COMMENT", raising=False)
        return ActionsStep(step_dir, env)

    return make
