"""Shared by the GitHub tests: the tokens the fake server knows, and comment bodies shaped like ours."""

from __future__ import annotations

from dataops_ci.github.sticky import marker

REPO = "acme/data"
APP_TOKEN = "ghs_write"  # GITHUB_TOKEN of a same-repo PR: an App installation token that can write
FORK_TOKEN = "ghs_fork"  # GITHUB_TOKEN of a fork PR: read-only
PAT = "ghp_octocat"  # a personal access token: /user answers
# The run link of the second stage, from its trusted workflow_run event.
TRUSTED_RUN_URL = "https://github.example/acme/data/actions/runs/99"


def simple_body(key: str, head_sha: str, text: str = "data checks passed") -> str:
    """A comment body as the Markdown renderer shapes it: our marker, the head SHA it describes, text."""
    return f"{marker(key)}\n<!-- dataops-ci:head-sha={head_sha} -->\n{text}\n"


def text_of(body: str) -> str:
    """The text of a body `simple_body` made, after its marker and head-SHA lines."""
    return body.split("\n", 2)[2] if body.count("\n") >= 2 else body
