"""`comment:` — the sticky PR comment: its key, the approval label, GitHub call limits."""

from __future__ import annotations

from pydantic import Field

from dataops_ci.config.base import Section


class CommentConfig(Section):
    key: str = ""
    approve_label: str = "data-breaking-change-approved"
    author: str | None = None
    # Wall time all GitHub calls of a run may take together: requests, rate-limit waits, retries.
    retry_cap_s: float = Field(default=120.0, gt=0)
