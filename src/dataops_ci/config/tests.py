"""`tests:` — the transformation tests: where, how pytest is run, its time limit."""

from __future__ import annotations

from pydantic import Field

from dataops_ci.config.base import Section


class TestsConfig(Section):
    paths: list[str] = Field(default_factory=lambda: ["tests/"])
    args: list[str] = Field(default_factory=list)
    timeout_s: int = Field(default=600, gt=0)
    changed_only: bool = False
    python: str | None = None
    capture_output: bool = False
    # More environment variables (names or globs) kept from the PR's test code, on top of GITHUB_TOKEN,
    # ACTIONS_* and GH_* (testsuite/environment.py).
    scrub_env: list[str] = Field(default_factory=list)
    # How much of pytest's output is kept (its head and tail; the middle is counted, not kept).
    max_output_bytes: int = Field(default=1_048_576, ge=1024)
