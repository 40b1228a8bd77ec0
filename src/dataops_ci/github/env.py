"""What a run inside GitHub Actions knows from its environment: repository, token, event payload, run URL."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DEFAULT_API_URL = "https://api.github.com"


@dataclass(frozen=True)
class GitHubEnv:
    """What GitHub Actions tells a step about where it runs."""

    api_url: str = DEFAULT_API_URL
    repository: str | None = None
    token: str | None = None
    token_source: str = "GITHUB_TOKEN"
    event_name: str | None = None
    event: Mapping[str, Any] = field(default_factory=dict)
    workflow: str | None = None
    job: str | None = None
    server_url: str = "https://github.com"
    run_id: str | None = None
    run_attempt: str | None = None

    @classmethod
    def from_environ(cls, env: Mapping[str, str] | None = None, token_env: str | None = None) -> GitHubEnv:
        env = os.environ if env is None else env
        source = token_env or "GITHUB_TOKEN"
        return cls(
            api_url=(env.get("GITHUB_API_URL") or DEFAULT_API_URL).rstrip("/"),
            repository=env.get("GITHUB_REPOSITORY") or None,
            token=env.get(source) or None,
            token_source=source,
            event_name=env.get("GITHUB_EVENT_NAME") or None,
            event=load_event(env.get("GITHUB_EVENT_PATH")),
            workflow=env.get("GITHUB_WORKFLOW") or None,
            job=env.get("GITHUB_JOB") or None,
            server_url=(env.get("GITHUB_SERVER_URL") or "https://github.com").rstrip("/"),
            run_id=env.get("GITHUB_RUN_ID") or None,
            run_attempt=env.get("GITHUB_RUN_ATTEMPT") or None,
        )

    @property
    def pull_request(self) -> Mapping[str, Any] | None:
        pr = self.event.get("pull_request")
        return pr if isinstance(pr, Mapping) else None

    @property
    def pr_number(self) -> int | None:
        number = (self.pull_request or {}).get("number")
        return number if isinstance(number, int) else None

    @property
    def pr_head_sha(self) -> str | None:
        sha = ((self.pull_request or {}).get("head") or {}).get("sha")
        return sha if isinstance(sha, str) else None

    @property
    def run_url(self) -> str | None:
        if not (self.repository and self.run_id):
            return None
        url = f"{self.server_url}/{self.repository}/actions/runs/{self.run_id}"
        return f"{url}/attempts/{self.run_attempt}" if self.run_attempt else url


def load_event(path: str | None) -> dict[str, Any]:
    """The event payload, or {} when there is none or it cannot be read."""
    if not path:
        return {}
    try:
        event = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return event if isinstance(event, dict) else {}
