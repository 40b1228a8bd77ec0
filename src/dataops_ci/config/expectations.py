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
    # Input caps, checked before reading (also for the pipelines' datasets): a suite file, a local data file
    # (or a partitioned directory, all files together), and the columns of a CSV/TSV/Parquet header.
    max_suite_bytes: int = Field(default=8_388_608, gt=0)
    max_data_bytes: int = Field(default=104_857_600, gt=0)
    max_columns: int = Field(default=10_000, gt=0)
