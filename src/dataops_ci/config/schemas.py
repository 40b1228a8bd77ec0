"""`schemas:` — which .avsc files, under which compatibility mode, how names resolve across files, and
approved intentional breaks."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import Field, field_validator

from dataops_ci.config.base import Section
from dataops_ci.config.names import COMPATIBILITY_MODES

__all__ = ["COMPATIBILITY_MODES", "Approval", "Mode", "SchemasConfig"]
Mode = Literal[
    "NONE", "BACKWARD", "BACKWARD_TRANSITIVE", "FORWARD", "FORWARD_TRANSITIVE", "FULL", "FULL_TRANSITIVE"
]


class Approval(Section):
    file: str | None = None
    rule: str | None = None
    path: str | None = None
    reason: str
    expires: dt.date | None = None


class SchemasConfig(Section):
    paths: list[str] = Field(default_factory=lambda: ["**/*.avsc"])
    compatibility: Mode = "BACKWARD"
    overrides: dict[str, Mode] = Field(default_factory=dict)
    # per-file: each .avsc is self-contained (Kafka subjects), a name used and not defined comes from the
    # other files; shared: one namespace for all files (a name defined in two files is duplicate-name).
    references: Literal["per-file", "shared"] = "per-file"
    allow: list[Approval] = Field(default_factory=list)
    deleted_severity: Literal["error", "warning", "notice"] = "error"
    max_file_bytes: int = Field(default=1_048_576, gt=0)

    @field_validator("compatibility", mode="before")
    @classmethod
    def _upper(cls, value: Any) -> Any:
        return value.upper() if isinstance(value, str) else value

    @field_validator("overrides", mode="before")
    @classmethod
    def _upper_overrides(cls, value: Any) -> Any:
        if isinstance(value, dict):
            return {k: v.upper() if isinstance(v, str) else v for k, v in value.items()}
        return value
