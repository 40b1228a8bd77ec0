"""The report JSON (schema_version 1) as pydantic models: validation of reports we did not write ourselves.

`dataops-ci comment` reads a report produced by another job — for a PR from a fork, by code the fork
controls — so it is untrusted input: size-capped, parsed, validated against these models (types, enums,
rule-id shape, length limits), then rendered with the usual escaping. `report_schema.json` is generated
from these models (`python -m dataops_ci.github.report_schema > src/dataops_ci/github/report_schema.json`)
for other tools; a test keeps the two in sync.

Every field, including any added later, gets the same treatment from one place, `_Model`'s config: strict
types (no coercion: a count is a number, not a string), finite numbers (`NaN`/`Infinity` are refused, also
by the JSON parser), strings capped at `MAX_TEXT`. Free-form maps (`metrics`, `data`, `context`) take only
`JsonValue`: the same finite numbers and capped strings, in capped lists and objects; `metrics` holds
numbers only.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from typing_extensions import TypeAliasType

from dataops_ci.report import Report

MAX_REPORT_BYTES = 50 * 1024 * 1024
MAX_TEXT = 100_000
SCHEMA_FILE = Path(__file__).with_name("report_schema.json")

Text = Annotated[str, Field(max_length=MAX_TEXT)]
ShortText = Annotated[str, Field(max_length=4_096)]
Key = Annotated[str, Field(max_length=200)]
RuleId = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:/-]{0,127}$")]
Revision = Annotated[str, Field(max_length=256)]
Count = Annotated[int, Field(ge=0)]
Seconds = Annotated[float, Field(ge=0, le=10**9)]
Number = int | float
MetricName = Annotated[str, Field(pattern=r"^[A-Za-z][A-Za-z0-9_.-]{0,63}$")]
JsonValue = TypeAliasType(
    "JsonValue",
    "None | bool | int | float | Text"
    " | Annotated[list[JsonValue], Field(max_length=100_000)]"
    " | Annotated[dict[Key, JsonValue], Field(max_length=10_000)]",
)
JsonObject = Annotated[dict[Key, JsonValue], Field(max_length=10_000)]


class InvalidReport(Exception):
    """The report file cannot be used; the message says why."""


class _Model(BaseModel):
    # Unknown keys are dropped, not refused: Report.from_dict never reads them either.
    model_config = ConfigDict(extra="ignore", strict=True, allow_inf_nan=False, str_max_length=MAX_TEXT)


class FindingModel(_Model):
    severity: Literal["error", "warning", "notice"]
    rule: RuleId
    message: Text
    file: ShortText | None = None
    line: Count | None = None
    path: ShortText | None = None
    hint: Text | None = None
    column: Count | None = None
    data: JsonObject = Field(default_factory=dict)


class CheckModel(_Model):
    name: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,63}$")]
    status: Literal["passed", "failed", "error", "skipped"]
    summary: Text = ""
    duration_s: Seconds = 0.0
    metrics: Annotated[dict[MetricName, Number | None], Field(max_length=200)] = Field(default_factory=dict)
    data: JsonObject = Field(default_factory=dict)
    findings: Annotated[list[FindingModel], Field(max_length=200_000)] = Field(default_factory=list)


class ToolModel(_Model):
    name: Literal["dataops-ci"]
    version: Annotated[str, Field(max_length=64)]


class ReportModel(_Model):
    schema_version: Literal[1]
    tool: ToolModel
    base: Revision
    head: Revision
    status: Literal["passed", "failed", "error", "nothing-checked"]
    quality_score: Annotated[float, Field(ge=0, le=1)] | None = None
    duration_s: Seconds = 0.0
    checks: Annotated[list[CheckModel], Field(max_length=100)]
    context: JsonObject = Field(default_factory=dict)
    head_commit: Annotated[str, Field(pattern=r"^[0-9a-fA-F]{7,64}$")] | None = None
    teams: Annotated[dict[ShortText, ShortText], Field(max_length=1_000)] = Field(default_factory=dict)


def json_schema() -> dict[str, Any]:
    schema = ReportModel.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "dataops-ci report (schema_version 1)"
    return schema


class NonFiniteNumber(ValueError):
    pass


def _refuse_constant(name: str) -> Any:
    # Python's json reads NaN, Infinity and -Infinity, which are not JSON and which no report field holds.
    raise NonFiniteNumber(f"{name} is not a number a report can hold (numbers must be finite)")


def load_untrusted(path: Path) -> Report:
    """A Report from a file we did not write, or InvalidReport saying what is wrong with it."""
    try:
        size = path.stat().st_size
        if size > MAX_REPORT_BYTES:
            raise InvalidReport(f"{path}: {size} bytes, more than the {MAX_REPORT_BYTES} allowed")
        raw = json.loads(path.read_bytes(), parse_constant=_refuse_constant)
    except OSError as exc:
        raise InvalidReport(f"{path}: cannot read: {exc.strerror}") from None
    except NonFiniteNumber as exc:
        raise InvalidReport(f"{path}: not a dataops-ci report: {exc}") from None
    except (ValueError, RecursionError) as exc:
        raise InvalidReport(f"{path}: not valid JSON: {str(exc)[:200]}") from None
    try:
        model = ReportModel.model_validate(raw)
    except ValidationError as exc:
        problems = [f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()[:5]]
        raise InvalidReport(f"{path}: not a dataops-ci report: " + "; ".join(problems)) from None
    return Report.from_dict(model.model_dump())


if __name__ == "__main__":
    print(json.dumps(json_schema(), indent=2))
