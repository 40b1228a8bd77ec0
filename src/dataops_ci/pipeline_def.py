"""Reads and validates one pipeline definition, turning every problem into a finding with file:LINE.

Light on purpose (stdlib, PyYAML, pydantic): the `pipeline-lint` pre-commit hook runs only this.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any, cast

from pydantic import ValidationError

from dataops_ci.config import DataSource
from dataops_ci.located_yaml import LocatedYaml, YamlParseError, parse_located
from dataops_ci.pipeline_model import CHECK_TYPES, PipelineDef
from dataops_ci.pipeline_schedule import NAMED_SCHEDULES
from dataops_ci.report import Finding

_EXAMPLE = "name: orders\nowner: data_engineering\ndataset: {data: data/orders.csv}"


@dataclass(frozen=True)
class PipelineFile:
    path: str
    definition: PipelineDef | None  # None when the definition is unusable
    findings: tuple[Finding, ...] = ()
    located: LocatedYaml = field(default_factory=lambda: LocatedYaml(None))

    @property
    def valid(self) -> bool:
        return self.definition is not None and not any(f.severity == "error" for f in self.findings)

    def check_line(self, index: int) -> int:
        return self.located.line(("quality_checks", index))


def dataset_source(definition: PipelineDef) -> DataSource:
    data = definition.dataset.data
    return DataSource(path=data) if isinstance(data, str) else data


def referenced_files(definition: PipelineDef) -> list[tuple[tuple[str, ...], str]]:
    """(YAML key path, repository path) of every file the definition names that must exist."""
    refs: list[tuple[tuple[str, ...], str]] = []
    source = dataset_source(definition)
    if source.engine != "sql" and source.path and "://" not in source.path:
        key = ("dataset", "data") if isinstance(definition.dataset.data, str) else ("dataset", "data", "path")
        refs.append((key, source.path))
    if definition.dataset.schema_file:
        refs.append((("dataset", "schema"), definition.dataset.schema_file))
    return refs


def load_pipeline(
    path: str,
    text: str,
    exists: Callable[[str], bool],
    teams: Mapping[str, str] | None = None,
) -> PipelineFile:
    """Parse and validate `text` (the content of `path`); `exists` says whether a repo path exists."""
    try:
        located = parse_located(text)
    except YamlParseError as exc:
        finding = Finding(
            "error",
            "cannot-parse-pipeline",
            f"not valid YAML: {exc}",
            path,
            exc.line,
            hint="fix the YAML syntax",
        )
        return PipelineFile(path, None, (finding,))
    raw = located.value
    if not isinstance(raw, dict):
        message = f"a pipeline definition must be a mapping of keys, got {type(raw).__name__}"
        finding = Finding(
            "error", "cannot-parse-pipeline", message, path, 1, hint=f"for example:\n{_EXAMPLE}"
        )
        return PipelineFile(path, None, (finding,), located)
    raw = {"name": PurePosixPath(path).stem, **raw}  # the file name is the default pipeline name
    try:
        definition = PipelineDef.model_validate(raw)
    except ValidationError as exc:
        errors = _without_branch_mismatches([dict(e) for e in exc.errors()])
        findings = [_error_finding(path, located, e) for e in errors]
        return PipelineFile(path, None, tuple(findings), located)
    findings = _missing_files(path, located, definition, exists)
    findings += _unknown_keys(path, located, definition)
    findings += _unknown_teams(path, located, definition, teams or {})
    return PipelineFile(path, definition, tuple(findings), located)


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


def _missing_files(
    path: str, located: LocatedYaml, definition: PipelineDef, exists: Callable[[str], bool]
) -> list[Finding]:
    findings = []
    for key, ref in referenced_files(definition):
        if _unsafe(ref) or not exists(ref.rstrip("/")):
            findings.append(
                Finding(
                    "error",
                    "pipeline-missing-file",
                    f"'{'.'.join(key)}' names {ref}, which does not exist in this revision",
                    path,
                    located.line(key),
                    path=".".join(key),
                    hint="paths are relative to the repository root; commit the file or fix the path",
                )
            )
    return findings


def _unsafe(ref: str) -> bool:
    pure = PurePosixPath(ref)
    return pure.is_absolute() or ".." in pure.parts


def _unknown_keys(path: str, located: LocatedYaml, definition: PipelineDef) -> list[Finding]:
    from dataops_ci.config import unknown_keys

    findings = []
    for dotted in unknown_keys(definition):
        loc = _loc_from_dotted(dotted)
        findings.append(
            Finding(
                "warning",
                "pipeline-unknown-key",
                f"unknown key '{dotted}' is ignored",
                path,
                located.line(loc),
                path=dotted,
                hint="check the spelling; see docs/pipelines.md for the keys a pipeline takes",
            )
        )
    return findings


def _loc_from_dotted(dotted: str) -> tuple[str | int, ...]:
    loc: list[str | int] = []
    for part in dotted.split("."):
        name, _, index = part.partition("[")
        loc.append(name)
        if index:
            loc.append(int(index.rstrip("]")))
    return tuple(loc)


def _unknown_teams(
    path: str, located: LocatedYaml, definition: PipelineDef, teams: Mapping[str, str]
) -> list[Finding]:
    """Only when `teams:` is configured: a name it does not map cannot be mentioned in the PR comment."""
    if not teams:
        return []
    named: list[tuple[tuple[str | int, ...], str]] = [(("owner",), definition.owner)]
    named += [(("reviewers", i), r) for i, r in enumerate(definition.reviewers)]
    for i, check in enumerate(definition.quality_checks):
        named += [(("quality_checks", i, "notify", j), t) for j, t in enumerate(check.notify)]
    return [
        Finding(
            "warning",
            "pipeline-unknown-team",
            f"team '{team}' is not in the config's `teams:` mapping, so nobody can be mentioned for it",
            path,
            located.line(loc),
            hint=f'add `{team}: "@org/team"` under `teams:` in dataops-ci.yml, or fix the name',
        )
        for loc, team in _unique(named)
        if team not in teams and not team.startswith("@")
    ]


def _unique(items: Iterable[tuple[tuple[str | int, ...], str]]) -> list[tuple[tuple[str | int, ...], str]]:
    seen: set[str] = set()
    out = []
    for loc, name in items:
        if name not in seen:
            seen.add(name)
            out.append((loc, name))
    return out
