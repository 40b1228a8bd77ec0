"""`expectations:` — GX suites and the data they run on (local files, a SQL URL, Spark)."""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import Field, field_validator

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
    # Values for the suite's `{"$PARAMETER": name}` references (over `expectations.parameters`).
    parameters: dict[str, Any] = Field(default_factory=dict)


class ExpectationsConfig(Section):
    min_quality_score: float = Field(default=0.95, ge=0.0, le=1.0)
    suites: list[SuiteEntry] = Field(default_factory=list)
    # `$PARAMETER` values for every suite, those of a discovered GX project (gx/) included.
    parameters: dict[str, Any] = Field(default_factory=dict)
    # A GX project's dataframe assets (data known only at run time) mapped to a file: {asset: path}.
    # The key is the asset's name, or `datasource.asset` when two datasources share an asset name.
    assets: dict[str, str | DataSource] = Field(default_factory=dict)
    compare_base: bool = False
    spark_master: str = "local[*]"
    connect_timeout_s: int = Field(default=10, gt=0)
    query_timeout_s: int = Field(default=300, gt=0)
    unexpected_examples: int = Field(default=5, ge=0)
    # URL schemes data may be read from (Spark: s3a, abfss, gs, hdfs ...); everything else must be a path
    # inside the repository. `file` is never allowed: it would reach any path of the runner.
    allowed_url_schemes: list[str] = Field(default_factory=list)

    @field_validator("allowed_url_schemes")
    @classmethod
    def _schemes(cls, value: list[str]) -> list[str]:
        schemes = [s.strip().lower().removesuffix("://").removesuffix(":") for s in value]
        for scheme in schemes:
            if not re.fullmatch(r"[a-z][a-z0-9+.-]+", scheme) or scheme == "file":
                raise ValueError(f"{scheme!r} is not a URL scheme data may be read from (e.g. s3a, gs)")
        return schemes

    # Input caps, checked before reading (also for the pipelines' datasets): a suite file, a local data file
    # (or a partitioned directory, all files together), and the columns of a CSV/TSV/Parquet header.
    max_suite_bytes: int = Field(default=8_388_608, gt=0)
    max_data_bytes: int = Field(default=104_857_600, gt=0)
    max_columns: int = Field(default=10_000, gt=0)
