"""The label set every series carries: `repo` and `ref`, plus the config's `metrics.labels`."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from dataops_ci.git.plumbing import GitError, run_git


def repo_and_ref(root: Path, env: Mapping[str, str] | None = None) -> dict[str, str]:
    """From GitHub Actions' environment, else from git itself (the folder name and the branch)."""
    env = os.environ if env is None else env
    repo = env.get("GITHUB_REPOSITORY") or Path(root).resolve().name
    ref = env.get("GITHUB_REF_NAME") or _branch(root)
    return {"repo": repo, "ref": ref}


def _branch(root: Path) -> str:
    try:
        return run_git(["git", "symbolic-ref", "--quiet", "--short", "HEAD"], Path(root)).strip()
    except GitError:  # detached head or no repository: no branch to name
        return ""


def run_labels(root: Path, extra: Mapping[str, str], env: Mapping[str, str] | None = None) -> dict[str, str]:
    """repo/ref first, then the config's labels (which may override them, e.g. a fixed repo name)."""
    return {**repo_and_ref(root, env), **{str(k): str(v) for k, v in extra.items()}}


def grouping_key(grouping: Mapping[str, str], labels: Mapping[str, str]) -> dict[str, str]:
    """The Pushgateway grouping key: each value may name a label as "{label}"; empty values are dropped
    (the Pushgateway refuses an empty grouping value)."""
    out = {}
    for name, template in grouping.items():
        value = template.format_map(_Missing(labels)) if "{" in template else template
        if value:
            out[name] = value
    return out


class _Missing(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return ""
