"""The environment the pull request's own code runs in: the runner's, minus every credential.

The `tests` check runs the PR's test code (pytest, its conftest.py, the transformations they import). In the
composite action that process would otherwise inherit `GITHUB_TOKEN` — a token that can write to pull
requests — and the runner's `ACTIONS_*` tokens (cache, artifacts, OIDC). Those, every `GH_*` variable (the
GitHub CLI's tokens) and the names the user lists under `tests.scrub_env` (globs allowed) are removed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from fnmatch import fnmatchcase

SCRUBBED = (
    "GITHUB_TOKEN",
    "INPUT_TOKEN",
    "INPUT_GITHUB_TOKEN",
    "ACTIONS_*",
    "GH_*",
    "GITHUB_ENTERPRISE_TOKEN",
    "DATAOPS_CI_TOKEN",
)


def scrubbed(name: str, extra: Iterable[str] = ()) -> bool:
    """Whether the variable `name` is kept from PR code (names and globs compared case-sensitively, as
    POSIX environments are)."""
    return any(fnmatchcase(name, pattern) for pattern in (*SCRUBBED, *extra))


def pr_code_environment(environ: Mapping[str, str], extra: Iterable[str] = ()) -> dict[str, str]:
    """`environ` without the credentials PR code must never see."""
    patterns = tuple(extra)
    return {name: value for name, value in environ.items() if not scrubbed(name, patterns)}
