"""`expectations:` — GX suites and the data they run on (local files, a SQL URL, Spark)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from dataops_ci.config.base import Section


class DataSource(Section):
    engine: Literal["pandas", "sql", "spark"] = "pandas"
    path: str | None = None
    format: str | None = None
    url: str | None = None
    table: str | None = None
    query: str | None = None
    options: dict[str, Any] = Field(default_factory=dict)


class SuiteEntry(Section):
    suite: str
    data: str | DataSource


class ExpectationsConfig(Section):
    min_quality_score: float = Field(default=0.95, ge=0.0, le=1.0)
    suites: list[SuiteEntry] = Field(default_factory=list)
    compare_base: bool = False
    spark_master: str = "local[*]"
    connect_timeout_s: int = Field(default=10, gt=0)
    query_timeout_s: int = Field(default=300, gt=0)
    unexpected_examples: int = Field(default=5, ge=0)
