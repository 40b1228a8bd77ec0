"""The GitHub Actions event payload: the pull request's base commit, when there is one."""

from __future__ import annotations

import json
from pathlib import Path


def event_base_sha(event_path: str | None) -> str | None:
    """The PR base SHA from a GitHub Actions event payload, if this is a pull request event."""
    if not event_path:
        return None
    try:
        event = json.loads(Path(event_path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    pr = event.get("pull_request") if isinstance(event, dict) else None
    if isinstance(pr, dict):
        sha = (pr.get("base") or {}).get("sha")
        return sha if isinstance(sha, str) else None
    return None
