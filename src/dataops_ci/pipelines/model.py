"""The typed model of a pipeline definition (`pipelines/*.yml`) and its quality checks.

Quality check types (the `type:` of each entry under `quality_checks`) and what they mean:
  completeness     columns are not null, in at least `threshold` of the rows (default 1.0)
  uniqueness       the columns (together, when several) have no duplicates
  row_count        the table has between `min` and `max` rows
  freshness        the newest `column` timestamp is at most `max_delay_hours` old at run time
  accepted_values  `column` takes only the listed `values`
  range            `column` lies between `min` and `max`
  pattern          `column` matches the regular expression `regex`
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from dataops_ci.config import DataSource
from dataops_ci.pipelines.schedule import schedule_problem

Name = Annotated[str, Field(min_length=1)]
Fraction = Annotated[float, Field(gt=0.0, le=1.0)]


class _Model(BaseModel):
    # extra="allow": unknown keys survive validation so they can be reported as warnings (typos).
    model_config = ConfigDict(extra="allow", frozen=True, str_strip_whitespace=True)


class _CheckBase(_Model):
    notify: list[Name] = Field(default_factory=list)
    severity: Literal["error", "warning"] = "error"
    description: str | None = None

    @field_validator("notify", mode="before")
    @classmethod
    def _one_team(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value


class _ColumnsCheck(_CheckBase):
    columns: Annotated[list[Name], Field(min_length=1)]

    @model_validator(mode="before")
    @classmethod
    def _single_column(cls, raw: Any) -> Any:
        if isinstance(raw, dict) and "column" in raw and "columns" not in raw:
            return {**{k: v for k, v in raw.items() if k != "column"}, "columns": [raw["column"]]}
        return raw


class Completeness(_ColumnsCheck):
    type: Literal["completeness"]
    threshold: Fraction = 1.0


class Uniqueness(_ColumnsCheck):
    type: Literal["uniqueness"]
    threshold: Fraction = 1.0


class RowCount(_CheckBase):
    type: Literal["row_count"]
    min: Annotated[int, Field(ge=0)] | None = None
    max: Annotated[int, Field(ge=0)] | None = None

    @model_validator(mode="after")
    def _bounds(self) -> RowCount:
        _check_bounds(self.min, self.max)
        return self


class Freshness(_CheckBase):
    type: Literal["freshness"]
    column: Name
    max_delay_hours: Annotated[float, Field(gt=0)]


class AcceptedValues(_CheckBase):
    type: Literal["accepted_values"]
    column: Name
    values: Annotated[list[str | int | float | bool], Field(min_length=1)]
    threshold: Fraction = 1.0


class Range(_CheckBase):
    type: Literal["range"]
    column: Name
    min: float | None = None
    max: float | None = None
    threshold: Fraction = 1.0

    @model_validator(mode="after")
    def _bounds(self) -> Range:
        _check_bounds(self.min, self.max)
        return self


class Pattern(_CheckBase):
    type: Literal["pattern"]
    column: Name
    regex: Name
    threshold: Fraction = 1.0

    @field_validator("regex")
    @classmethod
    def _compiles(cls, value: str) -> str:
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"not a valid regular expression: {exc}") from None
        return value


def _check_bounds(low: float | None, high: float | None) -> None:
    if low is None and high is None:
        raise ValueError("give 'min', 'max' or both")
    if low is not None and high is not None and low > high:
        raise ValueError(f"'min' ({low}) is greater than 'max' ({high})")


QualityCheck = Annotated[
    Completeness | Uniqueness | RowCount | Freshness | AcceptedValues | Range | Pattern,
    Field(discriminator="type"),
]
CHECK_TYPES = ("completeness", "uniqueness", "row_count", "freshness", "accepted_values", "range", "pattern")


class Dataset(_Model):
    model_config = ConfigDict(extra="allow", frozen=True, populate_by_name=True, str_strip_whitespace=True)

    data: Name | DataSource
    schema_file: Name | None = Field(default=None, alias="schema")


class PipelineDef(_Model):
    name: Name
    owner: Name
    reviewers: list[Name] = Field(default_factory=list)
    schedule: str | None = None
    description: str | None = None
    dataset: Dataset
    quality_checks: list[QualityCheck] = Field(default_factory=list)

    @field_validator("reviewers", mode="before")
    @classmethod
    def _one_reviewer(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value

    @field_validator("schedule", mode="before")
    @classmethod
    def _valid_schedule(cls, value: Any) -> Any:
        if value is None:
            return None
        if not isinstance(value, str):
            raise ValueError(f"expected a named schedule or a cron expression, got {value!r}")
        problem = schedule_problem(value)
        if problem:
            raise ValueError(problem)
        return value

    @field_validator("dataset", mode="before")
    @classmethod
    def _bare_path(cls, value: Any) -> Any:
        return {"data": value} if isinstance(value, str) else value
