"""`pipelines:` — where the pipeline definitions are."""

from __future__ import annotations

from pydantic import Field

from dataops_ci.config.base import Section


class PipelinesConfig(Section):
    paths: list[str] = Field(default_factory=lambda: ["pipelines/*.yml", "pipelines/*.yaml"])
