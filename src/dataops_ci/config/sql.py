"""`sql:` — sql-lint: which files, the dialect, what is reported and what fails."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from dataops_ci.config.base import Section


class SqlConfig(Section):
    paths: list[str] = Field(default_factory=lambda: ["**/*.sql"])
    dialect: str | None = None
    report: Literal["changed-lines", "all"] = "changed-lines"
    fail_on: Literal["error", "warning", "never"] = "error"
    templater_fallback: str | None = None
    cache: bool = True
    processes: int | None = None
    # A larger .sql file is refused unread (cannot-read-sql), before sqlfluff's own skip limit applies.
    max_file_bytes: int = Field(default=4_194_304, gt=0)
