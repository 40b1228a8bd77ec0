"""Where a PR run finds its base branch's quality history: the history branch, as fetched (the remote's
copy) or local, filtered to the base branch's runs; put into the report's context for the comment."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from dataops_ci.config import Config
from dataops_ci.git import GitError, is_sha
from dataops_ci.publish.history import series
from dataops_ci.publish.history_store import Store
from dataops_ci.report import Report


def base_branch(given: str | None, env: Mapping[str, str] | None = None) -> str | None:
    """The PR's base branch: GITHUB_BASE_REF, else the run's --base as given when it names a branch."""
    env = os.environ if env is None else env
    if env.get("GITHUB_BASE_REF"):
        return env["GITHUB_BASE_REF"]
    return given if given and not is_sha(given) and given != "HEAD" and "~" not in given else None


def trend_context(records: list[dict[str, Any]], branch: str | None, runs: int) -> dict[str, Any] | None:
    mine = [r for r in records if branch is None or r.get("ref") in (branch, None, "")]
    points = [p for p in series(mine) if p.score is not None][-runs:]
    if not points:
        return None
    return {"branch": branch or "", "runs": [{"commit": p.commit, "score": p.score} for p in points]}


def attach_trend(report: Report, config: Config, root: Path, base: str | None = None) -> Report:
    """The report with context["quality_trend"], when a history exists here; else the report unchanged.
    `base` is the --base the run was given (a branch name shows only that branch's runs)."""
    store = Store(Path(root), config.history.branch, config.history.file, config.history.remote)
    try:
        records = store.records()
    except GitError:
        return report
    branch = base_branch(base)
    trend = trend_context(records, branch, config.history.runs)
    if trend is None:
        return report
    trend["threshold"] = config.expectations.min_quality_score
    return replace(report, context={**report.context, "quality_trend": trend})
