"""Reads and validates one pipeline definition, turning every problem into a finding with file:LINE.

Light on purpose (stdlib, PyYAML): the `pipeline-lint` pre-commit hook runs only this. A definition in its
plain shape is accepted by `quick` (values as read-only views, which every consumer reads like the models:
quality checks are told apart by their `type`); pydantic (`model`) is imported only for the rest, and is
where every error message comes from.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any, cast

from dataops_ci.config.snapshot import FrozenView
from dataops_ci.located_yaml import LocatedYaml, YamlParseError, parse_located
from dataops_ci.pipelines import quick
from dataops_ci.report import Finding

if TYPE_CHECKING:
    from dataops_ci.config import DataSource
    from dataops_ci.pipelines.model import PipelineDef

_EXAMPLE = "name: orders\nowner: data_engineering\ndataset: {data: data/orders.csv}"


@dataclass(frozen=True)
class PipelineFile:
    path: str
    # None when the definition is unusable; a FrozenView with the same values when `quick` accepted it
    definition: PipelineDef | None
    findings: tuple[Finding, ...] = ()
    located: LocatedYaml = field(default_factory=lambda: LocatedYaml(None))

    @property
    def valid(self) -> bool:
        return self.definition is not None and not any(f.severity == "error" for f in self.findings)

    def check_line(self, index: int) -> int:
        return self.located.line(("quality_checks", index))


def dataset_source(definition: PipelineDef) -> DataSource:
    data = definition.dataset.data
    if not isinstance(data, str):
        return data
    if isinstance(definition, FrozenView):
        return cast("DataSource", quick.data_source(data))
    from dataops_ci.config import DataSource

    return DataSource(path=data)


def _with_default_name(path: str, raw: dict[str, Any]) -> dict[str, Any]:
    return {"name": PurePosixPath(path).stem, **raw}  # the file name is the default pipeline name


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
        got = "an empty file" if raw is None else f"a {type(raw).__name__}"
        message = f"a pipeline definition must be a mapping of keys, got {got}"
        finding = Finding(
            "error", "cannot-parse-pipeline", message, path, 1, hint=f"for example:\n{_EXAMPLE}"
        )
        return PipelineFile(path, None, (finding,), located)
    raw = _with_default_name(path, raw)
    missing = _missing_files(path, located, raw, exists)
    accepted = quick.accept(raw)
    if accepted is not None:
        definition, unknown = cast("tuple[PipelineDef, list[str]]", accepted)
    else:
        from pydantic import ValidationError

        from dataops_ci.config import unknown_keys
        from dataops_ci.pipelines.errors import validation_findings
        from dataops_ci.pipelines.model import PipelineDef

        try:
            definition = PipelineDef.model_validate(raw)
        except ValidationError as exc:
            findings = validation_findings(path, located, exc)
            return PipelineFile(path, None, tuple(findings + missing), located)
        unknown = unknown_keys(definition)
    findings = missing
    findings += _unknown_keys(path, located, unknown)
    findings += _unknown_teams(path, located, definition, teams or {})
    return PipelineFile(path, definition, tuple(findings), located)


def _raw_references(raw: dict[str, Any]) -> list[tuple[tuple[str, ...], str]]:
    """Like `referenced_files`, from the raw YAML: missing files are reported even when the definition
    has other errors, so one run shows every problem."""
    dataset = raw.get("dataset")
    if isinstance(dataset, str):
        return [(("dataset",), dataset)]
    if not isinstance(dataset, dict):
        return []
    refs: list[tuple[tuple[str, ...], str]] = []
    data = dataset.get("data")
    if isinstance(data, str):
        refs.append((("dataset", "data"), data))
    elif isinstance(data, dict) and data.get("engine") != "sql" and "://" not in str(data.get("path", "://")):
        refs.append((("dataset", "data", "path"), str(data["path"])))
    if isinstance(dataset.get("schema"), str):
        refs.append((("dataset", "schema"), dataset["schema"]))
    return refs


def _missing_files(
    path: str, located: LocatedYaml, raw: dict[str, Any], exists: Callable[[str], bool]
) -> list[Finding]:
    findings = []
    for key, ref in _raw_references(raw):
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


def _unknown_keys(path: str, located: LocatedYaml, unknown: list[str]) -> list[Finding]:
    findings = []
    for dotted in unknown:
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
        if index.endswith("]") and index[:-1].isdecimal():
            loc += [name, int(index[:-1])]
        else:  # a key of the user's own with brackets in it, like "odd[key]"
            loc.append(part)
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
