"""The GitHub Actions event payload: the pull request's base commit, when there is one."""

from __future__ import annotations

import json
from pathlib import Path

from dataops_ci.git.plumbing import GitError
from dataops_ci.git.revisions import is_sha


def event_base_sha(event_path: str | None) -> str | None:
    """The PR base SHA from a GitHub Actions event payload, if this is a pull request event. A payload whose
    base is not a commit SHA is refused (GitError): it is never handed to git."""
    if not event_path:
        return None
    try:
        event = json.loads(Path(event_path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    pr = event.get("pull_request") if isinstance(event, dict) else None
    if isinstance(pr, dict):
        sha = (pr.get("base") or {}).get("sha")
        if sha is None:
            return None
        if not isinstance(sha, str) or not is_sha(sha):
            shown = repr(sha)[:80]
            raise GitError(f"the event payload's pull_request.base.sha {shown} is not a commit SHA")
        return sha
    return None
