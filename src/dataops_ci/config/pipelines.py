"""`pipelines:` — where the pipeline definitions are."""

from __future__ import annotations

from pydantic import Field

from dataops_ci.config.base import Section


class PipelinesConfig(Section):
    paths: list[str] = Field(default_factory=lambda: ["pipelines/*.yml", "pipelines/*.yaml"])
    # A larger definition is refused unread (cannot-read-pipeline): YAML parsing costs ~2 KB per byte.
    max_file_bytes: int = Field(default=1_048_576, gt=0)
