"""The whole configuration: one field per section."""

from __future__ import annotations

from pydantic import Field

from dataops_ci.config.base import Section
from dataops_ci.config.comment import CommentConfig
from dataops_ci.config.expectations import ExpectationsConfig
from dataops_ci.config.lineage import LineageConfig
from dataops_ci.config.metrics import HistoryConfig, MetricsConfig
from dataops_ci.config.pipelines import PipelinesConfig
from dataops_ci.config.schemas import SchemasConfig
from dataops_ci.config.sql import SqlConfig
from dataops_ci.config.tests import TestsConfig


class Config(Section):
    schemas: SchemasConfig = Field(default_factory=SchemasConfig)
    expectations: ExpectationsConfig = Field(default_factory=ExpectationsConfig)
    pipelines: PipelinesConfig = Field(default_factory=PipelinesConfig)
    lineage: LineageConfig = Field(default_factory=LineageConfig)
    sql: SqlConfig = Field(default_factory=SqlConfig)
    tests: TestsConfig = Field(default_factory=TestsConfig)
    teams: dict[str, str] = Field(default_factory=dict)
    comment: CommentConfig = Field(default_factory=CommentConfig)
    metrics: MetricsConfig = Field(default_factory=MetricsConfig)
    history: HistoryConfig = Field(default_factory=HistoryConfig)

    # Where it came from (None: defaults), and warnings for stderr (unknown keys are errors, not warnings).
    source: str | None = None
    warnings: tuple[str, ...] = ()
