"""pydantic validation errors of a pipeline definition as findings: rule id, dotted key and YAML line."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from pydantic import ValidationError

from dataops_ci.located_yaml import LocatedYaml
from dataops_ci.pipelines.model import CHECK_TYPES
from dataops_ci.pipelines.schedule import NAMED_SCHEDULES
from dataops_ci.report import Finding


def validation_findings(path: str, located: LocatedYaml, exc: ValidationError) -> list[Finding]:
    errors = _without_branch_mismatches([dict(e) for e in exc.errors()])
    return [_error_finding(path, located, e) for e in errors]


def _error_finding(path: str, located: LocatedYaml, error: dict[str, Any]) -> Finding:
    loc = tuple(error["loc"])
    rule = _rule_for(loc, error["type"])
    key = _dotted(located, loc)
    message, hint = error["msg"].removeprefix("Value error, "), None
    if rule == "pipeline-missing-owner":
        message, hint = (
            "the pipeline has no owner",
            "add `owner: <team>`: the team that answers for this data",
        )
    elif rule == "pipeline-invalid-schedule":
        hint = f"use {', '.join(NAMED_SCHEDULES)} (or @daily style), or a 5-field cron like '0 6 * * *'"
    elif rule == "pipeline-unknown-check":
        kind = _raw_at(located.value, loc[:2]) or {}
        given = kind.get("type") if isinstance(kind, dict) else None
        message = f"unknown quality check type {given!r}" if given else "the quality check has no 'type'"
        hint = f"use one of: {', '.join(CHECK_TYPES)}"
    elif error["type"] == "missing":
        message = f"'{key}' is required"
    else:
        message = f"'{key}': {message}"
    return Finding("error", rule, message, path, located.line(loc), path=key or None, hint=hint)


def _without_branch_mismatches(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """For `data: path | {engine: ...}`, pydantic reports why each union branch failed. When one branch
    has real errors, "this is not a string" from the other branch is noise."""
    real = {_before_tag(e["loc"]) for e in errors if e["type"] not in _TYPE_MISMATCH}
    kept = [e for e in errors if not (e["type"] in _TYPE_MISMATCH and _before_tag(e["loc"]) in real)]
    # With no real error anywhere in a union, keep one "wrong type" error per value.
    seen: set[tuple[Any, ...]] = set()
    out = []
    for error in kept:
        where = _before_tag(error["loc"])
        if error["type"] in _TYPE_MISMATCH and where in seen:
            continue
        seen.add(where)
        out.append(error)
    return out


_TYPE_MISMATCH = ("string_type", "model_type", "model_attributes_type", "dict_type")


def _before_tag(loc: tuple[Any, ...]) -> tuple[Any, ...]:
    for i, part in enumerate(loc):
        if _is_union_tag(part):
            return tuple(loc[:i])
    return tuple(loc)


def _rule_for(loc: tuple[Any, ...], error_type: str) -> str:
    top = loc[0] if loc else None
    if top == "owner":
        return (
            "pipeline-missing-owner"
            if error_type in ("missing", "string_too_short")
            else "pipeline-invalid-owner"
        )
    if top == "schedule":
        return "pipeline-invalid-schedule"
    if top == "quality_checks" and error_type in ("union_tag_invalid", "union_tag_not_found"):
        return "pipeline-unknown-check"
    if top == "quality_checks":
        return "pipeline-invalid-check"
    if loc == ("dataset",) and error_type == "missing":
        return "pipeline-missing-dataset"
    return "pipeline-invalid-definition"


def _dotted(located: LocatedYaml, loc: Sequence[Any]) -> str:
    """`quality_checks[0].threshold` from a pydantic location, without the union member names pydantic
    inserts (`completeness`, `str`, `DataSource` ...) that are not keys of the document."""
    out, current = "", cast(tuple[Any, ...], ())
    for part in loc:
        candidate = (*current, part)
        if candidate not in located.lines and _is_union_tag(part):
            continue
        current = candidate
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _is_union_tag(part: Any) -> bool:
    return isinstance(part, str) and (
        part in CHECK_TYPES or part in ("str", "constrained-str", "DataSource") or "[" in part
    )


def _raw_at(value: Any, loc: Sequence[Any]) -> Any:
    for part in loc:
        in_mapping = isinstance(value, dict) and part in value
        in_list = isinstance(value, list) and isinstance(part, int) and part < len(value)
        if in_mapping or in_list:
            value = value[part]
        else:
            return None
    return value
